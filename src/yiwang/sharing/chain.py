"""The hash chain: canonical row bytes, SM3, append under a lock, verify the whole chain."""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from yiwang.core.compiled import Compiled
from yiwang.core.digests import sm3_hex
from yiwang.core.inserts import Statement, insert, new
from yiwang.sharing.models import ChainHead, DataUse

M = TypeVar("M", bound=Model)

GENESIS = "0" * 64
CHAIN = "data_use"
HASHED_FIELDS = [
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
]


def canonical_hash(values: dict[str, Any], fields: list[str]) -> str:
    """SM3 of the named fields as sorted, compact JSON (`at` to the microsecond): one row's hash in any chain."""
    canonical = {name: values[name] for name in fields}
    canonical["at"] = canonical["at"].isoformat(timespec="microseconds")
    return sm3_hex(json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode())


def row_hash(values: dict[str, Any]) -> str:
    return canonical_hash(values, HASHED_FIELDS)


def append(**values: Any) -> DataUse:
    """Append one row at the end of the use log."""
    values.setdefault("actor_id", None)
    values.setdefault("department_id", None)
    for name in HASHED_FIELDS:
        if name not in CHAIN_FIELDS:
            values.setdefault(name, [] if name == "fields" else "")
    return append_row(DataUse, CHAIN, HASHED_FIELDS, values)


CHAIN_FIELDS = ("seq", "at", "prev_hash")  # set by append_row, never by the caller


def locked_head(model: type[Model], chain: str, scope: dict[str, Any] | None = None) -> ChainHead:
    """The chain's head row, locked until the caller's transaction ends. Made from the chain's last row
    when missing: on the first append, or after a restore (backups leave the head table out).

    `scope` selects the chain's rows in a table that holds several chains (the audit trail's).
    """
    head = _LOCKED_HEAD.first(chain)
    if head is not None:
        return head
    last = model._default_manager.filter(**(scope or {})).order_by("-seq").values("seq", "hash").first()
    ChainHead.objects.get_or_create(
        name=chain,
        defaults={"seq": last["seq"], "hash": last["hash"]} if last else {"seq": 0, "hash": GENESIS},
    )
    return ChainHead.objects.select_for_update().get(name=chain)


# Every audited change appends under this lock: compiled once, like the head's update below.
_LOCKED_HEAD = Compiled(lambda chain: ChainHead.objects.select_for_update().filter(name=chain)[:1], str)


def _head_move(chain: str, seq: int, hash_: str) -> tuple[str, list[Any]]:
    """The UPDATE that moves the chain's head to a new last row (sent with that row's INSERT)."""
    return _head_move_sql(), [seq, hash_, chain]


@functools.cache
def _head_move_sql() -> str:
    table, name, seq, hash_ = _head_columns()
    return f"UPDATE {table} SET {seq} = %s, {hash_} = %s WHERE {name} = %s"


def head_lock_sql(name_sql: str) -> str:
    """A SELECT locking the head whose name the SQL expression `name_sql` gives, returning its
    (name, seq, hash) as `LockedHead` takes them: for a caller's own statement (audit.chain.head_lock)."""
    table, name, seq, hash_ = _head_columns()
    return f"SELECT {name}, {seq}, {hash_} FROM {table} WHERE {name} = {name_sql} FOR UPDATE"


@functools.cache
def _head_columns() -> tuple[str, str, str, str]:
    """ChainHead's table and its name, seq and hash columns, quoted."""
    meta, quote = ChainHead._meta, connection.ops.quote_name
    name, seq, hash_ = (quote(meta.get_field(f).column) for f in ("name", "seq", "hash"))
    return quote(meta.db_table), name, seq, hash_


@dataclass(frozen=True)
class LockedHead:
    """A chain's head as the caller's own statement locked it (SELECT … FOR UPDATE)."""

    name: str
    seq: int
    hash: str


def append_row(
    model: type[M],
    chain: str,
    fields: list[str],
    values: dict[str, Any],
    scope: dict[str, Any] | None = None,
    along: Sequence[Statement] = (),
    head: LockedHead | None = None,
) -> M:
    """Append one row at the end of any chain. Concurrent appends queue on the head row's lock, held
    until the caller's transaction ends: a row commits with the change it records, or not at all.
    Within the caller's transaction there is no savepoint: a failed append fails the whole change.

    `along`: the caller's own writes, sent in the row's INSERT (core.inserts.insert).
    `head`: the head as the caller locked it in this transaction, which saves locking it here."""
    if head is not None and head.name != chain:
        raise ValueError(f"locked head {head.name!r} is not the head of chain {chain!r}")
    with transaction.atomic(savepoint=False):
        last: LockedHead | ChainHead = head if head is not None else locked_head(model, chain, scope)
        # Milliseconds: kept so that hashes of rows written before backups kept microseconds still match.
        now = timezone.now()
        row = {
            "seq": last.seq + 1,
            "at": now.replace(microsecond=now.microsecond // 1000 * 1000),
            "prev_hash": last.hash,
            **values,
        }
        row["hash"] = canonical_hash(row, fields)
        (entry,) = insert(
            [new(model, **row, **(scope or {}))], along=[_head_move(chain, row["seq"], row["hash"]), *along]
        )
    return entry


@dataclass(frozen=True)
class ChainReport:
    rows: int
    problems: list[str]

    @property
    def intact(self) -> bool:
        return not self.problems


def verify(*, batch: int = 5000) -> ChainReport:
    """Walk the use log in order: every row's hash, its link to the previous row, no gaps, a matching head."""
    return verify_chain(DataUse, CHAIN, HASHED_FIELDS, batch=batch)


def verify_chain(
    model: type[Model],
    chain: str,
    fields: list[str],
    *,
    scope: dict[str, Any] | None = None,
    batch: int = 5000,
) -> ChainReport:
    """Verify any chain of rows with `seq`, `prev_hash` and `hash` columns hashed by `canonical_hash`;
    `scope` selects the chain's rows in a table of several chains."""
    problems: list[str] = []
    expected_prev, expected_seq, count = GENESIS, 1, 0
    last_seq = 0
    while True:
        rows = list(
            model._default_manager.filter(seq__gt=last_seq, **(scope or {}))
            .order_by("seq")
            .values(*fields, "hash", "pk")[:batch]
        )
        if not rows:
            break
        for row in rows:
            count += 1
            if row["seq"] != expected_seq:
                problems.append(f"第 {expected_seq} 条至第 {row['seq'] - 1} 条缺失（记录被删除）")
            if row["prev_hash"] != expected_prev:
                problems.append(f"第 {row['seq']} 条与前一条不衔接（记录被删除、插入或调换顺序）")
            if canonical_hash(row, fields) != row["hash"]:
                problems.append(f"第 {row['seq']} 条内容与其哈希不符（记录被修改）")
            expected_prev, expected_seq, last_seq = row["hash"], row["seq"] + 1, row["seq"]
    head = ChainHead.objects.filter(name=chain).first()
    if head is not None and (head.seq != last_seq or head.hash != expected_prev):
        problems.append(f"链尾应为第 {head.seq} 条，实际为第 {last_seq} 条（末尾记录被删除或追加未登记）")
    return ChainReport(rows=count, problems=problems)
