"""One item version of a catalog import (事项版本导入): a draft is replaced whole by the incoming row; a
published or retired one is never changed — the row is refused, or with `revise` stored as the item's
next version."""

from __future__ import annotations

from typing import Any

from django.db.models import Max
from django.utils import timezone

from yiwang.catalog import codes
from yiwang.catalog.models import Department, Fee, ItemVersion, Material, ProcessStep, ServiceItem
from yiwang.catalog.rules import item_version_problems
from yiwang.catalog.services import FEE_FIELDS, GUIDE_FIELDS, MATERIAL_FIELDS, search_text_for
from yiwang.catalog.transfer.checks import ImportErrors, clean_record
from yiwang.catalog.transfer.document import (
    STEP_FIELDS,
    VERSION_META_FIELDS,
    dump_fields,
    load_fields,
    version_row,
)

REVISED_NOTE = "目录修订"


def version_import(
    item: ServiceItem,
    row: dict[str, Any],
    path: str,
    departments: dict[str, Department],
    errors: ImportErrors,
    *,
    revise: bool = False,
) -> int:
    """Store one incoming version of `item`; returns 1 if a version was created, else 0."""
    number = row.get("version")
    if not isinstance(number, int) or number < 1:
        errors.add(f"{path}.version", "版本号须为正整数")
        return 0
    status = row.get("status", codes.VersionStatus.DRAFT)
    if status not in codes.VersionStatus.values:
        errors.add(f"{path}.status", f"未知的版本状态 {status}")
        return 0
    existing = item.versions.filter(version=number).first()
    revised = False
    if existing is not None:
        if _normalised_row(row) == _stored_row(existing):
            return 0
        if existing.status != codes.VersionStatus.DRAFT:
            if not revise:
                errors.add(
                    path,
                    f"{item.code} 第 {number} 版{existing.get_status_display()}，内容不可修改；请以新版本号导入",
                )
                return 0
            current = item.published_version
            if current is not None and _same_content(row, current):
                return 0  # revised before
            number = (item.versions.aggregate(last=Max("version"))["last"] or 0) + 1
            published = status == codes.VersionStatus.PUBLISHED
            row = {
                **row,
                "version": number,
                "change_note": REVISED_NOTE,
                "published_at": timezone.now().isoformat() if published else None,
                "retired_at": None,
            }
            existing, revised = None, True
        else:
            existing.delete()  # a draft is replaced whole by the incoming one
    created = existing is None
    if revised and status == codes.VersionStatus.PUBLISHED:
        # the revision takes the current one's place (any refusal below rolls the whole import back)
        item.versions.filter(status=codes.VersionStatus.PUBLISHED).update(
            status=codes.VersionStatus.RETIRED, retired_at=timezone.now()
        )
    version = ItemVersion(item=item, **load_fields(ItemVersion, row, VERSION_META_FIELDS + GUIDE_FIELDS))
    version.search_text = search_text_for(version)
    clean_record(version, path, errors, exclude=["item", "published_by"])
    if errors.fields:
        return 0
    version.save()
    materials = [
        Material(version=version, **load_fields(Material, m, MATERIAL_FIELDS))
        for m in row.get("materials") or []
    ]
    material_codes = [m.code for m in materials]
    duplicated = sorted({c for c in material_codes if material_codes.count(c) > 1})
    if duplicated:
        errors.add(f"{path}.materials", f"材料编码重复：{'、'.join(duplicated)}")
        return 0
    for k, material in enumerate(materials):
        clean_record(material, f"{path}.materials[{k}]", errors, exclude=["version"])
    if errors.fields:
        return 0
    Material.objects.bulk_create(materials)
    steps = []
    for k, step_row in enumerate(row.get("steps") or []):
        dept_code = step_row.get("department")
        if dept_code and dept_code not in departments:
            errors.add(f"{path}.steps[{k}].department", f"未知部门编码：{dept_code}")
            continue
        step = ProcessStep(
            version=version,
            department=departments.get(dept_code or ""),
            **load_fields(ProcessStep, step_row, STEP_FIELDS),
        )
        clean_record(step, f"{path}.steps[{k}]", errors, exclude=["version", "department"])
        steps.append(step)
    if errors.fields:
        return 0
    ProcessStep.objects.bulk_create(steps)
    fees = [Fee(version=version, **load_fields(Fee, f, FEE_FIELDS)) for f in row.get("fees") or []]
    for k, fee in enumerate(fees):
        clean_record(fee, f"{path}.fees[{k}]", errors, exclude=["version"])
    if errors.fields:
        return 0
    Fee.objects.bulk_create(fees)
    if status == codes.VersionStatus.PUBLISHED:
        for problem in item_version_problems(version):
            errors.add(f"{path}.{problem.field}", problem.message)

        if item.versions.filter(status=codes.VersionStatus.PUBLISHED).exclude(pk=version.pk).exists():
            errors.add(f"{path}.status", f"{item.code} 已有其他已发布版本，同一事项只能有一个已发布版本")
        elif not errors.fields:
            item.published_version = version
            item.save(update_fields=["published_version"])
    return int(created)


def _stored_row(version: ItemVersion) -> dict[str, Any]:
    """The exported form of one stored version, to compare with an incoming one."""
    return version_row(version, version.steps.select_related("department"))


def _same_content(row: dict[str, Any], version: ItemVersion) -> bool:
    """The incoming row says what `version` says, whatever their numbers, states and dates."""
    incoming, stored = _normalised_row(row), _stored_row(version)
    return all(incoming[k] == stored[k] for k in stored if k not in VERSION_META_FIELDS)


def _normalised_row(row: dict[str, Any]) -> dict[str, Any]:
    """An incoming version row as export would write it (typed and re-serialised)."""
    probe = ItemVersion(**load_fields(ItemVersion, row, VERSION_META_FIELDS + GUIDE_FIELDS))
    out = dump_fields(probe, VERSION_META_FIELDS + GUIDE_FIELDS)
    out["materials"] = [
        dump_fields(Material(**load_fields(Material, m, MATERIAL_FIELDS)), MATERIAL_FIELDS)
        for m in row.get("materials") or []
    ]
    out["steps"] = [
        {
            **dump_fields(ProcessStep(**load_fields(ProcessStep, s, STEP_FIELDS)), STEP_FIELDS),
            "department": s.get("department"),
        }
        for s in row.get("steps") or []
    ]
    out["fees"] = [
        dump_fields(Fee(**load_fields(Fee, f, FEE_FIELDS)), FEE_FIELDS) for f in row.get("fees") or []
    ]
    return out
