"""The hash chain: canonical row bytes, SM3, append under a lock, verify the whole chain."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import hashes
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from yiwang.sharing.models import ChainHead, DataUse

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


def sm3_hex(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def canonical_hash(values: dict[str, Any], fields: list[str]) -> str:
    """SM3 of the named fields as sorted, compact JSON (`at` to the microsecond): one row's hash in any chain."""
    canonical = {name: values[name] for name in fields}
    canonical["at"] = canonical["at"].isoformat(timespec="microseconds")
    return sm3_hex(json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode())


def row_hash(values: dict[str, Any]) -> str:
    return canonical_hash(values, HASHED_FIELDS)


@transaction.atomic
def append(**values: Any) -> DataUse:
    """Append one row at the end of the chain. Concurrent appends queue on the chain head's row lock."""
    head, _ = ChainHead.objects.get_or_create(name=CHAIN, defaults={"seq": 0, "hash": GENESIS})
    head = ChainHead.objects.select_for_update().get(name=CHAIN)
    # Milliseconds: the precision Django's JSON serialiser keeps, so a backup restores the same hash.
    now = timezone.now()
    row = {
        "seq": head.seq + 1,
        "at": now.replace(microsecond=now.microsecond // 1000 * 1000),
        "prev_hash": head.hash,
        **values,
    }
    row.setdefault("actor_id", None)
    row.setdefault("department_id", None)
    for name in HASHED_FIELDS:
        row.setdefault(name, "" if name not in ("fields",) else [])
    row["hash"] = row_hash(row)
    use = DataUse.objects.create(**row)
    ChainHead.objects.filter(name=CHAIN).update(seq=use.seq, hash=use.hash)
    return use


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


def verify_chain(model: type[Model], chain: str, fields: list[str], *, batch: int = 5000) -> ChainReport:
    """Verify any chain of rows with `seq`, `prev_hash` and `hash` columns hashed by `canonical_hash`."""
    problems: list[str] = []
    expected_prev, expected_seq, count = GENESIS, 1, 0
    last_seq = 0
    while True:
        rows = list(
            model._default_manager.filter(seq__gt=last_seq)
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
