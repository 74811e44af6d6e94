"""`yiwang restore FILE`: load a backup into an empty, migrated database (any engine) and storage."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yiwang.core.errors import DomainError
from yiwang.ops.backup import restore


class Command(BaseCommand):
    help = "从备份恢复（目标须为新建并已迁移的空库）；恢复后核对条数和文件摘要"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = restore(Path(options["file"]))
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"恢复完成：{summary.objects} 条记录，{summary.files} 个文件，已核对")
