"""实名认证: an online registration is unverified until the window, the kiosk's card reader or a
实名核验 provider verifies it; unverified accounts may browse but not read licences or data uses nor
apply for real-name items; a verified owner supersedes whoever typed their number first."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.accounts.realname_server import KEY, realname_service
from tests.cases.helpers import ApiUser
from tests.factories import (
    make_citizen,
    make_document,
    make_id_number,
    make_item,
    make_service_point,
    make_staff,
)
from yiwang.accounts.models import ApiToken, RealNameMethod, User
from yiwang.accounts.roles import StaffRole
from yiwang.audit.models import AuditAction, AuditEntry
from yiwang.kiosk.services import kiosk_pin_set

pytestmark = pytest.mark.django_db

PASSWORD = "Banshi-2026-mima"
OWNER_ID = make_id_number(606)


def register(client: Any, **overrides: Any) -> Any:
    values = {
        "kind": "person",
        "name": "王真人",
        "id_number": OWNER_ID,
        "mobile": "13912340606",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    values.update(overrides)
    return client.post("/accounts/register/", values)


def api(client: Any, username: str) -> dict[str, str]:
    response = client.post(
        "/api/v1/auth/token", {"username": username, "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


@pytest.fixture
def provider(settings):
    with realname_service() as (url, registry):
        settings.YIWANG_REALNAME_PROVIDER = "http"
        settings.YIWANG_REALNAME_URL = url
        settings.YIWANG_REALNAME_KEY = KEY
        settings.YIWANG_REALNAME_TIMEOUT = 2
        yield registry


def test_an_online_registration_is_unverified_and_may_browse_but_not_read_licences(client):
    assert register(client, name="李冒名").status_code == 302
    squatter = User.objects.get(name="李冒名")
    assert not squatter.is_real_name_verified

    assert client.get("/").status_code == 200
    assert client.get("/me/applications/").status_code == 200
    headers = api(client, OWNER_ID)
    licences = client.get("/api/v1/me/licences", **headers)
    uses = client.get("/api/v1/me/data-uses", **headers)
    assert (licences.status_code, licences.json()["code"]) == (403, "real_name_required")
    assert (uses.status_code, uses.json()["code"]) == (403, "real_name_required")
    assert client.get("/me/licences/").status_code == 403


def test_an_unverified_account_cannot_apply_for_an_item_that_requires_real_name(client):
    register(client)
    citizen = User.objects.get(name="王真人")
    strict = make_item(name="户籍证明", real_name_required=True, materials=[])
    open_to_all = make_item(name="政策咨询登记", real_name_required=False, materials=[])
    headers = api(client, OWNER_ID)

    def apply(version: Any) -> Any:
        return client.post(
            "/api/v1/applications",
            {
                "item": version.item.code,
                "form": {"applicant_name": citizen.name, "applicant_phone": "13912340606"},
                "materials": [],
                "channel": "web",
            },
            content_type="application/json",
            **headers,
        )

    refused = apply(strict)
    assert (refused.status_code, refused.json()["code"]) == (403, "real_name_required")
    assert "窗口" in refused.json()["message"]
    accepted = apply(open_to_all)
    assert accepted.status_code == 201, accepted.json()


def test_a_squatter_does_not_keep_the_owner_out_and_each_signs_in_to_their_own_account(client):
    register(
        client, name="李冒名", mobile="13700000001", password1="Maoming-2026-x", password2="Maoming-2026-x"
    )
    client.logout()

    assert register(client).status_code == 302, "the owner registers the same number"
    client.logout()
    assert User.objects.filter(id_number=OWNER_ID).count() == 2
    client.post("/accounts/login/", {"username": OWNER_ID, "password": PASSWORD})
    assert client.get("/me/security/").context["signed_in_person"].name == "王真人"
    client.logout()
    client.post("/accounts/login/", {"username": OWNER_ID, "password": "Maoming-2026-x"})
    assert client.get("/me/security/").context["signed_in_person"].name == "李冒名"


def test_the_window_verifies_the_owner_in_person_and_detaches_the_squatter(client):
    register(
        client, name="李冒名", mobile="13700000001", password1="Maoming-2026-x", password2="Maoming-2026-x"
    )
    squatter = User.objects.get(name="李冒名")
    squatter_api = api(client, squatter.username) if False else None  # noqa: F841 (see below)
    token = client.post(
        "/api/v1/auth/token",
        {"username": OWNER_ID, "password": "Maoming-2026-x"},
        content_type="application/json",
    ).json()["token"]
    client.logout()
    register(client)
    owner = User.objects.get(name="王真人")
    client.logout()

    clerk = make_staff(StaffRole.WINDOW_CLERK, service_point=make_service_point())
    client.force_login(clerk)
    client.post("/workbench/desk/", {"kind": "person", "number": OWNER_ID, "name": "王真人"})
    desk = client.get("/workbench/desk/").content.decode()
    assert "李冒名" in desk and "王真人" in desk and "当面核验通过" in desk
    response = client.post(reverse("workbench:desk_verify", args=[owner.pk]))

    assert response.status_code == 302
    owner.refresh_from_db()
    squatter.refresh_from_db()
    assert owner.real_name_method == RealNameMethod.WINDOW
    assert squatter.id_number is None and squatter.superseded_at is not None
    assert ApiToken.objects.get(user=squatter).revoked_at is not None, "signed out everywhere"
    client.logout()
    bearer = client.get("/api/v1/me/licences", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert bearer.status_code == 401
    assert AuditEntry.objects.filter(action=AuditAction.REAL_NAME_VERIFY, object_id=str(owner.pk)).exists()

    client.force_login(squatter)
    told = client.get("/me/real-name/").content.decode()
    assert "已由号码本人实名认证" in told and OWNER_ID not in told
    client.logout()
    again = register(client, name="赵再冒", mobile="13700000002")
    assert again.status_code == 422 and "已由本人完成实名认证" in again.content.decode()


def test_a_window_clerk_cannot_verify_an_account_of_another_number(client):
    stranger = User.objects.create_user(
        username="p-stranger", password=PASSWORD, kind="person", name="路人", id_number=make_id_number(607)
    )
    clerk = make_staff(StaffRole.WINDOW_CLERK, service_point=make_service_point())
    client.force_login(clerk)
    client.post("/workbench/desk/", {"kind": "person", "number": OWNER_ID, "name": "王真人"})
    client.post(reverse("workbench:desk_verify", args=[stranger.pk]))

    stranger.refresh_from_db()
    assert not stranger.is_real_name_verified


def test_the_kiosk_card_reader_and_the_pin_verify_the_account(client, settings):
    from tests.channels.kiosk.test_card_readers import FakeReader
    from yiwang.channels.kiosk.card_readers import CardData

    register(client)
    owner = User.objects.get(name="王真人")
    client.logout()
    kiosk_pin_set(user=owner, pin="246810")
    settings.YIWANG_KIOSK_CARD_READER = "tests.channels.kiosk.test_card_readers.FakeReader"
    FakeReader.card = CardData(id_number=OWNER_ID, name="王真人")
    try:
        client.get(reverse("kiosk:login"))
        client.post(reverse("kiosk:login"), {"pin": "246810"})
    finally:
        FakeReader.card = None

    owner.refresh_from_db()
    assert owner.real_name_method == RealNameMethod.KIOSK_CARD


def test_typing_the_number_on_the_kiosk_keypad_verifies_nothing(client):
    register(client)
    owner = User.objects.get(name="王真人")
    client.logout()
    kiosk_pin_set(user=owner, pin="246810")

    client.post(reverse("kiosk:login"), {"id_number": OWNER_ID, "pin": "246810"})

    owner.refresh_from_db()
    assert not owner.is_real_name_verified


def test_a_provider_that_confirms_name_and_number_verifies_at_registration(client, provider):
    provider.people[OWNER_ID] = "王真人"

    assert register(client).status_code == 302

    owner = User.objects.get(name="王真人")
    assert owner.real_name_method == RealNameMethod.PROVIDER
    assert provider.requests == [
        {"request_id": provider.requests[0]["request_id"], "name": "王真人", "id_number": OWNER_ID}
    ]


def test_a_provider_that_finds_another_name_refuses_the_registration(client, provider):
    provider.people[OWNER_ID] = "王真人"

    response = register(client, name="李冒名")

    assert response.status_code == 422
    assert "实名核验未通过" in response.content.decode()
    assert not User.objects.filter(name="李冒名").exists()


def test_a_provider_that_is_down_leaves_the_account_registered_and_unverified(client, provider):
    provider.down = True

    response = register(client)

    assert response.status_code == 302
    assert not User.objects.get(name="王真人").is_real_name_verified
    page = client.get(response["Location"], follow=True).content.decode()
    assert "实名核验服务暂不可用" in page


def test_online_verification_later_supersedes_an_unverified_holder(client, provider):
    provider.down = True
    register(client, name="李冒名", mobile="13700000001")
    client.logout()
    register(client)
    owner = User.objects.get(name="王真人")
    provider.down = False
    provider.people[OWNER_ID] = "王真人"

    response = client.post("/me/real-name/")

    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.real_name_method == RealNameMethod.PROVIDER
    assert User.objects.get(name="李冒名").id_number is None


def test_form_identity_fields_come_from_the_account_and_cannot_name_someone_else(client):
    citizen = make_citizen(name="张本人")
    other_id = make_id_number(777)
    schema = {
        "type": "object",
        "properties": {
            "applicant_name": {"type": "string", "title": "申请人姓名", "x-applicant": "name"},
            "applicant_id_number": {
                "type": "string",
                "title": "申请人公民身份号码",
                "format": "id-number",
                "x-applicant": "id_number",
            },
        },
        "required": ["applicant_name", "applicant_id_number"],
    }
    item = make_item(form_schema=schema, materials=[])
    caller = ApiUser(client, citizen)

    def apply(form: dict[str, Any]) -> Any:
        return caller.post(
            "/applications", {"item": item.item.code, "form": form, "materials": [], "channel": "web"}
        )

    impostor = apply({"applicant_name": "李别人", "applicant_id_number": other_id})
    assert impostor.status_code == 422
    assert set(impostor.json()["fields"]) == {"form.applicant_name", "form.applicant_id_number"}
    filled = apply({})
    assert filled.status_code == 201, filled.json()
    assert filled.json()["form"] == {"applicant_name": "张本人", "applicant_id_number": citizen.id_number}


def test_an_id_number_field_is_checked_by_gb_11643_not_only_by_its_pattern(client):
    schema = {
        "type": "object",
        "properties": {
            "spouse_id_number": {
                "type": "string",
                "title": "配偶公民身份号码",
                "pattern": "^[0-9]{17}[0-9Xx]$",
                "format": "id-number",
            }
        },
    }
    item = make_item(form_schema=schema, materials=[])
    caller = ApiUser(client, make_citizen())

    response = caller.post(
        "/applications",
        {
            "item": item.item.code,
            "form": {"spouse_id_number": "110105194912310021"},
            "materials": [],
            "channel": "web",
        },
    )

    assert response.status_code == 422
    assert response.json()["fields"]["form.spouse_id_number"] == [
        "公民身份号码校验位不正确，请核对后重新输入"
    ]


def test_the_registration_password_may_not_contain_the_numbers_being_registered(client):
    response = register(client, password1=f"Ab!{OWNER_ID[-6:]}xyz", password2=f"Ab!{OWNER_ID[-6:]}xyz")
    assert response.status_code == 422
    assert "密码不能包含身份证号码" in response.content.decode()
    response = register(client, password1="Ab!13912340606", password2="Ab!13912340606")
    assert response.status_code == 422
    assert not User.objects.filter(name="王真人").exists()


def test_a_window_application_is_never_shown_to_an_unverified_holder_of_the_number(client):
    register(client, name="李冒名")
    squatter = User.objects.get(name="李冒名")
    item = make_item(materials=[])
    clerk = ApiUser(client, make_staff(StaffRole.WINDOW_CLERK, service_point=make_service_point()))
    document = make_document(clerk.user)  # noqa: F841 (a window application needs no upload here)
    made = clerk.post(
        "/applications",
        {
            "item": item.item.code,
            "applicant": {"kind": "person", "name": "王真人", "id_number": OWNER_ID},
            "form": {"applicant_name": "王真人", "applicant_phone": "13912340606"},
            "materials": [],
            "channel": "window",
        },
    )
    assert made.status_code == 201, made.json()
    client.force_login(squatter)
    assert made.json()["number"] not in client.get("/me/applications/").content.decode()
