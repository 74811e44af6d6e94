"""The catalog document's format (目录导出格式): what export writes and import reads, record by record.

Values are plain JSON: dates and instants as ISO 8601, decimals as strings, files by name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.dateparse import parse_date, parse_datetime

from yiwang.catalog.models import ItemVersion, ProcessStep
from yiwang.catalog.services import FEE_FIELDS, GUIDE_FIELDS, MATERIAL_FIELDS

FORMAT = "yiwang.catalog"
FORMAT_VERSION = 1

DEPARTMENT_FIELDS = [
    "code",
    "name",
    "short_name",
    "uscc",
    "region_code",
    "nature",
    "address",
    "enquiry_phone",
    "complaint_phone",
    "order",
]
SERVICE_POINT_FIELDS = [
    "code",
    "name",
    "kind",
    "region_code",
    "address",
    "office_hours",
    "phone",
    "is_active",
]
VERSION_META_FIELDS = ["version", "status", "change_note", "published_at", "retired_at"]
STEP_FIELDS = ["order", "name", "role", "limit_days", "description"]
BUNDLE_FIELDS = [
    "code",
    "name",
    "summary",
    "recipients",
    "promised_limit_days",
    "status",
    "published_at",
    "order",
]


def dump_fields(instance: models.Model, names: list[str]) -> dict[str, Any]:
    """The JSON values of `names` on `instance`."""
    out: dict[str, Any] = {}
    for name in names:
        value = getattr(instance, name)
        if isinstance(value, dt.datetime):
            # One spelling per instant, so a document written in +08:00 compares equal to what was stored.
            value = value.astimezone(dt.UTC).isoformat() if value.tzinfo else value.isoformat()
        elif isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        elif isinstance(value, models.fields.files.FieldFile):
            value = value.name or ""
        out[name] = value
    return out


def load_fields(model: type[models.Model], data: dict[str, Any], names: list[str]) -> dict[str, Any]:
    """Type the JSON values of `names` for `model` (dates, decimals); missing keys take field defaults."""
    values: dict[str, Any] = {}
    for name in names:
        if name not in data:
            continue
        field = model._meta.get_field(name)
        value = data[name]
        if value is None and not getattr(field, "null", False):
            value = "" if isinstance(field, (models.CharField, models.TextField, models.FileField)) else value
        elif isinstance(field, models.DateTimeField) and isinstance(value, str):
            value = parse_datetime(value)
        elif isinstance(field, models.DateField) and isinstance(value, str):
            value = parse_date(value)
        elif isinstance(field, models.DecimalField) and value is not None:
            value = Decimal(str(value))
        values[name] = value
    return values


def version_row(version: ItemVersion, steps: Iterable[ProcessStep]) -> dict[str, Any]:
    """One stored version as the document writes it; `steps` are its steps with their departments loaded."""
    row = dump_fields(version, VERSION_META_FIELDS + GUIDE_FIELDS)
    row["materials"] = [dump_fields(m, MATERIAL_FIELDS) for m in version.materials.all()]
    row["steps"] = [
        {**dump_fields(s, STEP_FIELDS), "department": s.department.code if s.department else None}
        for s in steps
    ]
    row["fees"] = [dump_fields(f, FEE_FIELDS) for f in version.fees.all()]
    return row
