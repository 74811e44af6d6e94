"""`yiwang throttle_purge`: remove the failure counters (sign-in, kiosk PIN, 办件进度查询) of windows that
ended, keeping those still blocking their key. Run it from cron (e.g. hourly) until a task worker does."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from yiwang.accounts.throttle import throttle_purge


class Command(BaseCommand):
    help = "清理已过期的登录、自助终端密码和办件查询失败计数"

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"已清理失败计数 {throttle_purge()} 条")
