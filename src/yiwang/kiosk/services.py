"""Setting the kiosk PIN and signing in with ID number + PIN, with a lockout after repeated failures.

The failures are counted per ID number (a keyed digest, `accounts.throttle`), whether or not the number
has a PIN — and whether or not anyone holds it: a number without a PIN fails, locks and costs one
password hash exactly like one with a wrong PIN, so the kiosk does not tell who has a PIN.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from yiwang.accounts.models import User, UserKind
from yiwang.accounts.throttle import Rule, throttle_blocked_until, throttle_fail, throttle_key, throttle_reset
from yiwang.core import protection
from yiwang.core.errors import DomainError, ValidationFailed
from yiwang.core.masking import mask_id_number
from yiwang.kiosk.models import KioskPin

logger = logging.getLogger(__name__)

PIN_RE = re.compile(r"^[0-9]{6}$")
MAX_FAILURES = 5
LOCK_DURATION = timedelta(minutes=15)
# The fifth failure since the last success locks for LOCK_DURATION, and so does each one after it
# (the count is forgotten after a day).
PIN_RULE = Rule(limit=MAX_FAILURES, window=timedelta(days=1), delays=(LOCK_DURATION,))


def _failures_key(id_number: str) -> str:
    return throttle_key("kiosk:id", id_number)


class KioskLoginFailed(DomainError):
    """Wrong ID number or PIN — one message for both, so the kiosk does not tell who has a PIN."""

    status = 401

    def __init__(self) -> None:
        super().__init__("kiosk_login_failed", "身份证号码或密码不正确")


class KioskLocked(DomainError):
    status = 423

    def __init__(self, until: datetime) -> None:
        local = timezone.localtime(until)
        super().__init__(
            "kiosk_locked",
            f"连续 {MAX_FAILURES} 次输入错误，自助终端登录已锁定，请于 {local:%H:%M} 后再试或到窗口办理",
        )
        self.until = until


def _pin_problems(user: User, pin: str) -> list[str]:
    if not PIN_RE.match(pin):
        return ["密码须为 6 位数字"]
    id_number = (user.id_number or "").upper()
    if len(set(pin)) == 1:
        return ["密码不能是 6 个相同的数字"]
    if id_number and pin in (id_number[-6:], id_number[8:14]):
        return ["密码不能是身份证号码的后 6 位或出生日期"]
    return []


@transaction.atomic
def kiosk_pin_set(*, user: User, pin: str) -> KioskPin:
    """设置自助终端密码: store the PIN's hash and clear any lockout of the ID number."""
    if user.kind != UserKind.PERSON or not user.id_number:
        raise ValidationFailed({"user": ["仅持有居民身份证的个人用户可设置自助终端密码"]})
    problems = _pin_problems(user, pin)
    if problems:
        raise ValidationFailed({"pin": problems})
    # A new PIN starts the ID number's failure count over (PIN_RULE).
    record, _ = KioskPin.objects.update_or_create(user=user, defaults={"pin_hash": make_password(pin)})
    throttle_reset(_failures_key(protection.normalise(user.id_number)))
    return record


def kiosk_login(*, id_number: str, pin: str, now: datetime | None = None) -> User:
    """自助终端登录: the citizen whose ID number and PIN these are; KioskLoginFailed or KioskLocked if not.

    The fifth wrong try since the last success locks the ID number for 15 minutes — with a PIN or
    without one; a correct PIN clears the count. A locked number is refused before any PIN check.
    Counts are written in their own transactions: call it outside any transaction rolled back on error.
    """
    now = now or timezone.now()
    id_number = protection.normalise(id_number)
    key = _failures_key(id_number)
    until = throttle_blocked_until(key, PIN_RULE, now=now)
    if until is not None:
        raise KioskLocked(until)
    user = _check(id_number, pin)
    if user is not None:
        throttle_reset(key)
        return user
    until = throttle_fail(key, PIN_RULE, now=now)
    if until is not None:
        logger.warning("kiosk sign-in locked for %s until %s", mask_id_number(id_number), until.isoformat())
        raise KioskLocked(until)
    raise KioskLoginFailed()


def _check(id_number: str, pin: str) -> User | None:
    """The active citizen holding `id_number` whose PIN this is. One password hash whatever the
    number: check_password for a PIN, make_password of the typed one for a number without."""
    # Until its owner verifies one, several accounts may hold a number: the PIN tells whose it is.
    records = list(
        KioskPin.objects.select_related("user")
        .filter(user__id_number=id_number, user__kind=UserKind.PERSON, user__is_active=True)
        .order_by(F("user__real_name_verified_at").desc(nulls_last=True), "id")
    )
    if not records:
        make_password(pin)  # the same cost as a real check: timing does not tell who has a PIN
        return None
    matched = next((r for r in records if check_password(pin, r.pin_hash)), None)
    return matched.user if matched is not None else None
