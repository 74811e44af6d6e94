"""The audit trail's hash chains (`audit.hashchain` over AuditEntry rows).

Every audited change appends an entry, and an append holds its chain's head row locked until the
change commits. One chain would make every change in the city queue on one row; so the trail is
settings.YIWANG_AUDIT_CHAINS chains, and an object's entries always go to the same one (chosen from
its id, see `chain_for`), so its history reads in one chain. Each chain is verified on its own.

Chain 0's head is named `audit`, chain n's `audit.n`. The head table is left out of backups, so after
a restore the first append rebuilds a head from its chain's last row. The number of chains can change
at any time: chains that stop getting entries stay as they are and still verify.
"""

from __future__ import annotations

import zlib
from typing import Any

from django.conf import settings

from yiwang.audit import hashchain
from yiwang.audit.hashchain import GENESIS, ChainReport
from yiwang.audit.models import AuditEntry, ChainHead

__all__ = [
    "CHAIN",
    "GENESIS",
    "HASHED_FIELDS",
    "append",
    "chain_for",
    "for_object",
    "head_name",
    "verify",
]

CHAIN = "audit"
HASHED_FIELDS = (
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
)


def head_name(number: int) -> str:
    return CHAIN if number == 0 else f"{CHAIN}.{number}"


def chain_for(object_type: str, object_id: str) -> int:
    """The chain an object's entries go to; entries about no object go to chain 0.

    A numeric id (a row's key) is taken modulo the number of chains; other ids by their CRC-32 with
    the type.
    """
    chains = _chains()
    if chains == 1 or not object_id:
        return 0
    if object_id.isascii() and object_id.isdigit():
        return int(object_id) % chains
    return zlib.crc32(f"{object_type}:{object_id}".encode()) % chains


def _chains() -> int:
    return max(1, int(settings.YIWANG_AUDIT_CHAINS))


def _chain(number: int) -> hashchain.Chain:
    return hashchain.Chain(AuditEntry, head_name(number), HASHED_FIELDS, {"chain": number})


def for_object(object_type: str, object_id: str) -> hashchain.Chain:
    """The chain an object's entries go to, for `hashchain.lock_heads`."""
    return _chain(chain_for(object_type, object_id))


def append(**values: Any) -> AuditEntry:
    """Append one entry at the end of its object's chain, in the caller's transaction."""
    number = chain_for(values.get("object_type", ""), values.get("object_id", ""))
    entry = hashchain.append(_chain(number), values)
    assert isinstance(entry, AuditEntry)
    return entry


def heads_rebuild() -> None:
    """Make every chain's missing head from its last entry (after a restore); call in a transaction."""
    for number in _numbers():
        hashchain.head_rebuild(_chain(number))


def _numbers() -> set[int]:
    """The chains there are: with entries, with a head, and chain 0 always."""
    numbers = set(AuditEntry.objects.order_by().values_list("chain", flat=True).distinct())
    prefix = f"{CHAIN}."
    numbers |= {
        int(name[len(prefix) :])
        for name in ChainHead.objects.filter(name__startswith=prefix).values_list("name", flat=True)
        if name[len(prefix) :].isdigit()
    }
    return numbers | {0}


def verify(*, batch: int = 5000) -> ChainReport:
    """Every chain with entries or a head; problems outside chain 0 say which chain they are in."""
    rows, problems = 0, []
    for number in sorted(_numbers()):
        report = hashchain.verify(_chain(number), batch=batch)
        rows += report.rows
        problems += [p if number == 0 else f"第 {number} 号链{p}" for p in report.problems]
    return ChainReport(rows=rows, problems=problems)
