"""`yiwang assistant_purge [--days 30]`: delete 智能客服 conversations untouched for that many days (what
they were about and how many turns; the questions not answered stay, counted, for the catalog
administrators). Run it from cron (e.g. daily) until a task worker does."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from yiwang.assistant.conversation import conversations_purge


class Command(BaseCommand):
    help = "删除超过指定天数未再使用的智能客服会话"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=30, help="未使用的天数（默认 30）")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"已删除智能客服会话 {conversations_purge(days=max(1, options['days']))} 个")
