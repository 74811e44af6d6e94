"""`yiwang audit verify`: walk both hash chains — the use log (用数记录) and the audit trail (审计日志) —
and report any edited, deleted or reordered row; exit non-zero if either is broken.

`yiwang audit export --since YYYY-MM-DD --until YYYY-MM-DD [--output file.csv]`: the audit trail of
those days (local dates, both included) as CSV with a BOM for Excel; the export is itself recorded.
"""

from __future__ import annotations

import getpass
import sys
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yiwang.audit import chain as audit_chain
from yiwang.audit import context
from yiwang.audit.models import AuditAction, AuditEntry
from yiwang.audit.services import record
from yiwang.ops.export import csv_chunks, local_day_range
from yiwang.sharing import chain as use_log_chain

CHAINS = [("用数记录", use_log_chain.verify), ("审计日志", audit_chain.verify)]


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return ""


def _day(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise CommandError(f"日期须为 YYYY-MM-DD：{raw}") from exc


class Command(BaseCommand):
    help = "核验用数记录和审计日志的哈希链（发现被修改、删除或调换顺序的记录时以非零状态退出）；导出审计日志"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "export"])
        parser.add_argument("--since", help="导出起始日期 YYYY-MM-DD（含）")
        parser.add_argument("--until", help="导出截止日期 YYYY-MM-DD（含）")
        parser.add_argument("--output", help="导出到该 CSV 文件；省略时写到标准输出")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "export":
            self.export(options)
        else:
            self.verify()

    def verify(self) -> None:
        broken = False
        for label, verify in CHAINS:
            report = verify()
            if report.intact:
                self.stdout.write(f"{label}哈希链完整：共 {report.rows} 条")
                continue
            broken = True
            for problem in report.problems:
                self.stderr.write(f"{label}：{problem}")
            self.stderr.write(
                f"{label}哈希链已被破坏：共 {report.rows} 条，发现 {len(report.problems)} 处问题"
            )
        if broken:
            sys.exit(1)

    def export(self, options: dict[str, Any]) -> None:
        if not options["since"] or not options["until"]:
            raise CommandError("导出须指定 --since 和 --until")
        since, until = _day(options["since"]), _day(options["until"])
        if until < since:
            raise CommandError("--until 不能早于 --since")
        start, end = local_day_range(since, until)
        entries = AuditEntry.objects.filter(at__gte=start, at__lt=end)
        rows = entries.count()
        with context.command_context():
            exported = record(
                action=AuditAction.AUDIT_EXPORT,
                label=f"{since:%Y-%m-%d} 至 {until:%Y-%m-%d}",
                detail={
                    "since": since,
                    "until": until,
                    "rows": rows,
                    "output": options["output"] or "标准输出",
                    "os_user": _os_user(),
                },
            )
        chunks = csv_chunks(entries.filter(id__lt=exported.id))
        if options["output"]:
            with Path(options["output"]).open("w", encoding="utf-8", newline="") as handle:
                handle.writelines(chunks)
            self.stderr.write(f"已导出 {rows} 条审计日志到 {options['output']}")
        else:
            for chunk in chunks:
                self.stdout.write(chunk, ending="")
