"""The catalog document as an Excel workbook: one sheet per table, editable by a catalog admin.

Row 1 holds Chinese column labels for people, row 2 the field keys the import reads; data from row 3.
JSON-valued cells (the form schema, prerequisites) hold JSON text. Text that a spreadsheet would take
for a formula (starting with =, +, - or @) is written as text with a quote prefix: it is neither run
when the file is opened nor lost when it is read back.
"""

from __future__ import annotations

import io
import json
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font, PatternFill

from yiwang.catalog.models import Bundle, Department, Fee, ItemVersion, Material, ProcessStep, ServicePoint
from yiwang.catalog.services import FEE_FIELDS, GUIDE_FIELDS, MATERIAL_FIELDS
from yiwang.catalog.transfer.document import (
    BUNDLE_FIELDS,
    DEPARTMENT_FIELDS,
    FORMAT,
    FORMAT_VERSION,
    SERVICE_POINT_FIELDS,
    STEP_FIELDS,
    VERSION_META_FIELDS,
)
from yiwang.core.errors import ValidationFailed

JSON_KEYS = {"form_schema", "requires", "departments"}
FORMULA_START = ("=", "+", "-", "@")


def _label(model: Any, key: str) -> str:
    try:
        return str(model._meta.get_field(key).verbose_name)
    except Exception:
        return {
            "item": "事项实施编码",
            "bundle": "一件事编码",
            "departments": "进驻部门编码",
            "requires": "前置事项",
            "department": "部门编码",
            "lead_department": "牵头部门编码",
        }.get(key, key)


SHEETS: list[tuple[str, Any, list[str]]] = [
    ("部门", Department, DEPARTMENT_FIELDS),
    ("服务网点", ServicePoint, [*SERVICE_POINT_FIELDS, "departments"]),
    ("事项版本", ItemVersion, ["item", "department", *VERSION_META_FIELDS, *GUIDE_FIELDS]),
    ("申请材料", Material, ["item", "version", *MATERIAL_FIELDS]),
    ("办理环节", ProcessStep, ["item", "version", *STEP_FIELDS, "department"]),
    ("收费项目", Fee, ["item", "version", *FEE_FIELDS]),
    ("一件事", Bundle, [*BUNDLE_FIELDS, "lead_department"]),
    ("组成事项", None, ["bundle", "item", "order", "optional", "requires"]),
]


def _rows(data: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name, _, _ in SHEETS}
    rows["部门"] = data["departments"]
    rows["服务网点"] = data["service_points"]
    for item in data["items"]:
        for version in item["versions"]:
            rows["事项版本"].append({"item": item["code"], "department": item["department"], **version})
            ref = {"item": item["code"], "version": version["version"]}
            rows["申请材料"] += [{**ref, **m} for m in version["materials"]]
            rows["办理环节"] += [{**ref, **s} for s in version["steps"]]
            rows["收费项目"] += [{**ref, **f} for f in version["fees"]]
    for bundle in data["bundles"]:
        rows["一件事"].append(bundle)
        rows["组成事项"] += [{"bundle": bundle["code"], **m} for m in bundle["members"]]
    return rows


def catalog_to_xlsx(data: dict[str, Any]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    header = Font(bold=True)
    key_font = Font(color="888888", size=9)
    fill = PatternFill("solid", fgColor="EEF3FA")
    for (name, model, keys), rows in zip(SHEETS, _rows(data).values(), strict=True):
        sheet = workbook.create_sheet(name)
        sheet.append([_label(model, k) if model else _label(None, k) for k in keys])
        sheet.append(keys)
        for cell in sheet[1]:
            cell.font, cell.fill = header, fill
        for cell in sheet[2]:
            cell.font = key_font
        for row in rows:
            sheet.append(
                [json.dumps(row.get(k), ensure_ascii=False) if k in JSON_KEYS else row.get(k) for k in keys]
            )
            for cell in sheet[sheet.max_row]:
                _keep_as_text(cell)
        sheet.freeze_panes = "A3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _keep_as_text(cell: Cell) -> None:
    """openpyxl stores a string starting with "=" as a formula (which a reader with data_only=True gets
    back as None), and Excel evaluates one starting with +, - or @ once the cell is edited. A string
    cell with Excel's quote prefix is text to both, and the prefix is not part of the value."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True


def xlsx_to_catalog(content: bytes) -> dict[str, Any]:
    """Read a workbook written by `catalog_to_xlsx` (possibly edited) back into a catalog document."""
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a file that is not a workbook
        raise ValidationFailed(
            {"file": ["不是有效的 Excel（.xlsx）文件"]}, code="catalog_import_format"
        ) from exc
    tables: dict[str, list[dict[str, Any]]] = {}
    for name, _model, _keys in SHEETS:
        if name not in workbook.sheetnames:
            raise ValidationFailed({"file": [f"缺少工作表“{name}”"]}, code="catalog_import_format")
        values = list(workbook[name].iter_rows(values_only=True))
        keys = [str(k) if k is not None else "" for k in (values[1] if len(values) > 1 else ())]
        table = []
        for line, raw in enumerate(values[2:], start=3):
            if all(v is None for v in raw):
                continue
            row = {}
            for key, value in zip(keys, raw, strict=False):
                if not key:
                    continue
                if key in JSON_KEYS and isinstance(value, str):
                    try:
                        value = json.loads(value)
                    except json.JSONDecodeError as exc:
                        raise ValidationFailed(
                            {f"{name}!{line}.{key}": ["不是合法的 JSON"]}, code="catalog_import_format"
                        ) from exc
                row[key] = value
            table.append(row)
        tables[name] = table
    return _document(tables)


def _document(tables: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    # Cells as read: a blank item code or version is None here, and the import's validation reports it.
    def children(sheet: str, item: object, version: object) -> list[dict[str, Any]]:
        return [
            {k: v for k, v in row.items() if k not in {"item", "version"}}
            for row in tables[sheet]
            if row.get("item") == item and row.get("version") == version
        ]

    items: dict[object, dict[str, Any]] = {}
    for row in tables["事项版本"]:
        code = row.get("item")
        entry = items.setdefault(code, {"code": code, "department": row.get("department"), "versions": []})
        version = {k: v for k, v in row.items() if k not in {"item", "department"}}
        version["materials"] = children("申请材料", code, row.get("version"))
        version["steps"] = children("办理环节", code, row.get("version"))
        version["fees"] = children("收费项目", code, row.get("version"))
        entry["versions"].append(version)
    bundles = []
    for row in tables["一件事"]:
        members = [
            {k: v for k, v in m.items() if k != "bundle"}
            for m in tables["组成事项"]
            if m.get("bundle") == row.get("code")
        ]
        bundles.append({**row, "members": members})
    for point in tables["服务网点"]:
        point["departments"] = point.get("departments") or []
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "departments": tables["部门"],
        "service_points": tables["服务网点"],
        "items": list(items.values()),
        "bundles": bundles,
    }
