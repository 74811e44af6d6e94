"""`yiwang documents_purge`: remove uploads that no application references 24 hours after upload.

Safe to run on several workers at once (each row goes by a conditional delete). Run it from cron,
e.g. hourly, until a task worker runs it as a periodic job.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yiwang.documents.services import UNATTACHED_LIFETIME, documents_purge


class Command(BaseCommand):
    help = "清理上传后超过 24 小时仍未被任何申请引用的材料及其文件"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--hours",
            type=int,
            default=int(UNATTACHED_LIFETIME.total_seconds() // 3600),
            help="上传后经过多少小时仍未被引用即清理（默认 24）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["hours"] < 1:
            raise CommandError("--hours 至少为 1")
        summary = documents_purge(older_than=timedelta(hours=options["hours"]))
        self.stdout.write(f"已清理未使用的材料 {summary.documents} 件，删除文件 {summary.blobs} 个")
