"""The WSGI application (core.handlers): token API calls take the short middleware chain, and
nothing a browser relies on is lost on either chain."""

from __future__ import annotations

import io
import json
import sys
from typing import Any

import pytest
from django.test import Client, RequestFactory

from tests.conftest import keep_test_connection
from tests.factories import make_citizen
from yiwang.accounts.services import api_token_issue
from yiwang.cases.models import Application
from yiwang.wsgi import application

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("wsgi_keeps_test_connection")]


def call(method: str, path: str, body: bytes = b"", **headers: str) -> tuple[int, dict[str, str], bytes]:
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        **headers,
    }
    answer: dict[str, Any] = {}

    def start_response(status: str, response_headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        answer["status"] = int(status[:3])
        answer["headers"] = dict(response_headers)

    with keep_test_connection():  # each time: the test client connects the receivers again
        chunks = application(environ, start_response)
        content = b"".join(chunks)
        getattr(chunks, "close", lambda: None)()
    return answer["status"], answer["headers"], content


@pytest.fixture
def citizen_token():
    citizen = make_citizen(username="handler-citizen")
    request = RequestFactory().post("/api/v1/auth/token")
    token, _record = api_token_issue(request=request, username="handler-citizen", password="pw-Yiwang-2026")
    return citizen, token


def test_a_token_call_skips_the_browser_only_middleware_and_keeps_every_security_header(citizen_token):
    citizen, token = citizen_token

    status, headers, content = call("GET", "/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert status == 200 and json.loads(content)["username"] == citizen.username
    assert "Content-Language" not in headers, "the locale middleware is skipped on a token call"
    for header in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy"):
        assert header in headers, header


def test_a_call_without_a_token_goes_through_the_whole_chain():
    status, headers, _content = call("GET", "/api/v1/me")

    assert status == 401
    assert headers.get("Content-Language") == "zh-hans"
    assert "Content-Security-Policy" in headers


def test_an_unknown_token_gets_401_on_the_short_chain(citizen_token):
    status, _headers, content = call("GET", "/api/v1/me", HTTP_AUTHORIZATION="Bearer not-a-token")

    assert status == 401 and json.loads(content)["code"] == "not_authenticated"


def test_a_session_call_with_a_bogus_bearer_header_still_needs_its_csrf_token(citizen_token):
    citizen, _token = citizen_token
    browser = Client()
    browser.force_login(citizen)
    cookie = f"sessionid={browser.cookies['sessionid'].value}"

    status, _headers, content = call(
        "POST",
        "/api/v1/applications",
        json.dumps({"item": "ITEM", "form": {}, "materials": []}).encode(),
        HTTP_COOKIE=cookie,
        HTTP_AUTHORIZATION="Bearer not-a-token",
    )

    assert status == 403, content
    assert "CSRF" in json.loads(content)["message"]
    assert not Application.objects.exists()
