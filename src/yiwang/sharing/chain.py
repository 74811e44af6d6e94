"""The use log's hash chain (`audit.hashchain` over DataUse rows): one chain for the whole city."""

from __future__ import annotations

from typing import Any

from yiwang.audit import hashchain
from yiwang.audit.hashchain import ChainReport
from yiwang.sharing.models import DataUse

CHAIN = "data_use"
HASHED_FIELDS = (
    "seq",
    "at",
    "actor_id",
    "actor_name",
    "department_id",
    "department_name",
    "case_number",
    "reason",
    "holder_code",
    "licence_identifier",
    "action",
    "fields",
    "outcome",
    "basis",
    "refusal",
    "prev_hash",
)
USE_LOG = hashchain.Chain(DataUse, CHAIN, HASHED_FIELDS)


def append(**values: Any) -> DataUse:
    """Append one row at the end of the use log, in the caller's transaction."""
    values.setdefault("actor_id", None)
    values.setdefault("department_id", None)
    for name in HASHED_FIELDS:
        if name not in ("seq", "at", "prev_hash"):  # set by the append
            values.setdefault(name, [] if name == "fields" else "")
    row = hashchain.append(USE_LOG, values)
    assert isinstance(row, DataUse)
    return row


def head_rebuild() -> None:
    """Make the use log's head from its last row if missing (after a restore); call in a transaction."""
    hashchain.head_rebuild(USE_LOG)


def verify(*, batch: int = 5000) -> ChainReport:
    """Walk the use log in order: every row's hash, its link to the previous row, no gaps, a matching head."""
    return hashchain.verify(USE_LOG, batch=batch)
