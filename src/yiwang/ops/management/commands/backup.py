"""`yiwang backup [FILE]`: database + stored documents in one archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from yiwang.ops.backup import backup_create


class Command(BaseCommand):
    help = "备份数据库与全部材料文件到一个 .tar.gz（含条数与摘要清单）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="输出文件；默认 var/backups/yiwang-<时间>.tar.gz")

    def handle(self, *args: Any, **options: Any) -> None:
        target = Path(
            options["file"] or settings.VAR_DIR / "backups" / f"yiwang-{timezone.now():%Y%m%d-%H%M%S}.tar.gz"
        )
        summary = backup_create(target)
        self.stdout.write(f"备份完成：{summary.path}（{summary.objects} 条记录，{summary.files} 个文件）")
