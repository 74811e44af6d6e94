"""Sending the outbox's SMS and settling them by receipt.

Exactly once: a worker claims rows (state + lease in one conditional UPDATE, so two workers never hold
the same row), hands each to the gateway with the row's idempotency key, then records the provider's
id. A worker killed in between leaves the row `sending` without an id; once its lease ends another
worker sends it again with the same key, and the gateway answers with the first message's id instead
of sending a second SMS. Nothing is lost: every row stays due until a receipt or a permanent failure.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from yiwang.notifications.gateway import (
    TEMPORARY_RECEIPT_CODES,
    PermanentFailure,
    SmsGateway,
    TemporaryFailure,
)
from yiwang.notifications.gateway import (
    gateway as configured_gateway,
)
from yiwang.notifications.models import Sms, SmsState

LEASE = timedelta(seconds=60)
MAX_ATTEMPTS = 6
FIRST_RETRY = timedelta(seconds=30)  # then doubling: 30 s, 1 min, 2 min, 4 min, 8 min


def retry_delay(attempts: int) -> timedelta:
    return FIRST_RETRY * (2 ** max(0, attempts - 1))


def _due(now: datetime) -> Q:
    waiting = Q(state__in=[SmsState.CREATED, SmsState.TEMPORARY_FAILURE], not_before__lte=now)
    abandoned = Q(state=SmsState.SENDING, provider_id="", lease_until__lt=now)  # its worker died mid-send
    return waiting | abandoned


def sms_claim(*, batch: int, now: datetime | None = None) -> list[Sms]:
    """Up to `batch` due rows, now held by this caller until the lease ends."""
    now = now or timezone.now()
    claim = uuid.uuid4()
    with transaction.atomic():
        # SKIP LOCKED where the database has it (PostgreSQL): two workers take different rows instead
        # of queueing behind each other; the conditional UPDATE below is what makes a claim exclusive.
        ids = list(
            Sms.objects.filter(_due(now))
            .order_by("not_before", "id")
            .select_for_update(skip_locked=True)
            .values_list("id", flat=True)[:batch]
        )
        if not ids:
            return []
        Sms.objects.filter(_due(now), id__in=ids).update(
            state=SmsState.SENDING, claim=claim, lease_until=now + LEASE
        )
    return list(Sms.objects.filter(claim=claim, state=SmsState.SENDING, provider_id=""))


def sms_send(sms: Sms, *, gateway: SmsGateway, now: datetime | None = None) -> str:
    """Hands one claimed SMS to the gateway and records what it answered; returns the new state."""
    attempts = sms.attempts + 1
    try:
        provider_id = gateway.send(
            phone=sms.phone, template=sms.template, params=sms.params, key=str(sms.idempotency_key)
        )
    except TemporaryFailure as exc:
        return _failed(sms, attempts=attempts, error=str(exc), permanent=attempts >= MAX_ATTEMPTS, now=now)
    except PermanentFailure as exc:
        return _failed(sms, attempts=attempts, error=str(exc), permanent=True, now=now)
    # Only the claimant records, and only for the key it sent: a row whose lease ended and was claimed
    # again is the new holder's, and a failure receipt that came first has given the row a new key.
    Sms.objects.filter(pk=sms.pk, claim=sms.claim, idempotency_key=sms.idempotency_key).update(
        provider_id=provider_id, attempts=attempts, sent_at=now or timezone.now(), lease_until=None, error=""
    )
    return SmsState.SENDING


def _failed(sms: Sms, *, attempts: int, error: str, permanent: bool, now: datetime | None) -> str:
    now = now or timezone.now()
    state = SmsState.PERMANENT_FAILURE if permanent else SmsState.TEMPORARY_FAILURE
    Sms.objects.filter(pk=sms.pk, claim=sms.claim).update(
        state=state,
        attempts=attempts,
        error=error[:200],
        not_before=now + retry_delay(attempts),
        lease_until=None,
        settled_at=now if permanent else None,
    )
    return state


def sms_send_due(*, batch: int = 50, gateway: SmsGateway | None = None, limit: int | None = None) -> int:
    """Sends what is due, batch after batch, until nothing is left (or `limit` rows); returns how many
    were handed to the gateway."""
    gateway = gateway or configured_gateway()
    sent = 0
    while limit is None or sent < limit:
        claimed = sms_claim(batch=batch if limit is None else min(batch, limit - sent))
        if not claimed:
            break
        for sms in claimed:
            sms_send(sms, gateway=gateway)
            sent += 1
    return sent


def receipts_apply(receipts: Iterable[dict[str, Any]], *, now: datetime | None = None) -> int:
    """Settles SMS by the provider's receipts; returns how many changed. A receipt for an unknown id,
    or one that came twice, changes nothing. A temporary failure is sent again later, as a new message
    (a new idempotency key: the first one did not reach the phone)."""
    now = now or timezone.now()
    changed = 0
    for receipt in receipts:
        biz_id = str(receipt.get("biz_id") or "")[:64]
        if not biz_id:
            continue
        pending = Sms.objects.filter(_receipt_for(biz_id, receipt.get("out_id")), state=SmsState.SENDING)
        if receipt.get("status") == "DELIVERED":
            changed += pending.update(
                state=SmsState.DELIVERED, provider_id=biz_id, lease_until=None, settled_at=now
            )
            continue
        code = str(receipt.get("err_code") or "FAILED")[:60]
        sms = pending.first()
        if sms is None:
            continue
        if code in TEMPORARY_RECEIPT_CODES and sms.attempts < MAX_ATTEMPTS:
            changed += pending.update(
                state=SmsState.TEMPORARY_FAILURE,
                error=f"回执：{code}",
                not_before=now + retry_delay(sms.attempts),
                provider_id="",
                idempotency_key=uuid.uuid4(),
            )
        else:
            changed += pending.update(state=SmsState.PERMANENT_FAILURE, error=f"回执：{code}", settled_at=now)
    return changed


def _receipt_for(biz_id: str, out_id: object) -> Q:
    # A receipt can come before the worker has recorded the provider's id (the worker was slow, or was
    # killed after the gateway answered); then the idempotency key it carries as out_id finds the row.
    try:
        key = uuid.UUID(str(out_id))
    except ValueError:
        return Q(provider_id=biz_id)
    return Q(provider_id=biz_id) | Q(provider_id="", idempotency_key=key)
