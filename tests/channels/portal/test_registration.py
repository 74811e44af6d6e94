"""实名注册: natural persons and enterprises, identifiers checked, one account per ID number or USCC."""

from __future__ import annotations

import pytest

from tests.factories import _business_uscc, make_citizen, make_id_number
from yiwang.accounts.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "Banshi-2026-mima"


def person(**overrides):
    values = {
        "kind": "person",
        "name": "李晓明",
        "id_number": "11010519491231002X",
        "mobile": "13912345678",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    values.update(overrides)
    return values


def test_registration_validates_the_id_number(client):
    response = client.post("/accounts/register/", person(id_number="110105194912310021"))

    assert response.status_code == 422
    assert "公民身份号码校验位不正确" in response.content.decode()
    assert not User.objects.filter(name="李晓明").exists()


def test_registration_creates_a_person_who_is_then_signed_in(client):
    response = client.post(
        "/accounts/register/", person(id_number="11010519491231002x", mobile="+86 139-1234-5678")
    )

    assert response.status_code == 302 and response["Location"] == "/me/applications/"
    user = User.objects.get(id_number="11010519491231002X")
    assert (user.kind, user.name, user.mobile) == ("person", "李晓明", "13912345678")
    assert "1949" not in user.username, "the username is stored in clear: it must not be the ID number"
    assert user.check_password(PASSWORD)
    assert client.get("/me/applications/").status_code == 200


def test_a_registered_person_signs_in_with_the_id_number(client):
    client.post("/accounts/register/", person(id_number="11010519491231002X"))
    client.logout()

    response = client.post("/accounts/login/", {"username": "11010519491231002x", "password": PASSWORD})

    assert response.status_code == 302
    assert client.get("/me/applications/").status_code == 200


def test_registration_refuses_an_id_number_its_owner_has_verified(client):
    make_citizen(id_number=make_id_number(77))  # verified at the window (factories)

    response = client.post("/accounts/register/", person(id_number=make_id_number(77)))

    assert response.status_code == 422
    assert "该身份证号码已由本人完成实名认证并注册" in response.content.decode()
    assert User.objects.filter(id_number=make_id_number(77)).count() == 1


def test_registration_checks_the_mobile_number_and_the_password(client):
    response = client.post("/accounts/register/", person(mobile="12345", password1="123", password2="123"))

    html = response.content.decode()
    assert response.status_code == 422
    assert "手机号码应为 11 位中国大陆手机号" in html
    assert 'id="id_password1-error"' in html
    assert not User.objects.filter(name="李晓明").exists()


def test_an_enterprise_registers_with_its_uscc_and_legal_representative(client):
    uscc = _business_uscc(90_001)
    response = client.post(
        "/accounts/register/",
        {
            "kind": "legal",
            "company_name": "示范市禾禾餐饮有限公司",
            "uscc": uscc.lower(),
            "legal_representative": "王禾",
            "legal_representative_id_number": make_id_number(91),
            "mobile": "13700001111",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert response.status_code == 302
    company = User.objects.get(uscc=uscc)
    assert (company.kind, company.name, company.legal_representative) == (
        "legal",
        "示范市禾禾餐饮有限公司",
        "王禾",
    )
    assert company.id_number is None and company.username == uscc


def test_an_enterprise_with_a_wrong_uscc_is_refused(client):
    response = client.post(
        "/accounts/register/",
        {
            "kind": "legal",
            "company_name": "示范市禾禾餐饮有限公司",
            "uscc": "91330106MA00000000",
            "legal_representative": "王禾",
            "legal_representative_id_number": make_id_number(91),
            "mobile": "13700001111",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert response.status_code == 422
    assert 'id="id_uscc-error"' in response.content.decode()
    assert not User.objects.filter(name="示范市禾禾餐饮有限公司").exists()
