"""`yiwang catalog_export [--format json|xlsx] [-o FILE]`: the whole catalog to a file or stdout."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from yiwang.catalog.transfer.excel import catalog_to_xlsx
from yiwang.catalog.transfer.exporting import catalog_export


class Command(BaseCommand):
    help = "导出事项目录（JSON 可原样导回；Excel 便于人工编辑后导入）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["json", "xlsx"], default="json")
        parser.add_argument("-o", "--output", help="输出文件；省略时 JSON 写到标准输出")

    def handle(self, *args: Any, **options: Any) -> None:
        data = catalog_export()
        if options["format"] == "xlsx":
            if not options["output"]:
                self.stderr.write("导出 Excel 须用 -o 指定文件")
                sys.exit(2)
            with open(options["output"], "wb") as handle:
                handle.write(catalog_to_xlsx(data))
            return
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as handle:
                handle.write(text)
        else:
            self.stdout.write(text, ending="")
