"""The audit trail's hash chain: the use log's hashing (`sharing.chain`) over AuditEntry rows.

Its head is the `audit` row of the use log's ChainHead table. That table is left out of backups, so
after a restore the first append rebuilds the head from the last row (`_locked_head`).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from yiwang.audit.models import AuditEntry
from yiwang.sharing.chain import GENESIS, ChainReport, canonical_hash, verify_chain
from yiwang.sharing.models import ChainHead

CHAIN = "audit"
HASHED_FIELDS = [
    "seq",
    "at",
    "actor_id",
    "actor_name",
    "actor_roles",
    "department_id",
    "department_name",
    "ip_address",
    "user_agent",
    "channel",
    "action",
    "object_type",
    "object_id",
    "object_label",
    "detail",
    "prev_hash",
]


def row_hash(values: dict[str, Any]) -> str:
    return canonical_hash(values, HASHED_FIELDS)


def _locked_head() -> ChainHead:
    head = ChainHead.objects.select_for_update().filter(name=CHAIN).first()
    if head is not None:
        return head
    last = AuditEntry.objects.order_by("-seq").values("seq", "hash").first()
    ChainHead.objects.get_or_create(
        name=CHAIN,
        defaults={"seq": last["seq"], "hash": last["hash"]} if last else {"seq": 0, "hash": GENESIS},
    )
    return ChainHead.objects.select_for_update().get(name=CHAIN)


@transaction.atomic
def append(**values: Any) -> AuditEntry:
    """Append one entry at the end of the chain. Concurrent appends queue on the head row's lock,
    held until the caller's transaction ends: an entry commits with the change it records, or not at all."""
    head = _locked_head()
    now = timezone.now()
    row = {
        # Milliseconds, as the use log: the precision every backup format keeps.
        "seq": head.seq + 1,
        "at": now.replace(microsecond=now.microsecond // 1000 * 1000),
        "prev_hash": head.hash,
        **values,
    }
    row["hash"] = row_hash(row)
    entry = AuditEntry.objects.create(**row)
    ChainHead.objects.filter(name=CHAIN).update(seq=entry.seq, hash=entry.hash)
    return entry


def verify(*, batch: int = 5000) -> ChainReport:
    return verify_chain(AuditEntry, CHAIN, HASHED_FIELDS, batch=batch)
