"""`yiwang audit verify`: walk the use log's hash chain and report any edited, deleted or reordered row."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from yiwang.sharing.chain import verify


class Command(BaseCommand):
    help = "核验用数记录哈希链：发现被修改、删除或调换顺序的记录时以非零状态退出"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify()
        if report.intact:
            self.stdout.write(f"用数记录哈希链完整：共 {report.rows} 条")
            return
        for problem in report.problems:
            self.stderr.write(problem)
        self.stderr.write(f"用数记录哈希链已被破坏：共 {report.rows} 条，发现 {len(report.problems)} 处问题")
        sys.exit(1)
