"""目录导出: the whole catalog as one document, in a stable order (records by code, versions by number)."""

from __future__ import annotations

from typing import Any

from django.db import models

from yiwang.catalog.models import Bundle, Department, ItemVersion, ProcessStep, ServiceItem, ServicePoint
from yiwang.catalog.transfer.document import (
    BUNDLE_FIELDS,
    DEPARTMENT_FIELDS,
    FORMAT,
    FORMAT_VERSION,
    SERVICE_POINT_FIELDS,
    dump_fields,
    version_row,
)


def catalog_export() -> dict[str, Any]:
    """The whole catalog, in a stable order, as plain JSON-able data."""
    departments = [dump_fields(d, DEPARTMENT_FIELDS) for d in Department.objects.order_by("code")]
    points = []
    for point in ServicePoint.objects.prefetch_related("departments").order_by("code"):
        row = dump_fields(point, SERVICE_POINT_FIELDS)
        row["departments"] = sorted(d.code for d in point.departments.all())
        points.append(row)
    items = []
    versions = ItemVersion.objects.select_related("item").prefetch_related(
        "materials",
        "fees",
        models.Prefetch("steps", queryset=ProcessStep.objects.select_related("department")),
    )
    by_item: dict[int, list[ItemVersion]] = {}
    for version in versions.order_by("item__code", "version"):
        by_item.setdefault(version.item_id, []).append(version)
    for item in ServiceItem.objects.select_related("department").order_by("code"):
        rows = [version_row(version, version.steps.all()) for version in by_item.get(item.pk, [])]
        items.append({"code": item.code, "department": item.department.code, "versions": rows})
    bundles = []
    for bundle in Bundle.objects.select_related("lead_department").order_by("code"):
        row = dump_fields(bundle, BUNDLE_FIELDS)
        row["lead_department"] = bundle.lead_department.code
        members = bundle.members.select_related("item").prefetch_related("dependencies__requires__item")
        row["members"] = [
            {
                "item": m.item.code,
                "order": m.order,
                "optional": m.optional,
                "requires": [
                    {"item": d.requires.item.code, "handover_fields": d.handover_fields, "note": d.note}
                    for d in sorted(m.dependencies.all(), key=lambda d: d.requires.item.code)
                ],
            }
            for m in members
        ]
        bundles.append(row)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "departments": departments,
        "service_points": points,
        "items": items,
        "bundles": bundles,
    }
