"""一件事 applications with optional members, and drafts kept in the session."""

from __future__ import annotations

import pytest

from tests.channels.portal.conftest import form_post, row
from tests.factories import make_bundle, make_department, make_document, make_item
from yiwang.cases.models import Application
from yiwang.catalog.services import bundle_publish

pytestmark = pytest.mark.django_db

SCHEMA_EXTRA = {
    "type": "object",
    "properties": {
        "applicant_name": {"type": "string", "title": "申请人姓名", "maxLength": 50},
        "pension_bank": {"type": "string", "title": "领取银行", "maxLength": 50},
    },
    "required": ["applicant_name", "pension_bank"],
}


@pytest.fixture
def bundle(db):
    first = make_item(name="退休申请", materials=[{"name": "居民身份证"}])
    second = make_item(department=make_department(), name="医保待遇核定", materials=[{"name": "居民身份证"}])
    third = make_item(
        department=make_department(),
        name="养老金银行卡变更",
        materials=[{"name": "银行卡"}],
        form_schema=SCHEMA_EXTRA,
    )
    bundle = make_bundle(first, second, third, name="退休一件事")
    member = bundle.members.get(item=third.item)
    member.optional = True
    member.save()
    return bundle_publish(bundle=bundle), (first, second, third)


def _body(user, versions, *, members=(), bank=""):
    first, _second, third = versions
    document = make_document(user)
    materials = {first.materials.get(): {"way": "upload", "document": str(document.id)}}
    fields = {"applicant_name": user.name, "applicant_phone": "13800000000"}
    if members:
        materials[third.materials.get()] = {"way": "upload", "document": str(document.id)}
        fields["pension_bank"] = bank
    return form_post(fields=fields, materials=materials, members=list(members))


def test_the_bundle_page_asks_each_field_once_and_lists_optional_members(client, world, bundle):
    found, (first, second, third) = bundle
    client.force_login(world.citizen.user)

    html = client.get(f"/apply/bundle/{found.code}/").content.decode()

    assert html.count('name="f.applicant_name"') == 1
    assert f'name="members" value="{third.item.code}"' in html
    assert "勾选“养老金银行卡变更”时填写" in html
    # the ID card both required members need is asked once
    assert html.count("居民身份证</h3>") == 1


def test_a_bundle_application_without_the_optional_member(client, world, bundle):
    found, versions = bundle
    client.force_login(world.citizen.user)

    response = client.post(f"/apply/bundle/{found.code}/", _body(world.citizen.user, versions))

    application = Application.objects.get()
    assert response.status_code == 302
    assert application.bundle == found
    assert sorted(c.item_version.name for c in application.cases.all()) == ["医保待遇核定", "退休申请"]


def test_a_bundle_application_with_an_optional_member(client, world, bundle):
    found, versions = bundle
    client.force_login(world.citizen.user)

    response = client.post(
        f"/apply/bundle/{found.code}/",
        _body(world.citizen.user, versions, members=[versions[2].item.code], bank="示范市商业银行"),
    )

    application = Application.objects.get()
    assert response.status_code == 302
    assert application.cases.count() == 3
    assert application.form["pension_bank"] == "示范市商业银行"


def test_an_optional_members_fields_are_checked_only_when_it_is_ticked(client, world, bundle):
    found, versions = bundle
    client.force_login(world.citizen.user)

    response = client.post(
        f"/apply/bundle/{found.code}/",
        _body(world.citizen.user, versions, members=[versions[2].item.code], bank=""),
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="f-pension_bank-error"' in html and "请填写领取银行" in html
    assert f'name="members" value="{versions[2].item.code}" checked' in html


def test_a_draft_is_saved_and_resumed(client, world):
    identity, premises = list(world.item.materials.order_by("order"))
    document = make_document(world.citizen.user)
    client.force_login(world.citizen.user)
    url = f"/apply/item/{world.item.item.code}/"

    saved = client.post(
        url,
        form_post(
            intent="draft",
            fields={"applicant_name": "草稿里的名字", "applicant_phone": "1380000"},
            materials={
                identity: {"way": "upload", "document": str(document.id), "document_name": "x.pdf"},
                premises: {"way": "pledge", "pledge": "yes"},
            },
        ),
    )

    assert saved.status_code == 302 and saved["Location"] == url
    assert not Application.objects.exists()
    html = client.get(url).content.decode()
    assert 'name="f.applicant_name" value="草稿里的名字"' in html
    assert 'name="f.applicant_phone" value="1380000"' in html  # not valid yet, kept as typed
    assert f'name="{row(identity)}.document" value="{document.id}"' in html
    assert document.original_name in html
    assert f'name="{row(premises)}.pledge" value="yes" checked' in html
    assert "保存的草稿" in html
    mine = client.get("/me/applications/").content.decode()
    assert "未提交的草稿" in mine and url in mine


def test_submitting_clears_the_draft_and_discarding_forgets_it(client, world):
    identity, premises = list(world.item.materials.order_by("order"))
    document = make_document(world.citizen.user)
    client.force_login(world.citizen.user)
    url = f"/apply/item/{world.item.item.code}/"
    body = form_post(
        fields={"applicant_name": "市民张三", "applicant_phone": "13800000000"},
        materials={
            identity: {"way": "upload", "document": str(document.id)},
            premises: {"way": "pledge", "pledge": "yes"},
        },
    )

    client.post(url, {**body, "intent": "draft"})
    client.post(url, {**body, "intent": "discard"})
    assert "保存的草稿" not in client.get(url).content.decode()

    client.post(url, {**body, "intent": "draft"})
    client.post(url, body)
    assert Application.objects.count() == 1
    assert "未提交的草稿" not in client.get("/me/applications/").content.decode()


def test_a_draft_does_not_reveal_a_document_that_is_not_the_applicants(client, world):
    identity, _premises = list(world.item.materials.order_by("order"))
    someone_elses = make_document(world.clerk.user)
    client.force_login(world.citizen.user)
    url = f"/apply/item/{world.item.item.code}/"

    client.post(
        url,
        form_post(
            intent="draft",
            materials={
                identity: {"way": "upload", "document": str(someone_elses.id), "document_name": "别人的.pdf"}
            },
        ),
    )

    html = client.get(url).content.decode()
    assert str(someone_elses.id) not in html and "别人的.pdf" not in html
