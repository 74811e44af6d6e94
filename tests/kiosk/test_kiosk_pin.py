"""The kiosk PIN: set by the citizen, stored hashed, checked with a lockout after five failures — per
ID number, with a PIN or without one, so the kiosk does not tell who has a PIN."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.utils import timezone

from tests.factories import make_citizen, make_company, make_staff
from tests.kiosk.helpers import PIN, make_kiosk_citizen
from yiwang.core.errors import ValidationFailed
from yiwang.kiosk.models import KioskPin
from yiwang.kiosk.services import (
    LOCK_DURATION,
    MAX_FAILURES,
    KioskLocked,
    KioskLoginFailed,
    kiosk_login,
    kiosk_pin_set,
)

pytestmark = pytest.mark.django_db


def fail(citizen, times: int, now=None) -> None:
    for _ in range(times):
        with pytest.raises((KioskLoginFailed, KioskLocked)):
            kiosk_login(id_number=citizen.id_number, pin="999999", now=now)


def test_pin_is_stored_as_a_password_hash_never_in_clear():
    citizen = make_kiosk_citizen()

    record = KioskPin.objects.get(user=citizen)

    assert PIN not in record.pin_hash
    assert record.pin_hash.startswith(("md5$", "pbkdf2_sha256$", "argon2$", "scrypt$"))


def test_right_id_number_and_pin_sign_the_citizen_in():
    citizen = make_kiosk_citizen()

    assert kiosk_login(id_number=citizen.id_number.lower(), pin=PIN) == citizen


def test_wrong_pin_and_unknown_id_number_fail_with_the_same_message():
    citizen = make_kiosk_citizen()
    without_pin = make_citizen()

    errors = []
    for id_number in (citizen.id_number, without_pin.id_number, "110105194912310021"):
        with pytest.raises(KioskLoginFailed) as caught:
            kiosk_login(id_number=id_number, pin="135790")
        errors.append((caught.value.code, caught.value.message))

    assert len(set(errors)) == 1


def test_fifth_wrong_pin_in_a_row_locks_for_fifteen_minutes():
    citizen = make_kiosk_citizen()
    now = timezone.now()
    fail(citizen, MAX_FAILURES - 1, now)

    with pytest.raises(KioskLocked) as caught:
        kiosk_login(id_number=citizen.id_number, pin="999999", now=now)

    assert caught.value.until == now + LOCK_DURATION == now + timedelta(minutes=15)
    with pytest.raises(KioskLocked):
        kiosk_login(id_number=citizen.id_number, pin=PIN, now=now)


def test_locked_pin_refuses_even_the_right_pin_until_the_lock_ends():
    citizen = make_kiosk_citizen()
    now = timezone.now()
    fail(citizen, MAX_FAILURES, now)

    with pytest.raises(KioskLocked):
        kiosk_login(id_number=citizen.id_number, pin=PIN, now=now + LOCK_DURATION - timedelta(seconds=1))
    assert kiosk_login(id_number=citizen.id_number, pin=PIN, now=now + LOCK_DURATION) == citizen


def test_right_pin_clears_the_count_of_failures():
    citizen = make_kiosk_citizen()
    fail(citizen, MAX_FAILURES - 1)
    kiosk_login(id_number=citizen.id_number, pin=PIN)

    fail(citizen, MAX_FAILURES - 1)

    assert kiosk_login(id_number=citizen.id_number, pin=PIN) == citizen, "four failures since: not locked"


def test_setting_a_new_pin_lifts_the_lock():
    citizen = make_kiosk_citizen()
    fail(citizen, MAX_FAILURES)

    kiosk_pin_set(user=citizen, pin="975310")

    assert kiosk_login(id_number=citizen.id_number, pin="975310") == citizen


@pytest.mark.parametrize("pin", ["12345", "1234567", "12345a", "888888"])
def test_pin_must_be_six_digits_not_all_the_same(pin):
    with pytest.raises(ValidationFailed) as caught:
        kiosk_pin_set(user=make_citizen(), pin=pin)

    assert "pin" in caught.value.fields


def test_pin_may_not_be_the_end_of_the_id_number_or_the_birth_date():
    citizen = make_citizen(id_number="330102199003071230")

    for pin in ("071230", "900307"):
        with pytest.raises(ValidationFailed):
            kiosk_pin_set(user=citizen, pin=pin)


def test_only_citizens_with_an_id_number_can_have_a_kiosk_pin():
    for user in (make_staff("window_clerk"), make_company()):
        with pytest.raises(ValidationFailed):
            kiosk_pin_set(user=user, pin="246810")


def test_inactive_citizen_cannot_sign_in():
    citizen = make_kiosk_citizen()
    citizen.is_active = False
    citizen.save()

    with pytest.raises(KioskLoginFailed):
        kiosk_login(id_number=citizen.id_number, pin=PIN)


def answers(id_number: str, now) -> list[tuple[str, str]]:
    """(code, message) of six wrong tries in a row, and of the right PIN at the end."""
    seen = []
    for pin in ["999999"] * 6 + [PIN]:
        with pytest.raises((KioskLoginFailed, KioskLocked)) as caught:
            kiosk_login(id_number=id_number, pin=pin, now=now)
        seen.append((caught.value.code, caught.value.message))
    return seen


def test_an_id_number_without_a_pin_fails_and_locks_exactly_like_one_with_a_pin():
    now = timezone.now()
    with_pin = make_kiosk_citizen()
    without_pin = make_citizen()

    seen = [answers(c.id_number, now) for c in (with_pin, without_pin)] + [answers("110105194912310021", now)]

    assert seen[0] == seen[1] == seen[2]
    assert [code for code, _ in seen[0]] == ["kiosk_login_failed"] * 4 + ["kiosk_locked"] * 3


class CountingHasher(MD5PasswordHasher):
    """The tests' fast hasher, counting the hashes it computes."""

    algorithm = "md5"
    computed = 0

    def encode(self, password: str, salt: str) -> str:
        CountingHasher.computed += 1
        return super().encode(password, salt)


@pytest.fixture
def counting_hasher(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    CountingHasher.computed = 0
    return CountingHasher


def test_every_try_costs_one_password_hash_with_a_pin_or_without(counting_hasher):
    with_pin, without_pin = make_kiosk_citizen(), make_citizen()
    costs = []
    for id_number in (with_pin.id_number, without_pin.id_number, "110105194912310021"):
        counting_hasher.computed = 0
        with pytest.raises(KioskLoginFailed):
            kiosk_login(id_number=id_number, pin="135790")
        costs.append(counting_hasher.computed)

    assert costs == [1, 1, 1]
