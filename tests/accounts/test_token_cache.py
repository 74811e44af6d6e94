"""The token cache (accounts.tokencache): requests skip the token look-up, yet a revoked token or a
deactivated user is refused as soon as the change commits, whoever makes it. PostgreSQL only: the
cache is used only there, where changes are notified (and committed, hence transactional tests)."""

from __future__ import annotations

import time

import psycopg
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.accounts.test_sign_out_everywhere import token_for
from tests.factories import make_citizen
from yiwang.accounts import services
from yiwang.accounts.models import User
from yiwang.accounts.services import token_digest
from yiwang.accounts.tokencache import TokenCache, token_cache

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the cache is used on PostgreSQL only"),
]


def me(token: str) -> tuple[int, int]:
    """GET /api/v1/me: (status, queries run)."""
    with CaptureQueriesContext(connection) as captured:
        status = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code
    return status, len(captured.captured_queries)


def warm(token: str) -> None:
    """Use the token until its user is cached (the first use starts the listening connection)."""
    deadline = time.monotonic() + 5
    while not cached(token) and time.monotonic() < deadline:
        assert me(token)[0] == 200
        time.sleep(0.01)
    assert cached(token)


def cached(token: str) -> bool:
    return token_digest(token) in token_cache.entries


def until_dropped(token: str) -> None:
    """The change notification is handled on the listener's thread, a moment after the commit."""
    deadline = time.monotonic() + 5
    while token_digest(token) in token_cache.entries and time.monotonic() < deadline:
        time.sleep(0.005)


def as_another_process(sql: str, params: list) -> None:
    """A change made outside Django (another server, the admin's SQL console)."""
    settings_dict = connection.settings_dict
    with psycopg.connect(
        dbname=settings_dict["NAME"],
        user=settings_dict["USER"],
        host=settings_dict["HOST"],
        port=settings_dict["PORT"],
        password=settings_dict["PASSWORD"],
        autocommit=True,
    ) as other:
        other.execute(sql, params)


def test_a_cached_token_is_answered_without_looking_it_up(process_caches):
    token = token_for(make_citizen())
    warm(token)

    status, queries = me(token)
    token_cache.drop()
    _status, queries_when_looked_up = me(token)

    assert status == 200
    assert queries == queries_when_looked_up - 1, "the look-up is the one query the cache saves"


def test_a_token_revoked_by_another_process_is_refused_once_the_revocation_commits(process_caches):
    token = token_for(make_citizen())
    warm(token)

    as_another_process(
        "UPDATE accounts_apitoken SET revoked_at = now() WHERE digest = %s", [token_digest(token)]
    )
    until_dropped(token)

    assert me(token)[0] == 401


def test_a_user_deactivated_by_a_queryset_update_is_refused(process_caches):
    user = make_citizen()
    token = token_for(user)
    warm(token)

    User.objects.filter(pk=user.pk).update(is_active=False)  # no model signal is sent
    until_dropped(token)

    assert me(token)[0] == 401


def test_signing_out_everywhere_ends_cached_tokens(process_caches):
    user = make_citizen()
    token = token_for(user)
    warm(token)

    assert (
        Client().post("/api/v1/auth/sign-out-everywhere", HTTP_AUTHORIZATION=f"Bearer {token}").status_code
        == 204
    )
    until_dropped(token)

    assert me(token)[0] == 401


def test_a_change_to_one_user_keeps_the_other_users_cached(process_caches):
    first, second = make_citizen(), make_citizen()
    first_token, second_token = token_for(first), token_for(second)
    warm(first_token)
    warm(second_token)

    User.objects.filter(pk=first.pk).update(name="改名")
    until_dropped(first_token)

    assert not cached(first_token)
    assert cached(second_token)


def test_each_request_gets_its_own_user_instance(process_caches):
    token = token_for(make_citizen(name="原名"))
    warm(token)

    one = services.api_token_user(token)
    one.name = "请求里改的"
    other = services.api_token_user(token)

    assert other is not one
    assert other.name == "原名"
    assert other.id_number == one.id_number and other.id_number  # the sealed number opens on each


def test_an_expired_token_is_refused_even_when_cached(process_caches):
    token = token_for(make_citizen())
    warm(token)
    expiry = token_cache.entries[token_digest(token)].expires_at

    assert services.api_token_user(token, now=expiry) is None


class _Feed:
    """A change feed whose connection is down (live=False), or up but deaf (no notification comes)."""

    def __init__(self, live: bool) -> None:
        self.live = live

    def subscribe(self, channel, on_change, on_reset) -> None:
        pass

    def usable(self) -> bool:
        return self.live


def test_without_the_listening_connection_every_request_looks_its_token_up(process_caches, monkeypatch):
    """A process whose notifications cannot arrive must not trust what it keeps."""
    silent = TokenCache(_Feed(live=False))
    monkeypatch.setattr(services, "token_cache", silent)
    token = token_for(make_citizen())
    assert me(token)[0] == 200

    as_another_process(
        "UPDATE accounts_apitoken SET revoked_at = now() WHERE digest = %s", [token_digest(token)]
    )

    assert not silent.entries
    assert me(token)[0] == 401


def test_a_kept_token_is_looked_up_again_after_the_cache_time(process_caches, monkeypatch, settings):
    """Bounds the damage of a notification lost on a connection that died without a word."""
    deaf = TokenCache(_Feed(live=True))
    monkeypatch.setattr(services, "token_cache", deaf)
    token = token_for(make_citizen())
    me(token)
    assert token_digest(token) in deaf.entries
    as_another_process(
        "UPDATE accounts_apitoken SET revoked_at = now() WHERE digest = %s", [token_digest(token)]
    )
    assert me(token)[0] == 200, "within the cache time the lost notification is not noticed"

    entry = deaf.entries[token_digest(token)]
    entry.stored_at -= settings.YIWANG_TOKEN_CACHE_SECONDS + 1

    assert me(token)[0] == 401
