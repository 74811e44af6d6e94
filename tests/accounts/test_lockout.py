"""登录限流 (accounts.lockout): a guesser at one address slows only themselves, one address may fail
only so often across all accounts, an account failed from many addresses is locked until the window
clerk unlocks it in person — on the API, the portal's login page and the admin's alike."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import sys
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import keep_test_connection
from tests.factories import make_citizen, make_id_number, make_service_point, make_staff
from yiwang.accounts.models import AttemptCounter
from yiwang.accounts.roles import StaffRole
from yiwang.audit.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db

PASSWORD = "pw-Yiwang-2026"
ATTACKER = "203.0.113.66"
OWNER = "198.51.100.7"
# A time well inside one counting day (days start at 00:00 UTC): no test crosses into the next.
MORNING = dt.datetime(2026, 5, 6, 1, 0, tzinfo=dt.UTC)


def api(login: str, password: str, address: str) -> Any:
    return Client().post(
        "/api/v1/auth/token",
        {"username": login, "password": password},
        content_type="application/json",
        REMOTE_ADDR=address,
    )


def page(login: str, password: str, address: str) -> Any:
    return Client().post("/accounts/login/", {"username": login, "password": password}, REMOTE_ADDR=address)


def admin(login: str, password: str, address: str) -> Any:
    return Client().post(
        "/admin/login/?next=/admin/", {"username": login, "password": password}, REMOTE_ADDR=address
    )


# Each entry point, and the status it answers a right password with (a wrong one: 401 or the form again).
ENTRY_POINTS: dict[str, tuple[Callable[[str, str, str], Any], int]] = {
    "api": (api, 200),
    "page": (page, 302),
    "admin": (admin, 302),
}


def fail(times: int, login: str, address: str = ATTACKER) -> Any:
    response = None
    for _ in range(times):
        response = api(login, "wrong-password", address)
        assert response.status_code in (401, 429)
    return response


def minutes(response: Any) -> int:
    """The wait a refusal announces: "请 N 分钟后再试" on every entry point."""
    text = response.json()["message"] if response["Content-Type"].startswith("application/json") else ""
    text = text or response.content.decode()
    found = re.search(r"请 (\d+) 分钟后再试", text)
    assert found, text
    return int(found[1])


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_an_attackers_failures_do_not_stop_the_owner_at_another_address(entry):
    sign_in, signed_in = ENTRY_POINTS[entry]
    owner = make_staff(StaffRole.CATALOG_ADMIN)  # one who may use all three: the admin too

    answers = [sign_in(owner.username, "wrong-password", ATTACKER).status_code for _ in range(5)]
    refused = sign_in(owner.username, PASSWORD, ATTACKER)

    assert answers[-1] == 429, answers
    assert refused.status_code == 429, "the attacker's address waits, right password or not"
    assert sign_in(owner.username, PASSWORD, OWNER).status_code == signed_in, "the owner gets in at once"
    assert minutes(refused) == 1, "and the attacker waits a minute, not a quarter of an hour"
    assert 0 < int(refused["Retry-After"]) <= 60, "said to machines too"


def test_the_delays_grow_with_each_failure_past_the_fifth():
    owner = make_citizen()
    announced = []
    with time_machine.travel(MORNING, tick=False) as clock:
        announced.append(minutes(fail(5, owner.username)))
        for _ in range(5):
            clock.shift(dt.timedelta(minutes=announced[-1]) - dt.timedelta(seconds=1))
            assert api(owner.username, PASSWORD, ATTACKER).status_code == 429, "not before the wait ends"
            clock.shift(dt.timedelta(seconds=1))
            announced.append(minutes(fail(1, owner.username)))
        clock.shift(dt.timedelta(minutes=announced[-1]))
        assert api(owner.username, PASSWORD, ATTACKER).status_code == 200

    assert announced == [1, 5, 15, 60, 240, 240]


def test_a_success_starts_the_address_over():
    owner = make_citizen()
    with time_machine.travel(MORNING, tick=False) as clock:
        fail(5, owner.username)
        clock.shift(dt.timedelta(minutes=1))
        assert api(owner.username, PASSWORD, ATTACKER).status_code == 200

        answers = [api(owner.username, "wrong-password", ATTACKER).status_code for _ in range(5)]

    assert answers == [401, 401, 401, 401, 429], "five free tries again, and a one-minute wait"


def test_one_address_alone_cannot_lock_the_account_in_a_day():
    owner = make_citizen()
    with time_machine.travel(MORNING, tick=False) as clock:
        failures = 0
        while timezone.now() < MORNING + dt.timedelta(hours=22):  # a patient guesser, all day
            response = api(owner.username, "wrong-password", ATTACKER)
            failures += 1
            if response.status_code == 429:
                clock.shift(dt.timedelta(minutes=minutes(response)))

        assert api(owner.username, PASSWORD, OWNER).status_code == 200
    assert 10 < failures < 20


def test_one_address_may_fail_only_so_often_across_all_accounts(settings):
    settings.YIWANG_LOGIN_FAILURES_PER_ADDRESS = 6
    settings.YIWANG_LOGIN_ADDRESS_WINDOW_MINUTES = 60
    others = [make_citizen() for _ in range(3)]
    someone = make_citizen()
    with time_machine.travel(MORNING, tick=False) as clock:
        for other in others:
            fail(2, other.username)  # each account stays under its own five

        refused = api(someone.username, PASSWORD, ATTACKER)
        assert refused.status_code == 429 and refused.json()["code"] == "login_throttled"
        assert "您所在网络" in refused.json()["message"] and minutes(refused) == 60
        assert api(someone.username, PASSWORD, OWNER).status_code == 200, "other addresses go on"

        clock.shift(dt.timedelta(minutes=60))
        assert api(someone.username, PASSWORD, ATTACKER).status_code == 200, "until the window ends"


def lock_from_many_addresses(login: str, settings: Any) -> None:
    settings.YIWANG_LOGIN_ACCOUNT_FAILURES = 8
    for n in range(4):
        fail(2, login, address=f"192.0.2.{n + 1}")


def test_failures_from_many_addresses_lock_the_account_everywhere(settings):
    owner = make_citizen()
    lock_from_many_addresses(owner.username, settings)

    refused = api(owner.username, PASSWORD, OWNER)

    assert refused.status_code == 429
    assert refused.json()["code"] == "account_locked"
    assert "账号已暂时锁定" in refused.json()["message"] and "综合窗口" in refused.json()["message"]
    assert minutes(refused) == 15


def test_the_window_clerk_unlocks_a_locked_account_in_person(client, settings):
    owner = make_citizen(id_number=make_id_number(701))
    lock_from_many_addresses(owner.username, settings)
    clerk = make_staff(StaffRole.WINDOW_CLERK, service_point=make_service_point())
    client.force_login(clerk)
    client.post("/workbench/desk/", {"kind": "person", "number": owner.id_number, "name": owner.name})
    unlock = reverse("workbench:desk_unlock", args=[owner.pk])
    assert unlock in client.get("/workbench/desk/").content.decode(), "the desk offers the unlock"

    response = client.post(unlock)

    assert response.status_code == 302
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN_UNLOCK, object_id=str(owner.pk)).exists()
    assert unlock not in client.get("/workbench/desk/").content.decode()
    assert api(owner.username, PASSWORD, OWNER).status_code == 200


def test_the_clerk_unlocks_only_an_account_of_the_person_at_the_window(client, settings):
    stranger = make_citizen()
    lock_from_many_addresses(stranger.username, settings)
    clerk = make_staff(StaffRole.WINDOW_CLERK, service_point=make_service_point())
    client.force_login(clerk)
    client.post("/workbench/desk/", {"kind": "person", "number": make_id_number(702), "name": "王五"})

    client.post(reverse("workbench:desk_unlock", args=[stranger.pk]))

    assert api(stranger.username, PASSWORD, OWNER).status_code == 429
    assert not AuditEntry.objects.filter(action=AuditAction.LOGIN_UNLOCK).exists()


def test_the_id_number_and_the_mobile_count_for_the_account_they_sign_in():
    owner = make_citizen(mobile="13912340701")
    fail(2, owner.id_number)
    fail(2, owner.mobile)

    refused = fail(1, owner.username)

    assert refused.status_code == 429, "five failures on one account, whichever identifier was typed"
    assert api(owner.id_number, PASSWORD, ATTACKER).status_code == 429
    assert api(owner.mobile, PASSWORD, OWNER).status_code == 200


def test_a_number_held_by_several_unverified_accounts_cannot_lock_its_owner_out(settings):
    number = make_id_number(703)
    owner = make_citizen(id_number=number, real_name_method="")
    squatter = make_citizen(id_number=number, real_name_method="")
    squatter.set_password("Maoming-2026-x")
    squatter.save()
    fail(5, number)
    assert api(number, PASSWORD, ATTACKER).status_code == 429
    assert api(number, PASSWORD, OWNER).status_code == 200, "the attacker's address only"

    lock_from_many_addresses(squatter.username, settings)  # the squatter's own account, locked
    signed_in = api(number, PASSWORD, "192.0.2.99")

    assert signed_in.status_code == 200
    assert signed_in.json()["user"]["username"] == owner.username


def test_an_unknown_account_is_throttled_like_a_known_one():
    known = make_citizen()

    answers = [fail(5, login).json() for login in (known.username, "nobody-by-this-name")]

    assert answers[0] == answers[1]


def test_failure_counts_hold_no_clear_identifier_or_address():
    owner = make_citizen(mobile="13912340704")
    fail(3, owner.id_number)
    fail(3, owner.mobile)
    fail(3, "someone-unknown")

    keys = " ".join(AttemptCounter.objects.values_list("key", flat=True))

    assert keys
    for clear in (owner.id_number, owner.mobile, owner.username, "someone-unknown", ATTACKER):
        assert clear not in keys


def test_a_locked_account_gets_the_same_429_with_a_bearer_header():
    """Through the real WSGI application: a call with a Bearer token takes the short middleware chain."""
    from yiwang.wsgi import application

    owner, other = make_citizen(), make_citizen()
    bearer = api(other.username, PASSWORD, OWNER).json()["token"]
    fail(5, owner.username, address="127.0.0.1")

    def call(**headers: str) -> tuple[int, dict[str, Any]]:
        body = json.dumps({"username": owner.username, "password": PASSWORD}).encode()
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/api/v1/auth/token",
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
        status: list[int] = []
        with keep_test_connection():  # each time: the test client above connects the receivers again
            chunks = application(environ, lambda s, h, e=None: status.append(int(s[:3])))
            content = b"".join(chunks)
            getattr(chunks, "close", lambda: None)()
        return status[0], json.loads(content)

    plain = call()
    with_bearer = call(HTTP_AUTHORIZATION=f"Bearer {bearer}")

    assert plain[0] == 429
    assert with_bearer == plain


def test_purging_old_counters_keeps_a_lock_that_still_holds(settings):
    from django.core.management import call_command

    settings.YIWANG_LOGIN_ACCOUNT_LOCK_MINUTES = [1440]
    locked, slowed = make_citizen(), make_citizen()
    late = MORNING + dt.timedelta(hours=22)  # a day's lock set late: it outlasts the next window
    with time_machine.travel(late, tick=False):
        lock_from_many_addresses(locked.username, settings)
        fail(5, slowed.username)
    with time_machine.travel(late + dt.timedelta(hours=3), tick=False):  # the window began over a day ago
        call_command("throttle_purge", stdout=io.StringIO())

        days_counts = AttemptCounter.objects.filter(window_start=MORNING.replace(hour=0))
        assert days_counts.count() == 1, "of the day's counts, only the account's lock is left"
        assert api(locked.username, PASSWORD, OWNER).json()["code"] == "account_locked"
        assert api(slowed.username, PASSWORD, ATTACKER).status_code == 200
