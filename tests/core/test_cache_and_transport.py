"""Caching and transport (core.headers, settings): no answer that may hold someone's data is stored by a
browser or proxy, public catalog pages still may be; YIWANG_HTTPS turns on HSTS, secure cookies, the
HTTPS redirect and the proxy's scheme header at once."""

from __future__ import annotations

import runpy

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

import yiwang.settings
from tests.core.test_handlers import call
from yiwang.accounts.services import api_token_issue

pytestmark = pytest.mark.django_db


def never_stored(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user, backend="yiwang.accounts.backends.IdentifierBackend")
    return client


def test_the_applicants_own_pages_are_never_stored(world):
    assert never_stored(signed_in(world.citizen.user).get(reverse("channels:data_uses")))


def test_workbench_pages_are_never_stored(world):
    response = signed_in(world.officer.user).get(reverse("workbench:queue"))

    assert response.status_code == 200 and never_stored(response)


def test_api_json_is_never_stored(world):
    response = world.citizen.get("/me")

    assert response.status_code == 200 and never_stored(response)


def test_the_api_notice_pdf_is_never_stored(world):
    application = world.apply().json()
    accepted = world.officer.act(application["cases"][0]["number"], "accept")
    assert accepted.status_code == 200, accepted.content

    response = world.citizen.get(f"/applications/{application['number']}/notices/acceptance.pdf")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert never_stored(response)


def test_a_token_call_on_the_short_middleware_chain_is_never_stored(world):
    request = RequestFactory().post("/api/v1/auth/token")
    token, _record = api_token_issue(
        request=request, username=world.citizen.user.username, password="pw-Yiwang-2026"
    )

    status, headers, _content = call("GET", "/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert status == 200 and "no-store" in headers.get("Cache-Control", "")


def test_public_catalog_pages_may_be_cached(world):
    response = Client().get(reverse("channels:item_guide", args=[world.item.item.code]))

    assert response.status_code == 200 and not never_stored(response)


def test_a_catalog_page_shown_to_a_signed_in_user_is_never_stored(world):
    response = signed_in(world.citizen.user).get(reverse("channels:item_guide", args=[world.item.item.code]))

    assert response.status_code == 200 and never_stored(response)


def read_settings(monkeypatch, **env: str) -> dict:
    """The settings module as it reads this environment (run afresh; Django's settings are untouched)."""
    monkeypatch.delenv("YIWANG_HTTPS", raising=False)
    monkeypatch.delenv("YIWANG_SECURE_COOKIES", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(yiwang.settings.__file__)


def test_yiwang_https_turns_on_hsts_secure_cookies_redirect_and_the_proxy_header(monkeypatch):
    read = read_settings(monkeypatch, YIWANG_HTTPS="1")

    assert read["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600 and read["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert read["SESSION_COOKIE_SECURE"] and read["CSRF_COOKIE_SECURE"]
    assert read["SECURE_SSL_REDIRECT"]
    assert read["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")


def test_without_yiwang_https_plain_http_keeps_working(monkeypatch):
    read = read_settings(monkeypatch)

    assert read["SECURE_HSTS_SECONDS"] == 0 and not read["SECURE_SSL_REDIRECT"]
    assert not read["SESSION_COOKIE_SECURE"] and read["SECURE_PROXY_SSL_HEADER"] is None


def test_behind_the_proxy_https_answers_carry_hsts_and_plain_http_is_redirected(settings):
    settings.SECURE_HSTS_SECONDS = 365 * 24 * 3600
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    plain = Client().get("/bundles/")
    secure = Client().get("/bundles/", HTTP_X_FORWARDED_PROTO="https")

    assert plain.status_code == 301 and plain["Location"] == "https://testserver/bundles/"
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
