"""Setting the kiosk PIN and signing in with ID number + PIN, with a lockout after repeated failures."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from yiwang.accounts.models import User, UserKind
from yiwang.core.errors import DomainError, ValidationFailed
from yiwang.core.masking import mask_id_number
from yiwang.kiosk.models import KioskPin

logger = logging.getLogger(__name__)

PIN_RE = re.compile(r"^[0-9]{6}$")
MAX_FAILURES = 5
LOCK_DURATION = timedelta(minutes=15)


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
    """设置自助终端密码: store the PIN's hash and clear any lockout."""
    if user.kind != UserKind.PERSON or not user.id_number:
        raise ValidationFailed({"user": ["仅持有居民身份证的个人用户可设置自助终端密码"]})
    problems = _pin_problems(user, pin)
    if problems:
        raise ValidationFailed({"pin": problems})
    record, _ = KioskPin.objects.update_or_create(
        user=user, defaults={"pin_hash": make_password(pin), "failed_attempts": 0, "locked_until": None}
    )
    return record


@dataclass(frozen=True)
class _Outcome:
    user: User | None = None
    locked_until: datetime | None = None


def kiosk_login(*, id_number: str, pin: str, now: datetime | None = None) -> User:
    """自助终端登录: the citizen whose ID number and PIN these are; KioskLoginFailed or KioskLocked if not.

    The fifth wrong PIN in a row locks the PIN for 15 minutes; a correct PIN clears the count. The
    failure count is written in its own committed transaction, before the error is raised.
    """
    now = now or timezone.now()
    outcome = _check(id_number.strip().upper(), pin, now)
    if outcome.user is not None:
        return outcome.user
    if outcome.locked_until is not None:
        raise KioskLocked(outcome.locked_until)
    raise KioskLoginFailed()


@transaction.atomic
def _check(id_number: str, pin: str, now: datetime) -> _Outcome:
    # Until its owner verifies one, several accounts may hold a number: the PIN tells whose it is.
    # The verified owner's PIN is tried first and carries the failure count.
    records = list(
        KioskPin.objects.select_for_update()
        .select_related("user")
        .filter(user__id_number=id_number, user__kind=UserKind.PERSON, user__is_active=True)
        .order_by(F("user__real_name_verified_at").desc(nulls_last=True), "id")
    )
    if not records:
        make_password(pin)  # the same cost as a real check: timing does not tell who has a PIN
        return _Outcome()
    record = records[0]
    if record.locked_until is not None and record.locked_until > now:
        return _Outcome(locked_until=record.locked_until)
    matched = next((r for r in records if check_password(pin, r.pin_hash)), None)
    if matched is not None:
        if matched.failed_attempts or matched.locked_until:
            KioskPin.objects.filter(pk=matched.pk).update(failed_attempts=0, locked_until=None)
        return _Outcome(user=matched.user)
    failures = record.failed_attempts + 1
    if failures >= MAX_FAILURES:
        until = now + LOCK_DURATION
        KioskPin.objects.filter(pk=record.pk).update(failed_attempts=0, locked_until=until)
        logger.warning("kiosk PIN locked for %s until %s", mask_id_number(id_number), until.isoformat())
        return _Outcome(locked_until=until)
    KioskPin.objects.filter(pk=record.pk).update(failed_attempts=failures, locked_until=None)
    return _Outcome()
