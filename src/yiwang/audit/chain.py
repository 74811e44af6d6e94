"""The audit trail's hash chain: the use log's hashing (`sharing.chain`) over AuditEntry rows.

Its head is the `audit` row of the use log's ChainHead table. That table is left out of backups, so
after a restore the first append rebuilds the head from the last row (`sharing.chain.locked_head`).
"""

from __future__ import annotations

from typing import Any

from yiwang.audit.models import AuditEntry
from yiwang.sharing.chain import GENESIS, ChainReport, append_row, canonical_hash, verify_chain

__all__ = ["CHAIN", "GENESIS", "HASHED_FIELDS", "append", "row_hash", "verify"]

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


def append(**values: Any) -> AuditEntry:
    """Append one entry at the end of the audit trail, in the caller's transaction."""
    return append_row(AuditEntry, CHAIN, HASHED_FIELDS, values)


def verify(*, batch: int = 5000) -> ChainReport:
    return verify_chain(AuditEntry, CHAIN, HASHED_FIELDS, batch=batch)
