"""`yiwang catalog_import FILE`: load a catalog exported as JSON or Excel (idempotent, all or nothing)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yiwang.catalog.transfer.excel import xlsx_to_catalog
from yiwang.catalog.transfer.importing import catalog_import
from yiwang.core.errors import DomainError


class Command(BaseCommand):
    help = "导入事项目录（.json 或 .xlsx）；按编码匹配，重复导入不产生重复数据"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            raw = path.read_bytes()
            data = xlsx_to_catalog(raw) if path.suffix.lower() == ".xlsx" else json.loads(raw.decode("utf-8"))
            counts = catalog_import(data)
        except OSError as exc:
            raise CommandError(f"无法读取 {path}：{exc.strerror}") from exc
        except (ValueError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path} 不是合法的 JSON：{exc}") from exc
        except DomainError as exc:
            lines = [exc.message] + [f"  {field}: {m}" for field, ms in exc.fields.items() for m in ms]
            raise CommandError("\n".join(lines)) from exc
        self.stdout.write("导入完成：" + "，".join(f"{k} +{v}" for k, v in counts.items()))
