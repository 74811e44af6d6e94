"""The API's conventions (shared/API.md): 401 names the Bearer scheme, every error is the error body in
Chinese, every moment is written in the site's zone with its offset."""

from __future__ import annotations

import re

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory

from tests.factories import make_citizen
from yiwang.core.middleware import ApiErrorBodyMiddleware

pytestmark = pytest.mark.django_db

CHINESE = re.compile("[\u4e00-\u9fff]")
LOCAL_MOMENT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?\+08:00$")


def test_no_credentials_is_401_with_www_authenticate_bearer():
    client = Client(enforce_csrf_checks=True)  # as a real client: CSRF is not switched off
    response = client.post("/api/v1/applications", "{}", content_type="application/json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["code"] == "not_authenticated"


def test_an_unknown_token_is_401_with_www_authenticate_bearer(client):
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer not-a-token")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_session_call_without_its_csrf_token_is_still_refused():
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_citizen(), backend="yiwang.accounts.backends.IdentifierBackend")
    response = client.post("/api/v1/applications", "{}", content_type="application/json")
    assert response.status_code == 403
    assert CHINESE.search(response.json()["message"])


def test_malformed_json_is_400_with_a_chinese_message(client):
    response = client.post("/api/v1/auth/token", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_request"
    assert response.json()["message"].startswith("请求体不是有效的 JSON")


def test_an_unknown_api_address_is_404_in_the_error_body(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "接口地址不存在"}


def test_a_method_the_api_does_not_take_is_405_in_the_error_body(client):
    response = client.delete("/api/v1/items")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert response["Allow"] == "GET"


def test_a_server_error_under_the_api_is_the_error_body():
    middleware = ApiErrorBodyMiddleware(lambda request: HttpResponse("<h1>Server Error</h1>", status=500))
    response = middleware(RequestFactory().get("/api/v1/items"))
    assert response["Content-Type"].startswith("application/json")
    assert response.status_code == 500
    assert CHINESE.search(response.content.decode())


def test_pages_keep_their_own_error_pages(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_every_validation_message_is_chinese(client):
    body = '{"username": 1, "password": ["x"], "extra": true}'
    response = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert response.status_code == 422
    messages = [m for ms in response.json()["fields"].values() for m in ms]
    assert messages and all(CHINESE.search(m) for m in messages), messages


def test_a_list_item_is_named_by_its_index(world):
    response = world.apply(materials=[{"material": "not a number"}])
    assert response.status_code == 422
    assert response.json()["fields"]["materials[0].material"] == ["须为整数"]


def test_the_token_expires_at_in_local_time_with_offset(client):
    user = make_citizen()
    response = client.post(
        "/api/v1/auth/token",
        {"username": user.username, "password": "pw-Yiwang-2026"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["expires_at"].endswith("+08:00")
    assert LOCAL_MOMENT.match(response.json()["expires_at"])


def test_every_moment_of_an_application_is_in_local_time(world):
    body = world.apply().json()
    moments = [body["created_at"], *(e["at"] for e in body["events"])]
    assert all(LOCAL_MOMENT.match(m) for m in moments), moments
