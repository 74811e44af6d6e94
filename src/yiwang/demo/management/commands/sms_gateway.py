"""`yiwang sms_gateway`: the demo SMS gateway (yiwang.demo.sms_gateway) in the foreground, for `make run`."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from yiwang.demo.sms_gateway import FakeSmsGateway


class Command(BaseCommand):
    help = "启动演示短信网关（本地，不发真实短信）：按 YIWANG_SMS_KEY_ID / YIWANG_SMS_SECRET 验签，回执推送到平台"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8025)
        parser.add_argument(
            "--callback",
            default="http://127.0.0.1:8000/api/v1/notifications/sms/receipts",
            help="平台的短信回执地址",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.YIWANG_SMS_SECRET:
            raise CommandError("请设置 YIWANG_SMS_KEY_ID 与 YIWANG_SMS_SECRET")
        gateway = FakeSmsGateway(
            key_id=settings.YIWANG_SMS_KEY_ID,
            secret=settings.YIWANG_SMS_SECRET,
            callback_url=options["callback"],
            port=options["port"],
        ).start()
        self.stdout.write(f"演示短信网关 {gateway.url}/（已发送的短信）")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            gateway.stop()
