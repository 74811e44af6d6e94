"""The audit trail's hash chains: the use log's hashing (`sharing.chain`) over AuditEntry rows.

Every audited change appends an entry, and an append holds its chain's head row locked until the
change commits. One chain would make every change in the city queue on one row; so the trail is
settings.YIWANG_AUDIT_CHAINS chains, and an object's entries always go to the same one (chosen from
its id, see `chain_for`), so its history reads in one chain. Each chain is verified on its own.

Chain 0's head is the `audit` row of the use log's ChainHead table, chain n's is `audit.n`. That table
is left out of backups, so after a restore the first append rebuilds a head from its chain's last row
(`sharing.chain.locked_head`). The number of chains can change at any time: chains that stop getting
entries stay as they are and still verify.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from typing import Any

from django.conf import settings

from yiwang.audit.models import AuditEntry
from yiwang.core.inserts import Statement
from yiwang.sharing.chain import (
    GENESIS,
    ChainReport,
    LockedHead,
    append_row,
    canonical_hash,
    head_lock_sql,
    locked_head,
    verify_chain,
)
from yiwang.sharing.models import ChainHead

__all__ = [
    "CHAIN",
    "GENESIS",
    "HASHED_FIELDS",
    "LockedHead",
    "append",
    "chain_for",
    "head_lock",
    "head_name",
    "row_hash",
    "verify",
]

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


def head_name(number: int) -> str:
    return CHAIN if number == 0 else f"{CHAIN}.{number}"


def chain_for(object_type: str, object_id: str) -> int:
    """The chain an object's entries go to; entries about no object go to chain 0.

    A numeric id (a row's key) is taken modulo the number of chains, a rule PostgreSQL applies too
    (`head_lock`); other ids by their CRC-32 with the type.
    """
    chains = _chains()
    if chains == 1 or not object_id:
        return 0
    if object_id.isascii() and object_id.isdigit():
        return int(object_id) % chains
    return zlib.crc32(f"{object_type}:{object_id}".encode()) % chains


def _chains() -> int:
    return max(1, int(settings.YIWANG_AUDIT_CHAINS))


def head_lock(key_sql: str) -> Statement:
    """A SELECT locking the head of the chain of the object whose numeric key `key_sql` gives, as
    `chain_for` picks it, returning (name, seq, hash): for a statement that writes the object and
    takes the lock its entry needs, a round trip fewer than `append` locking it (PostgreSQL).
    No row when the head is missing; `append` then makes it."""
    chains = _chains()
    if chains == 1:
        return head_lock_sql("%s"), [CHAIN]
    chosen = f"CASE WHEN mod({key_sql}, %s) = 0 THEN %s ELSE %s || mod({key_sql}, %s)::text END"
    return head_lock_sql(chosen), [chains, CHAIN, f"{CHAIN}.", chains]


def append(*, along: Sequence[Statement] = (), head: LockedHead | None = None, **values: Any) -> AuditEntry:
    """Append one entry at the end of its object's chain, in the caller's transaction (with `along`,
    the caller's writes sent in the same statement; `head`, the chain's head the caller locked)."""
    number = chain_for(values.get("object_type", ""), values.get("object_id", ""))
    return append_row(
        AuditEntry, head_name(number), HASHED_FIELDS, values, scope={"chain": number}, along=along, head=head
    )


def heads_rebuild() -> None:
    """Make every chain's missing head from its last entry (after a restore); call in a transaction."""
    for number in _numbers():
        locked_head(AuditEntry, head_name(number), {"chain": number})


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
        report = verify_chain(
            AuditEntry, head_name(number), HASHED_FIELDS, scope={"chain": number}, batch=batch
        )
        rows += report.rows
        problems += [p if number == 0 else f"第 {number} 号链{p}" for p in report.problems]
    return ChainReport(rows=rows, problems=problems)
