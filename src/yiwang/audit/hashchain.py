"""哈希链: append-only rows chained by SM3 — the audit trail's chains and the use log are both one.

Each row carries `seq`, `prev_hash` and `hash` (SM3 of its hashed fields as canonical JSON), so
editing, deleting or reordering a row breaks its chain. A chain's last row is recorded in its
`ChainHead`; an append locks that row until the caller's transaction ends, so the chain stays a line.

A transaction that appends to several chains locks their heads first, with `lock_heads`, in
`LOCK_ORDER`: two such transactions then never wait on each other in a circle.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from yiwang.audit.models import ChainHead
from yiwang.core.digests import sm3_hex

GENESIS = "0" * 64

# Chain families in the order their heads are locked: the use log before the audit trail (a read of
# a licence is logged, then audited). Within a family, by head name.
LOCK_ORDER = ("data_use", "audit")


@dataclass(frozen=True)
class Chain:
    """One chain: the model of its rows, its head's name, the fields hashed, and which rows are its
    own in a table that holds several chains (`scope`)."""

    model: type[Model]
    head: str
    fields: tuple[str, ...]
    scope: dict[str, Any] = field(default_factory=dict)


def canonical_hash(values: dict[str, Any], fields: Iterable[str]) -> str:
    """SM3 of the named fields as sorted, compact JSON (`at` to the microsecond)."""
    canonical = {name: values[name] for name in fields}
    canonical["at"] = canonical["at"].isoformat(timespec="microseconds")
    return sm3_hex(json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode())


def _lock_rank(name: str) -> tuple[int, str]:
    family = name.split(".", 1)[0]
    if family not in LOCK_ORDER:
        raise ValueError(f"chain {name!r} has no place in LOCK_ORDER")
    return LOCK_ORDER.index(family), name


def lock_heads(chains: Iterable[Chain]) -> dict[str, ChainHead]:
    """Lock the heads of `chains` in LOCK_ORDER (call inside a transaction), making any that is missing;
    the appends that follow in the same transaction find them locked already."""
    unique = {chain.head: chain for chain in chains}
    return {name: _locked_head(unique[name]) for name in sorted(unique, key=_lock_rank)}


def _locked_head(chain: Chain) -> ChainHead:
    """The chain's head row, locked until the transaction ends. Made from the chain's last row when
    missing: on the first append, or after a restore (backups leave the head table out)."""
    head = ChainHead.objects.select_for_update().filter(name=chain.head).first()
    if head is not None:
        return head
    last = chain.model._default_manager.filter(**chain.scope).order_by("-seq").values("seq", "hash").first()
    ChainHead.objects.get_or_create(
        name=chain.head,
        defaults={"seq": last["seq"], "hash": last["hash"]} if last else {"seq": 0, "hash": GENESIS},
    )
    return ChainHead.objects.select_for_update().get(name=chain.head)


def head_rebuild(chain: Chain) -> ChainHead:
    """Make the chain's head from its last row if it is missing (after a restore); in a transaction."""
    _lock_rank(chain.head)
    return _locked_head(chain)


def append(chain: Chain, values: dict[str, Any]) -> Model:
    """Append one row at the end of `chain` in the caller's transaction: it commits with the change it
    records, or not at all. Concurrent appends queue on the head's lock."""
    _lock_rank(chain.head)
    with transaction.atomic(savepoint=False):
        head = _locked_head(chain)
        # Milliseconds: kept so that hashes of rows written before backups kept microseconds still match.
        now = timezone.now()
        row = {
            "seq": head.seq + 1,
            "at": now.replace(microsecond=now.microsecond // 1000 * 1000),
            "prev_hash": head.hash,
            **values,
        }
        row["hash"] = canonical_hash(row, chain.fields)
        entry = chain.model._default_manager.create(**row, **chain.scope)
        ChainHead.objects.filter(name=chain.head).update(seq=row["seq"], hash=row["hash"])
    return entry


@dataclass(frozen=True)
class ChainReport:
    rows: int
    problems: list[str]

    @property
    def intact(self) -> bool:
        return not self.problems


def verify(chain: Chain, *, batch: int = 5000) -> ChainReport:
    """Walk the chain in order: every row's hash, its link to the previous row, no gaps, a matching head."""
    problems: list[str] = []
    expected_prev, expected_seq, count = GENESIS, 1, 0
    last_seq = 0
    while True:
        rows = list(
            chain.model._default_manager.filter(seq__gt=last_seq, **chain.scope)
            .order_by("seq")
            .values(*chain.fields, "hash", "pk")[:batch]
        )
        if not rows:
            break
        for row in rows:
            count += 1
            if row["seq"] != expected_seq:
                problems.append(f"第 {expected_seq} 条至第 {row['seq'] - 1} 条缺失（记录被删除）")
            if row["prev_hash"] != expected_prev:
                problems.append(f"第 {row['seq']} 条与前一条不衔接（记录被删除、插入或调换顺序）")
            if canonical_hash(row, chain.fields) != row["hash"]:
                problems.append(f"第 {row['seq']} 条内容与其哈希不符（记录被修改）")
            expected_prev, expected_seq, last_seq = row["hash"], row["seq"] + 1, row["seq"]
    head = ChainHead.objects.filter(name=chain.head).first()
    if head is not None and (head.seq != last_seq or head.hash != expected_prev):
        problems.append(f"链尾应为第 {head.seq} 条，实际为第 {last_seq} 条（末尾记录被删除或追加未登记）")
    return ChainReport(rows=count, problems=problems)
