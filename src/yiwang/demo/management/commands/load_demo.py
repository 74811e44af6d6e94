"""`yiwang load_demo`: the demo city's catalog, one account per role, its e-licence library, and a year of
好差评 ratings and 12345 requests. Idempotent."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from yiwang.catalog.transfer.importing import catalog_import
from yiwang.core.errors import DomainError
from yiwang.demo.accounts import demo_accounts_load
from yiwang.demo.catalog_data import demo_catalog
from yiwang.demo.feedback_data import demo_feedback_load
from yiwang.demo.kiosk_data import demo_kiosk_pins_load
from yiwang.demo.licences_data import demo_licences_load


class Command(BaseCommand):
    help = "载入示范市演示数据（事项目录、各角色演示账号、电子证照库与部门签名密钥、近一年的好差评与诉求）；重复执行不会改变已有数据"

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            # revise: a database loaded from an earlier edition of the demo gets its items' new versions
            counts = catalog_import(demo_catalog(), revise=True)
        except DomainError as exc:
            lines = [exc.message] + [f"  {field}: {m}" for field, ms in exc.fields.items() for m in ms]
            raise CommandError("\n".join(lines)) from exc
        accounts = demo_accounts_load()
        counts.update(demo_licences_load())
        counts["kiosk_pins"] = demo_kiosk_pins_load()
        counts.update(demo_feedback_load())  # after the accounts: its history names the demo staff
        added = ", ".join(f"{k} +{v}" for k, v in counts.items())
        self.stdout.write(f"演示数据已就绪（{added}, accounts +{accounts}）")
