"""退出所有设备: one action ends every session of the user and revokes every API token."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import make_citizen

pytestmark = pytest.mark.django_db

PASSWORD = "pw-Yiwang-2026"


def signed_in(user) -> Client:
    client = Client()
    assert (
        client.post("/accounts/login/", {"username": user.username, "password": PASSWORD}).status_code == 302
    )
    return client


def token_for(user) -> str:
    response = Client().post(
        "/api/v1/auth/token",
        {"username": user.username, "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200
    return response.json()["token"]


def test_signing_out_everywhere_ends_every_session_and_token():
    user = make_citizen()
    phone, desktop = signed_in(user), signed_in(user)
    token = token_for(user)

    response = desktop.post("/me/security/sign-out-everywhere/")

    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert phone.get("/me/data-uses/").status_code == 302, "the other device is signed out too"
    assert desktop.get("/me/data-uses/").status_code == 302
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    assert signed_in(user).get("/me/data-uses/").status_code == 200, "signing in again works"


def test_the_api_signs_out_everywhere_including_the_calling_token():
    user = make_citizen()
    browser = signed_in(user)
    token, other = token_for(user), token_for(user)

    response = Client().post("/api/v1/auth/sign-out-everywhere", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 204
    for bearer in (token, other):
        assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {bearer}").status_code == 401
    assert browser.get("/me/data-uses/").status_code == 302


def test_signing_out_everywhere_needs_a_post():
    user = make_citizen()
    client = signed_in(user)

    assert client.get("/me/security/sign-out-everywhere/").status_code == 405
    assert client.get("/me/security/").status_code == 200
    assert client.get("/me/data-uses/").status_code == 200


def test_signing_out_everywhere_leaves_other_users_signed_in():
    user, other = make_citizen(), make_citizen()
    other_client = signed_in(other)

    signed_in(user).post("/me/security/sign-out-everywhere/")

    assert other_client.get("/me/data-uses/").status_code == 200


def test_signing_in_without_a_next_page_lands_on_the_users_own_start_page():
    from tests.factories import make_staff
    from yiwang.accounts.roles import StaffRole

    citizen, clerk = make_citizen(), make_staff(StaffRole.WINDOW_CLERK)

    to_citizen = Client().post("/accounts/login/", {"username": citizen.id_number, "password": PASSWORD})
    to_clerk = Client().post("/accounts/login/", {"username": clerk.username, "password": PASSWORD})

    assert to_citizen["Location"] == "/me/applications/"
    assert to_clerk["Location"] == "/workbench/"
