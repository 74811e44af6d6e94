"""在线申请: the form from the item's JSON Schema, materials by upload, pledge or e-licence, then submit."""

from __future__ import annotations

import uuid

import pytest

from tests.channels.portal.conftest import form_post, pdf, row, upload, uploaded_id
from tests.factories import make_document, make_item, make_staff
from yiwang.accounts.roles import StaffRole
from yiwang.cases.models import Application, ApplicationMaterial
from yiwang.catalog import codes

pytestmark = pytest.mark.django_db


def _materials(world):
    identity, premises = list(world.item.materials.order_by("order"))
    return identity, premises


def _url(world):
    return f"/apply/item/{world.item.item.code}/"


def test_the_apply_page_needs_a_sign_in(client, world):
    response = client.get(_url(world))

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={_url(world)}"


def test_staff_cannot_use_the_apply_page(client, world):
    client.force_login(world.clerk.user)

    response = client.get(_url(world))

    assert response.status_code == 403
    assert "此功能仅供申请人使用" in response.content.decode()
    assert client.post(_url(world), form_post()).status_code == 403
    assert not Application.objects.exists()


def test_the_form_is_rendered_from_the_json_schema(client, world):
    client.force_login(world.citizen.user)

    html = client.get(_url(world)).content.decode()

    assert (
        '<label class="field-label" for="f-applicant_name"><span class="req" aria-hidden="true">*</span>申请人姓名'
        in html
    )
    assert 'name="f.applicant_name"' in html and 'maxlength="50"' in html
    assert 'type="tel"' in html and 'pattern="^1[3-9][0-9]{9}$"' in html
    assert 'placeholder="例：13800000000"' in html
    # the account's name is offered; the idempotency key is a fresh UUID per page
    assert f'value="{world.citizen.user.name}"' in html
    assert 'name="idempotency_key" value="' in html


def test_the_form_offers_choices_dates_and_numbers_as_proper_inputs(client, world):
    schema = {
        "type": "object",
        "properties": {
            "kind": {"type": "string", "title": "组成形式", "enum": ["个人经营", "家庭经营"]},
            "district": {
                "type": "string",
                "title": "所在区",
                "enum": ["上城区", "拱墅区", "西湖区", "滨江区", "萧山区"],
            },
            "opened": {"type": "string", "format": "date", "title": "开业日期"},
            "staff": {"type": "integer", "title": "从业人数", "minimum": 1},
            "items": {
                "type": "array",
                "title": "经营项目",
                "items": {"type": "string", "enum": ["热食", "冷食"]},
            },
        },
        "required": ["kind", "opened"],
    }
    version = make_item(form_schema=schema, materials=[])
    client.force_login(world.citizen.user)

    html = client.get(f"/apply/item/{version.item.code}/").content.decode()

    assert 'type="radio" name="f.kind" value="个人经营"' in html
    assert '<select id="f-district" name="f.district"' in html
    assert 'type="date" id="f-opened"' in html
    assert 'type="number" id="f-staff" name="f.staff" value="" inputmode="numeric" min="1" step="1"' in html
    assert 'type="checkbox" name="f.items" value="冷食"' in html


def test_applying_for_an_item_with_an_upload_and_a_pledge_creates_the_application(client, world):
    identity, premises = _materials(world)
    client.force_login(world.citizen.user)
    uploaded = upload(client, identity, pdf("身份证.pdf"))
    assert uploaded.status_code == 200 and "已上传" in uploaded.content.decode()

    response = client.post(
        _url(world),
        form_post(
            fields={"applicant_name": "市民张三", "applicant_phone": "13800000000"},
            materials={
                identity: {
                    "way": "upload",
                    "document": uploaded_id(uploaded, identity),
                    "document_name": "身份证.pdf",
                },
                premises: {"way": "pledge", "pledge": "yes"},
            },
            key=str(uuid.uuid4()),
        ),
        HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Chrome/130",
    )

    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/me/applications/{application.number}/"
    assert application.applicant_user == world.citizen.user
    assert application.channel == "web"
    assert application.form == {"applicant_name": "市民张三", "applicant_phone": "13800000000"}
    given = {m.material_id: m for m in ApplicationMaterial.objects.filter(application=application)}
    assert given[identity.id].document.original_name == "身份证.pdf"
    assert given[premises.id].pledged and given[premises.id].pledge_text == premises.pledge_text
    assert application.cases.get().status == "pre_review"


def test_a_phone_applies_through_the_mobile_channel(client, world):
    identity, premises = _materials(world)
    client.force_login(world.citizen.user)
    document = make_document(world.citizen.user)

    client.post(
        _url(world),
        form_post(
            fields={"applicant_name": "市民张三", "applicant_phone": "13800000000"},
            materials={
                identity: {"way": "upload", "document": str(document.id)},
                premises: {"way": "pledge", "pledge": "yes"},
            },
        ),
        HTTP_USER_AGENT="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148",
    )

    assert Application.objects.get().channel == "mobile"


def test_the_pledge_shows_the_exact_pledge_text_and_asks_for_confirmation(client, world):
    _identity, premises = _materials(world)
    client.force_login(world.citizen.user)

    html = client.get(_url(world)).content.decode()

    assert premises.pledge_text in html
    assert f'name="{row(premises)}.pledge" value="yes"' in html
    assert "本人已阅读并承诺" in html


def test_validation_errors_are_shown_per_field_and_nothing_is_lost(client, world):
    identity, premises = _materials(world)
    client.force_login(world.citizen.user)
    uploaded = upload(client, identity)
    document_id = uploaded_id(uploaded, identity)

    response = client.post(
        _url(world),
        form_post(
            fields={"applicant_name": "", "applicant_phone": "123"},
            materials={
                identity: {"way": "upload", "document": document_id, "document_name": "证明.pdf"},
                premises: {"way": "pledge"},  # chosen, not confirmed
            },
        ),
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert not Application.objects.exists()
    # each message sits next to its field, and the summary links to it
    assert (
        '<p class="field-error" id="f-applicant_name-error"><span class="visually-hidden">错误：</span>请填写申请人姓名</p>'
        in html
    )
    assert (
        '<p class="field-error" id="f-applicant_phone-error"><span class="visually-hidden">错误：</span>格式不正确</p>'
        in html
    )
    assert 'href="#f-applicant_phone"' in html
    assert f'id="{row(premises)}-error"' in html and "请阅读承诺内容后勾选“本人已阅读并承诺”" in html
    # nothing lost: the typed value, the uploaded file, the chosen way
    assert 'name="f.applicant_phone" value="123"' in html
    assert f'name="{row(identity)}.document" value="{document_id}"' in html
    assert f'name="{row(premises)}.way" value="pledge" checked' in html


def test_a_missing_required_material_is_reported_on_its_row(client, world):
    identity, premises = _materials(world)
    client.force_login(world.citizen.user)

    response = client.post(
        _url(world),
        form_post(
            fields={"applicant_name": "市民张三", "applicant_phone": "13800000000"},
            materials={identity: {"way": "upload"}, premises: {"way": "pledge", "pledge": "yes"}},
        ),
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert f'id="{row(identity)}-error"' in html and "缺少必要材料：居民身份证" in html
    assert f'name="{row(premises)}.pledge" value="yes" checked' in html


def test_a_file_sent_with_the_page_itself_is_uploaded_before_submitting(client, world):
    identity, premises = _materials(world)
    client.force_login(world.citizen.user)

    response = client.post(
        _url(world),
        form_post(
            fields={"applicant_name": "市民张三", "applicant_phone": "13800000000"},
            materials={identity: {"way": "upload"}, premises: {"way": "pledge", "pledge": "yes"}},
            **{f"{row(identity)}.file": pdf("扫描件.pdf")},
        ),
    )

    assert response.status_code == 302
    given = ApplicationMaterial.objects.get(material=identity)
    assert given.document.original_name == "扫描件.pdf"


def test_a_double_click_creates_one_application(client, world):
    identity, premises = _materials(world)
    client.force_login(world.citizen.user)
    document = make_document(world.citizen.user)
    body = form_post(
        fields={"applicant_name": "市民张三", "applicant_phone": "13800000000"},
        materials={
            identity: {"way": "upload", "document": str(document.id)},
            premises: {"way": "pledge", "pledge": "yes"},
        },
        key=str(uuid.uuid4()),
    )

    first = client.post(_url(world), body)
    second = client.post(_url(world), body)

    assert Application.objects.count() == 1
    assert first["Location"] == second["Location"] == f"/me/applications/{Application.objects.get().number}/"


def test_the_upload_endpoint_reports_a_refused_file_inline(client, world):
    identity, _premises = _materials(world)
    client.force_login(world.citizen.user)

    response = upload(client, identity, pdf("说明.txt", b"just some text, not a PDF"))

    assert response.status_code == 200  # htmx swaps it in place
    assert response["HX-Retarget"] == f"#{row(identity)}-upload-error"
    assert "仅支持 PDF、JPG、PNG、OFD 格式的文件" in response.content.decode()


def test_the_online_form_stands_for_the_application_form_material(client, world):
    version = make_item(
        materials=[
            {"name": "测试事项申请表", "is_application_form": True, "form": codes.MaterialForm.ELECTRONIC}
        ]
    )
    client.force_login(world.citizen.user)
    page = client.get(f"/apply/item/{version.item.code}/").content.decode()
    material = version.materials.get()
    assert f'name="{row(material)}.way" value="online" checked' in page

    response = client.post(
        f"/apply/item/{version.item.code}/",
        form_post(
            fields={"applicant_name": "市民张三", "applicant_phone": "13800000000"},
            materials={material: {"way": "online"}},
        ),
    )

    assert response.status_code == 302
    given = ApplicationMaterial.objects.get(material=material)
    assert given.document.content_type == "application/pdf"
    assert given.document.original_name == "测试事项申请表（在线填写）.pdf"


def test_a_held_e_licence_is_offered_instead_of_an_upload(client, world):
    from tests.licences.conftest import TYPE_CODE, make_licence

    licence = make_licence(world.citizen.user)
    version = make_item(materials=[{"name": "测试经营许可证", "licence_type_code": TYPE_CODE}])
    material = version.materials.get()
    client.force_login(world.citizen.user)

    page = client.get(f"/apply/item/{version.item.code}/").content.decode()
    assert "使用电子证照（免提交）" in page and licence.number in page

    response = client.post(
        f"/apply/item/{version.item.code}/",
        form_post(
            fields={"applicant_name": "市民张三", "applicant_phone": "13800000000"},
            materials={material: {"way": "licence"}},
        ),
    )

    assert response.status_code == 302
    assert ApplicationMaterial.objects.get(material=material).licence_identifier == licence.identifier


def test_no_licence_option_without_a_valid_licence(client, world):
    from tests.licences.conftest import TYPE_CODE

    version = make_item(materials=[{"name": "测试经营许可证", "licence_type_code": TYPE_CODE}])
    client.force_login(world.citizen.user)

    assert "使用电子证照（免提交）" not in client.get(f"/apply/item/{version.item.code}/").content.decode()


def test_an_unknown_item_is_a_friendly_404(client, world):
    client.force_login(world.citizen.user)

    response = client.get("/apply/item/NO-SUCH-ITEM/")

    assert response.status_code == 404
    assert "未找到该事项" in response.content.decode()


def test_staff_get_403_for_the_upload_endpoint_too(client, world):
    identity, _premises = _materials(world)
    client.force_login(make_staff(StaffRole.OFFICER, department=world.department))

    assert upload(client, identity).status_code == 403


def test_a_refused_file_sent_with_the_page_stops_the_submission(client, world):
    identity, premises = _materials(world)
    client.force_login(world.citizen.user)

    response = client.post(
        _url(world),
        form_post(
            fields={"applicant_name": "市民张三", "applicant_phone": "13800000000"},
            materials={identity: {"way": "upload"}, premises: {"way": "pledge", "pledge": "yes"}},
            **{f"{row(identity)}.file": pdf("照片.txt", b"not a pdf at all")},
        ),
    )

    assert response.status_code == 422
    assert not Application.objects.exists()
    html = response.content.decode()
    assert f'id="{row(identity)}-error"' in html and "仅支持 PDF、JPG、PNG、OFD 格式的文件" in html
    assert 'name="f.applicant_name" value="市民张三"' in html
