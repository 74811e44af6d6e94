"""我的办件: the list, one application's page, notices as PDF, withdrawal and 补正."""

from __future__ import annotations

import pytest

from tests.channels.portal.conftest import pdf, row
from tests.factories import make_citizen
from yiwang.cases.models import Application, ApplicationMaterial, Case

pytestmark = pytest.mark.django_db


def _submitted(world):
    response = world.apply()
    assert response.status_code == 201, response.content
    return response.json()["number"]


def test_my_applications_lists_only_mine(client, world):
    number = _submitted(world)
    other = make_citizen()
    client.force_login(world.citizen.user)

    html = client.get("/me/applications/").content.decode()

    assert number in html and "食品经营许可" in html and "待受理" in html
    client.force_login(other)
    assert number not in client.get("/me/applications/").content.decode()


def test_the_application_page_shows_cases_deadlines_and_the_timeline(client, world):
    number = _submitted(world)
    case = Case.objects.get()
    world.officer.act(case.number, "accept")
    client.force_login(world.citizen.user)

    html = client.get(f"/me/applications/{number}/").content.decode()

    case.refresh_from_db()
    assert "示范市市场监督管理局" in html
    assert case.promised_due.strftime("%Y-%m-%d") in html
    assert "剩余 " in html and " 个工作日" in html
    assert "您提交了申请" in html and "示范市市场监督管理局已受理您的申请" in html
    assert f"/me/applications/{number}/notices/acceptance.pdf" in html
    assert "撤回申请" in html


def test_someone_elses_application_page_is_not_found(client, world):
    number = _submitted(world)
    client.force_login(make_citizen())

    assert client.get(f"/me/applications/{number}/").status_code == 404


def test_notice_pdf_is_downloaded_by_its_owner_and_is_404_for_someone_else(client, world):
    number = _submitted(world)
    world.officer.act(Case.objects.get().number, "accept")

    client.force_login(world.citizen.user)
    response = client.get(f"/me/applications/{number}/notices/acceptance.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "filename*=UTF-8''" in response["Content-Disposition"]

    client.force_login(make_citizen())
    assert client.get(f"/me/applications/{number}/notices/acceptance.pdf").status_code == 404


def test_a_notice_not_issued_yet_is_404(client, world):
    number = _submitted(world)
    client.force_login(world.citizen.user)

    assert client.get(f"/me/applications/{number}/notices/completion.pdf").status_code == 404


def test_withdraw_asks_for_confirmation_then_withdraws_with_the_reason(client, world):
    number = _submitted(world)
    client.force_login(world.citizen.user)

    confirm = client.get(f"/me/applications/{number}/withdraw/")
    assert confirm.status_code == 200 and "确认撤回" in confirm.content.decode()
    assert Case.objects.get().status == "pre_review"

    response = client.post(f"/me/applications/{number}/withdraw/", {"reason": "材料没准备好"})

    assert response.status_code == 302 and response["Location"] == f"/me/applications/{number}/"
    case = Case.objects.get()
    assert case.status == "withdrawn"
    assert case.events.get(action="withdraw").reason == "材料没准备好"
    assert Application.objects.get().status == "withdrawn"
    page = client.get(response["Location"]).content.decode()
    assert "您撤回了申请" in page and 'href="/me/applications/' + number + '/withdraw/"' not in page


def test_someone_else_cannot_withdraw(client, world):
    number = _submitted(world)
    client.force_login(make_citizen())

    assert client.post(f"/me/applications/{number}/withdraw/", {"reason": ""}).status_code == 404
    assert Case.objects.get().status == "pre_review"


def _request_supplement(world, reason="租赁合同已过期，请提供有效期内的证明"):
    case = Case.objects.get()
    premises = world.item.materials.get(name="经营场所证明")
    response = world.officer.act(
        case.number, "request_supplement", items=[{"material": premises.id, "reason": reason}]
    )
    assert response.status_code == 200, response.content
    return case, premises


def test_supplement_asks_only_for_what_the_notice_listed(client, world):
    number = _submitted(world)
    _case, premises = _request_supplement(world)
    client.force_login(world.citizen.user)

    overview = client.get(f"/me/applications/{number}/").content.decode()
    assert "需要您补正材料" in overview and "租赁合同已过期" in overview

    html = client.get(f"/me/applications/{number}/supplement/").content.decode()
    assert "经营场所证明</h3>" in html and "租赁合同已过期，请提供有效期内的证明" in html
    assert "居民身份证" not in html
    assert html.count('<li class="material') == 1


def test_supplement_returns_the_case_to_pre_review(client, world):
    number = _submitted(world)
    case, premises = _request_supplement(world)
    client.force_login(world.citizen.user)

    response = client.post(
        f"/me/applications/{number}/supplement/",
        {f"{row(premises)}.way": "upload", f"{row(premises)}.file": pdf("新租赁合同.pdf")},
    )

    assert response.status_code == 302 and response["Location"] == f"/me/applications/{number}/"
    case.refresh_from_db()
    assert case.status == "pre_review"
    given = ApplicationMaterial.objects.get(material=premises)
    assert given.supplemented and given.document.original_name == "新租赁合同.pdf"


def test_a_supplement_without_the_listed_material_is_refused_on_its_row(client, world):
    number = _submitted(world)
    case, premises = _request_supplement(world)
    client.force_login(world.citizen.user)

    response = client.post(f"/me/applications/{number}/supplement/", {f"{row(premises)}.way": "upload"})

    html = response.content.decode()
    assert response.status_code == 422
    assert f'id="{row(premises)}-error"' in html and "请选择并上传文件" in html
    case.refresh_from_db()
    assert case.status == "supplement_requested"


def test_a_supplement_may_be_a_pledge_where_the_material_allows_it(client, world):
    number = _submitted(world)
    case, premises = _request_supplement(world)
    client.force_login(world.citizen.user)

    client.post(
        f"/me/applications/{number}/supplement/",
        {f"{row(premises)}.way": "pledge", f"{row(premises)}.pledge": "yes"},
    )

    case.refresh_from_db()
    assert case.status == "pre_review"
    assert ApplicationMaterial.objects.get(material=premises).pledged


def test_with_nothing_to_supplement_the_page_goes_back_to_the_application(client, world):
    number = _submitted(world)
    client.force_login(world.citizen.user)

    response = client.get(f"/me/applications/{number}/supplement/")

    assert response.status_code == 302 and response["Location"] == f"/me/applications/{number}/"


def test_a_bundle_supplement_gives_each_case_its_own_materials(client, world):
    from tests.factories import make_bundle, make_department, make_document, make_item
    from yiwang.catalog.services import bundle_publish

    first = make_item(
        department=world.department, name="食品经营许可（一件事）", materials=[{"name": "健康证明"}]
    )
    second = make_item(department=make_department(), name="消防安全检查", materials=[{"name": "消防平面图"}])
    bundle = bundle_publish(bundle=make_bundle(first, second, name="开餐馆"))
    document = make_document(world.citizen.user)
    submitted = world.citizen.post(
        "/applications",
        {
            "bundle": bundle.code,
            "form": {"applicant_name": world.citizen.user.name, "applicant_phone": "13800000000"},
            "materials": [
                {"material": first.materials.get().id, "document": str(document.id)},
                {"material": second.materials.get().id, "document": str(document.id)},
            ],
            "channel": "web",
        },
    )
    number = submitted.json()["number"]
    health, plan = first.materials.get(), second.materials.get()
    asked = world.officer.act_application(
        number,
        "request_supplement",
        items=[
            {"material": health.id, "reason": "健康证明已过期"},
            {"material": plan.id, "reason": "平面图不清晰"},
        ],
    )
    assert asked.status_code == 200, asked.content
    client.force_login(world.citizen.user)

    page = client.get(f"/me/applications/{number}/supplement/").content.decode()
    assert "健康证明已过期" in page and "平面图不清晰" in page

    response = client.post(
        f"/me/applications/{number}/supplement/",
        {
            f"{row(health)}.way": "upload",
            f"{row(health)}.file": pdf("新健康证明.pdf"),
            f"{row(plan)}.way": "upload",
            f"{row(plan)}.file": pdf("平面图.pdf", b"%PDF-1.4\n% plan\n%%EOF\n"),
        },
    )

    assert response.status_code == 302
    assert sorted(Case.objects.values_list("status", flat=True)) == ["pre_review", "pre_review"]


def test_a_bundle_supplement_is_all_or_nothing(client, world):
    from tests.factories import make_bundle, make_department, make_document, make_item
    from yiwang.catalog.services import bundle_publish

    first = make_item(
        department=world.department, name="食品经营许可（一件事）", materials=[{"name": "健康证明"}]
    )
    second = make_item(department=make_department(), name="消防安全检查", materials=[{"name": "消防平面图"}])
    bundle = bundle_publish(bundle=make_bundle(first, second, name="开餐馆"))
    document = make_document(world.citizen.user)
    number = world.citizen.post(
        "/applications",
        {
            "bundle": bundle.code,
            "form": {"applicant_name": world.citizen.user.name, "applicant_phone": "13800000000"},
            "materials": [
                {"material": first.materials.get().id, "document": str(document.id)},
                {"material": second.materials.get().id, "document": str(document.id)},
            ],
            "channel": "web",
        },
    ).json()["number"]
    health, plan = first.materials.get(), second.materials.get()
    world.officer.act_application(
        number,
        "request_supplement",
        items=[
            {"material": health.id, "reason": "健康证明已过期"},
            {"material": plan.id, "reason": "平面图不清晰"},
        ],
    )
    client.force_login(world.citizen.user)

    response = client.post(
        f"/me/applications/{number}/supplement/",
        {
            f"{row(health)}.way": "upload",
            f"{row(health)}.file": pdf("新健康证明.pdf"),
            f"{row(plan)}.way": "upload",
        },
    )

    assert response.status_code == 422
    assert f'id="{row(plan)}-error"' in response.content.decode()
    assert sorted(Case.objects.values_list("status", flat=True)) == [
        "supplement_requested",
        "supplement_requested",
    ]
