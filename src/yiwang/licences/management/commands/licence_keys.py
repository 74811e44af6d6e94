"""`yiwang licence_keys [--rotate DEPT_CODE]`: every department gets an active SM2 signing key. Idempotent."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yiwang.catalog.models import Department
from yiwang.licences.services import department_key_rotate, department_keys_ensure


class Command(BaseCommand):
    help = "为每个部门生成电子证照签名密钥（已有的不变）；--rotate 部门编码 轮换该部门的密钥（旧密钥保留用于验证）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--rotate", metavar="DEPT_CODE", action="append", default=[], help="要轮换密钥的部门编码"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for code in options["rotate"]:
            department = Department.objects.filter(code=code).first()
            if department is None:
                raise CommandError(f"没有编码为 {code} 的部门")
            key = department_key_rotate(department)
            self.stdout.write(f"{department.name}：已启用新密钥 {key.fingerprint[:16]}…，旧密钥保留用于验证")
        made = department_keys_ensure()
        self.stdout.write(f"签名密钥已就绪（新生成 {made} 个）")
