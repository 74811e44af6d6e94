"""审计日志导出: CSV in UTF-8 with a byte-order mark, so Excel opens the Chinese columns as text.

Rows are streamed in the order they were written (`id`) from the database in chunks; details, labels,
names and user agents are masked again on the way out, and cells that a spreadsheet would run as a
formula are quoted.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from yiwang.accounts.roles import StaffRole
from yiwang.audit import services
from yiwang.audit.models import AuditAction, AuditChannel, AuditEntry
from yiwang.core.masking import mask_text

BOM = "\ufeff"
HEADERS = [
    "序号",
    "时间",
    "操作人",
    "岗位角色",
    "部门",
    "来源地址",
    "终端",
    "渠道",
    "操作",
    "对象类型",
    "对象标识",
    "对象",
    "详情",
    "哈希链",
    "本条哈希",
]
ACTION_LABELS = dict(AuditAction.choices)
CHANNEL_LABELS = dict(AuditChannel.choices)
ROLE_LABELS = dict(StaffRole.choices)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 2000


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


def _row(entry: AuditEntry) -> list[str]:
    return [
        _cell(value)
        for value in (
            entry.seq,
            timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
            mask_text(entry.actor_name),
            "、".join(str(ROLE_LABELS.get(role, role)) for role in entry.actor_roles),
            entry.department_name,
            entry.ip_address,
            mask_text(entry.user_agent),  # the client's own text, not masked when written
            CHANNEL_LABELS.get(entry.channel, entry.channel),
            ACTION_LABELS.get(entry.action, entry.action),
            entry.object_type,
            entry.object_id,
            mask_text(entry.object_label),
            json.dumps(services.masked_detail(entry.detail), ensure_ascii=False, sort_keys=True),
            entry.chain,
            entry.hash,
        )
    ]


def csv_chunks(entries: QuerySet[AuditEntry]) -> Iterator[str]:
    """The CSV text piece by piece: the BOM and header first, then the rows in the order written."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush(rows: Iterable[list[str]]) -> str:
        writer.writerows(rows)
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield BOM + flush([HEADERS])
    batch: list[list[str]] = []
    for entry in entries.order_by("id").iterator(chunk_size=CHUNK):
        batch.append(_row(entry))
        if len(batch) >= CHUNK:
            yield flush(batch)
            batch = []
    if batch:
        yield flush(batch)


def local_day_range(since: date, until: date) -> tuple[datetime, datetime]:
    """From the start of `since` to the end of `until`, both local dates, as aware datetimes."""
    zone = timezone.get_current_timezone()
    start = datetime.combine(since, time.min, tzinfo=zone)
    end = datetime.combine(until + timedelta(days=1), time.min, tzinfo=zone)
    return start, end
