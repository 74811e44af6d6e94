"""Account security: sign-in delays after repeated failures (the rest in test_lockout.py), password
policy, security headers, strict CORS."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.factories import make_citizen

pytestmark = pytest.mark.django_db


def token(client, username: str, password: str):
    return client.post(
        "/api/v1/auth/token", {"username": username, "password": password}, content_type="application/json"
    )


def test_five_wrong_passwords_make_that_address_wait_for_the_account(client):
    user = make_citizen()
    for _ in range(4):
        assert token(client, user.username, "wrong-password").status_code == 401
    assert token(client, user.username, "wrong-password").status_code == 429  # the fifth starts the delay
    locked = token(client, user.username, "pw-Yiwang-2026")
    assert locked.status_code == 429
    assert locked.json()["code"] == "login_throttled"


def test_a_success_before_the_limit_resets_the_count(client):
    user = make_citizen()
    for _ in range(3):
        token(client, user.username, "wrong-password")
    assert token(client, user.username, "pw-Yiwang-2026").status_code == 200
    for _ in range(3):
        token(client, user.username, "wrong-password")
    assert token(client, user.username, "pw-Yiwang-2026").status_code == 200


def test_the_portal_login_page_shows_the_lockout(client):
    user = make_citizen()
    for _ in range(5):
        client.post("/accounts/login/", {"username": user.username, "password": "wrong"})
    response = client.post("/accounts/login/", {"username": user.username, "password": "pw-Yiwang-2026"})
    assert response.status_code == 429
    assert "登录失败次数过多，请 1 分钟后再试" in response.content.decode()


@pytest.mark.parametrize(
    "password, message",
    [
        ("Short1!", "密码长度太短"),
        ("abcdefghijk", "密码须包含大写字母、小写字母、数字、符号中的至少三类"),
        ("Xx330102199003071230", "密码不能包含身份证号码"),
        ("Abc!071230xyz", "密码不能包含身份证号码"),
        ("Password123", "这个密码太常见了"),
    ],
)
def test_password_policy(password, message):
    user = make_citizen(id_number="330102199003071230")
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as caught:
            validate_password(password, user)
        messages = [str(m) for m in caught.value.messages]
    assert any(message in m for m in messages), messages


def test_a_strong_password_is_accepted():
    validate_password("Sfz-Lan2026!qp", make_citizen())


def test_pages_and_api_send_security_headers(client):
    for path in ("/", "/api/v1/items"):
        response = client.get(path)
        assert "default-src 'self'" in response["Content-Security-Policy"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"
        assert "camera=()" in response["Permissions-Policy"]


def test_the_api_allows_no_foreign_origin(client):
    response = client.options(
        "/api/v1/items", HTTP_ORIGIN="https://evil.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert "Access-Control-Allow-Origin" not in response


def test_a_listed_origin_may_call_the_api(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://dept.example.gov.cn"]
    response = client.get("/api/v1/items", HTTP_ORIGIN="https://dept.example.gov.cn")
    assert response["Access-Control-Allow-Origin"] == "https://dept.example.gov.cn"
