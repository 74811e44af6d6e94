"""我的证照: the signed-in holder's e-licences at /me/licences/ and GET /api/v1/me/licences — their own only,
ID numbers masked, the status that holds today and why, the PDF and the public verification link."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from tests.cases.conftest import world  # noqa: F401 - fixture
from tests.cases.helpers import ApiUser
from tests.factories import make_citizen, make_company, make_department, make_document, make_item, make_staff
from tests.licences.conftest import make_licence, make_licence_type
from yiwang.accounts.roles import StaffRole
from yiwang.cases.models import Case
from yiwang.licences.services import LONG_TERM, licence_change_status, licence_revoke_for_case

pytestmark = pytest.mark.django_db

ID_CARD = "11100000YW000099XF001"


@pytest.fixture
def holder(client):
    return ApiUser(client, make_citizen(name="张示范"))


def _page(client, user) -> str:
    client.force_login(user)
    response = client.get("/me/licences/")
    assert response.status_code == 200, response.content
    return response.content.decode()


def _items(api: ApiUser) -> list[dict]:
    response = api.get("/me/licences")
    assert response.status_code == 200, response.content
    return response.json()["items"]


def _id_card(holder_user):
    """A 居民身份证 whose number is the holder's ID number, as on a real card."""
    licence_type = make_licence_type(
        code=ID_CARD, name="居民身份证", category="identity", validity_years=None, data_fields=[]
    )
    return make_licence(holder_user, licence_type=licence_type, number=holder_user.id_number, data={})


def test_wallet_lists_each_licence_with_type_number_issuer_dates_and_status(client, holder):
    issuer = make_department(name="示范市市场监督管理局")
    licence = make_licence(holder.user, issuer=issuer, number="JY13301000000009", issued_on=date(2024, 3, 1))

    (item,) = _items(holder)
    assert item["identifier"] == licence.identifier
    assert (item["type_name"], item["name"], item["number"]) == (
        "测试经营许可证",
        licence.name,
        "JY13301000000009",
    )
    assert (item["issuer_name"], item["issued_on"]) == ("示范市市场监督管理局", "2024-03-01")
    assert item["validity"] == f"2024-03-01 至 {licence.valid_until:%Y-%m-%d}"
    assert (item["status"], item["status_label"], item["currently_valid"]) == ("01", "有效", True)
    page = _page(client, holder.user)
    for text in ("测试经营许可证", "JY13301000000009", "示范市市场监督管理局", "2024-03-01", "有效"):
        assert text in page


def test_wallet_never_lists_another_holders_licence(client, holder):
    other = make_citizen(name="李他人")
    mine = make_licence(holder.user, number="MINE-0001")
    theirs = make_licence(other, number="THEIRS-0001")

    assert [i["identifier"] for i in _items(holder)] == [mine.identifier]
    page = _page(client, holder.user)
    assert "MINE-0001" in page
    assert "THEIRS-0001" not in page and theirs.identifier not in page


def test_wallet_masks_an_id_number_used_as_the_licence_number(client, holder):
    card = _id_card(holder.user)
    clear = holder.user.id_number
    masked = f"{clear[:6]}********{clear[-4:]}"

    (item,) = _items(holder)
    assert item["identifier"] == card.identifier and item["number"] == masked
    assert clear not in holder.get("/me/licences").content.decode()
    page = _page(client, holder.user)
    assert masked in page and clear not in page


def test_wallet_shows_a_generated_number_in_full_though_it_looks_like_an_id_number(holder):
    licence = make_licence(holder.user)  # region + year + serial: 18 digits, like an ID number
    assert len(licence.number) == 18

    assert _items(holder)[0]["number"] == licence.number


def test_wallet_shows_a_long_term_licence_as_long_term(holder):
    make_licence(holder.user, valid_from=date(2020, 5, 4), issued_on=date(2020, 5, 4), valid_until=LONG_TERM)

    (item,) = _items(holder)
    assert item["valid_until"] is None and item["validity"] == "2020-05-04 起长期有效"


def test_wallet_shows_a_licence_past_its_end_date_as_expired_before_the_daily_sweep(client, holder):
    today = timezone.localdate()
    licence = make_licence(
        holder.user,
        issued_on=today - timedelta(days=400),
        valid_from=today - timedelta(days=400),
        valid_until=today - timedelta(days=1),
    )
    assert licence.status == "01"  # licences_expire has not run

    (item,) = _items(holder)
    assert (item["status"], item["status_label"], item["currently_valid"]) == ("05", "过期", False)
    assert item["status_reason"].startswith("有效期已于")
    assert "过期" in _page(client, holder.user)


def test_wallet_shows_why_a_licence_was_revoked_for_a_false_pledge(client, world):  # noqa: F811
    holder = world.citizen
    case = world.apply().json()["cases"][0]["number"]
    licence = make_licence(holder.user, case=Case.objects.get(number=case))
    licence_revoke_for_case(case=licence.case, reason="告知承诺不实，依法撤销行政许可决定")

    (item,) = _items(holder)
    assert (item["status"], item["status_label"], item["currently_valid"]) == ("03", "吊销/撤销", False)
    assert item["status_reason"] == "告知承诺不实，依法撤销行政许可决定"
    page = _page(client, holder.user)
    assert "吊销/撤销原因：告知承诺不实，依法撤销行政许可决定" in page


def test_wallet_shows_the_reason_of_the_current_status_not_an_earlier_one(holder):
    licence = make_licence(holder.user)
    licence_change_status(licence=licence, status="02", reason="暂扣：接受调查")
    licence_change_status(licence=licence, status="01", reason="调查结束，恢复")
    licence_change_status(licence=licence, status="04", reason="经营者申请注销")

    (item,) = _items(holder)
    assert (item["status"], item["status_reason"]) == ("04", "经营者申请注销")


def test_holder_downloads_the_pdf_the_wallet_links(client, holder):
    licence = make_licence(holder.user)
    page = _page(client, holder.user)
    link = f"/api/v1/licences/{licence.identifier}.pdf"
    assert f'href="{link}"' in page

    response = client.get(link)  # the page's own session, as the browser follows the link
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert _items(holder)[0]["pdf_url"].endswith(link)


def test_someone_else_gets_404_for_a_holders_pdf(client, holder):
    licence = make_licence(holder.user)
    client.force_login(make_citizen())

    response = client.get(f"/api/v1/licences/{licence.identifier}.pdf")
    assert response.status_code == 404 and response.json()["code"] == "licence_not_found"


def test_wallet_links_each_licence_to_its_public_verification_page(client, holder):
    licence = make_licence(holder.user)

    assert _items(holder)[0]["verify_url"].endswith(f"/licences/verify/{licence.identifier}/")
    assert f'href="/licences/verify/{licence.identifier}/"' in _page(client, holder.user)


def test_a_legal_person_sees_the_companys_licences(client):
    company = ApiUser(client, make_company(name="示范市云帆科技有限公司"))
    licence_type = make_licence_type(code="11100000YW000099XF902", name="营业执照", holder_kind="legal")
    licence = make_licence(company.user, licence_type=licence_type, number=company.user.uscc)
    make_licence(make_citizen(), number="PERSON-0001")

    (item,) = _items(company)
    assert (item["identifier"], item["number"]) == (licence.identifier, company.user.uscc)  # a USCC is public
    page = _page(client, company.user)
    assert "营业执照" in page and "PERSON-0001" not in page


def test_an_unverified_account_gets_403_real_name_required_on_the_wallet(client):
    unverified = make_citizen(real_name_method="")
    make_licence(unverified, number="SECRET-0001")

    response = ApiUser(client, unverified).get("/me/licences")
    assert response.status_code == 403
    assert response.json()["code"] == "real_name_required" and "实名认证" in response.json()["message"]
    client.force_login(unverified)
    page = client.get("/me/licences/")
    html = page.content.decode()
    assert page.status_code == 403 and "查看电子证照须先完成实名认证" in html
    assert 'href="/me/security/"' in html and "SECRET-0001" not in html
    assert page.get("X-Denied-By") is None  # the account may use it once verified: not the policy's 403


def test_an_unverified_account_cannot_download_its_licence_pdf_either(client):
    unverified = make_citizen(real_name_method="")
    licence = make_licence(unverified)
    client.force_login(unverified)

    response = client.get(f"/api/v1/licences/{licence.identifier}.pdf")
    assert response.status_code == 403 and response.json()["code"] == "real_name_required"


def test_wallet_api_is_paginated_like_the_other_lists(holder, settings):
    settings.YIWANG_PAGE_SIZE = 2
    for n in range(3):
        make_licence(holder.user, number=f"PAGE-{n}")

    first = holder.get("/me/licences").json()
    assert first["count"] == 3 and len(first["items"]) == 2 and "page=2" in first["next"]
    second = holder.get("/me/licences", {"page": 2}).json()
    assert len(second["items"]) == 1 and second["next"] is None


def test_the_signed_in_navigation_links_the_wallet(client, holder):
    client.force_login(holder.user)
    assert 'href="/me/licences/"' in client.get("/").content.decode()


def test_the_completion_notice_sends_the_holder_to_the_wallet_that_lists_the_issued_licence(client, holder):
    department = make_department(name="示范区市场监督管理局")
    licence_type = make_licence_type(
        code="11100000YW000099XF010",
        name="食品经营许可证",
        data_fields=[{"name": "operator_name", "title": "经营者", "from": ["applicant_name"]}],
    )
    item = make_item(
        department=department, result_name="食品经营许可证", result_licence_type=licence_type.code
    )
    officer = ApiUser(client, make_staff(StaffRole.OFFICER, department=department))
    document = make_document(holder.user)
    applied = holder.post(
        "/applications",
        {
            "item": item.item.code,
            "channel": "web",
            "form": {"applicant_name": "张示范", "applicant_phone": "13800000000"},
            "materials": [{"material": m.id, "document": str(document.id)} for m in item.materials.all()],
        },
    ).json()
    case = applied["cases"][0]["number"]
    for action in ("accept", "start_review", "approve"):
        assert officer.act(case, action).status_code == 200
    assert officer.act(case, "complete", result={"number": "JY13301000000009"}).status_code == 200

    notice = holder.get(f"/applications/{applied['number']}/notices/completion.pdf")
    assert notice.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(notice.content)).pages)
    assert "/me/licences/" in text.replace("\n", "").replace(" ", "")
    assert [i["number"] for i in _items(holder)] == ["JY13301000000009"]
