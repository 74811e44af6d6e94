"""Writing to the outbox: `notify` in the caller's transaction (a rolled-back event leaves no message),
marking messages read, and a citizen's SMS choices."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from yiwang.accounts.models import User
from yiwang.core.errors import ValidationFailed
from yiwang.core.masking import mask_text
from yiwang.notifications.kinds import CITIZEN_SMS_KINDS, sms_template
from yiwang.notifications.models import Message, Sms, SmsPreference
from yiwang.notifications.tasks import sms_dispatch


def notify(
    *,
    kind: str,
    recipient: User | None,
    title: str,
    body: str,
    link: str = "",
    subject: str = "",
    phone: str = "",
    sms_params: dict[str, str] | None = None,
    key: str | None = None,
    now: datetime | None = None,
) -> Message | None:
    """One message, and its SMS when the kind has a template, a phone is known, the recipient has not
    turned that kind off and today's cap for the number is not reached. Runs in the caller's
    transaction. With a `key` already written (a job run twice, two workers), writes nothing: None."""
    now = now or timezone.now()
    try:
        with transaction.atomic():  # a savepoint: a duplicate key leaves the caller's transaction usable
            message = Message.objects.create(
                recipient=recipient,
                kind=kind,
                title=title[:100],
                body=mask_text(body),
                link=link,
                subject=subject,
                key=key,
            )
    except IntegrityError:
        if key is not None and Message.objects.filter(key=key).exists():
            return None
        raise
    template = sms_template(kind)
    if template and phone and settings.YIWANG_SMS_URL and _sms_wanted(recipient, kind, phone, now):
        Sms.objects.create(
            message=message,
            phone=phone,
            template=template.code,
            params=sms_params or {},
            not_before=now if template.urgent else after_quiet_hours(now),
        )
        transaction.on_commit(sms_dispatch)
    return message


def _sms_wanted(recipient: User | None, kind: str, phone: str, now: datetime) -> bool:
    if recipient is not None and kind in sms_muted(recipient):
        return False
    cap = settings.YIWANG_SMS_DAILY_CAP
    if not cap:
        return True
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    sent_today = Sms.objects.filter(phone=phone, created_at__gte=midnight).count()
    return sent_today < cap


def after_quiet_hours(now: datetime) -> datetime:
    """`now`, or the end of the quiet hours (免打扰, 22:00–08:00 by default) when `now` falls in them."""
    local = timezone.localtime(now)
    start, end = settings.YIWANG_SMS_QUIET_HOURS
    if start <= end:  # a window within one day
        quiet = start <= local.hour < end
    else:
        quiet = local.hour >= start or local.hour < end
    if not quiet:
        return now
    day = local.date() if local.hour < end else local.date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(hour=end)), local.tzinfo)


def sms_muted(user: User) -> list[str]:
    preference = SmsPreference.objects.filter(user=user).first()
    return list(preference.muted) if preference else []


def sms_preference_set(*, user: User, muted: list[str]) -> SmsPreference:
    """The kinds `user` does not want by SMS (the inbox gets every message)."""
    unknown = sorted(set(muted) - set(CITIZEN_SMS_KINDS))
    if unknown:
        raise ValidationFailed({"muted": [f"未知的消息类型：{'、'.join(unknown)}"]}, code="unknown_kind")
    preference, _ = SmsPreference.objects.update_or_create(
        user=user, defaults={"muted": [k for k in CITIZEN_SMS_KINDS if k in set(muted)]}
    )
    return preference


def message_mark_read(*, user: User, message_id: int) -> bool:
    """Marks one of `user`'s messages read; False when it is not theirs (nothing changes)."""
    return bool(
        Message.objects.filter(pk=message_id, recipient=user, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        or Message.objects.filter(pk=message_id, recipient=user).exists()
    )


def messages_mark_all_read(*, user: User) -> int:
    return Message.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
