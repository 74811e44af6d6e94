"""目录导入: a catalog document into the database, all or nothing.

Records are matched by their codes, so loading the same document twice changes nothing; every problem
is collected first (`checks.ImportErrors`) and any problem rolls the whole import back.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from yiwang.catalog import codes
from yiwang.catalog.models import (
    Bundle,
    BundleDependency,
    BundleMember,
    Department,
    ServiceItem,
    ServicePoint,
)
from yiwang.catalog.rules import bundle_problems
from yiwang.catalog.transfer.checks import ImportErrors, check_shape, clean_record
from yiwang.catalog.transfer.document import (
    BUNDLE_FIELDS,
    DEPARTMENT_FIELDS,
    FORMAT,
    FORMAT_VERSION,
    SERVICE_POINT_FIELDS,
    load_fields,
)
from yiwang.catalog.transfer.versions import version_import
from yiwang.core.errors import ValidationFailed


def catalog_import(data: dict[str, Any], *, revise: bool = False) -> dict[str, int]:
    """Load a catalog document; returns counts of what was created. All or nothing.

    A published (or retired) version is never changed: an incoming row that differs from it is
    refused — or, with `revise`, stored as the item's next version and published in place of the
    current one, unless the current one already says the same. That is how a maintained catalog
    (the demo city's, `load_demo`) moves on in a database loaded from an earlier edition of it.
    """
    try:
        return _catalog_import(data, revise=revise)
    except IntegrityError as exc:
        # A clash the checks above did not foresee still leaves the database as it was.
        raise ValidationFailed(
            {"__all__": ["数据与现有目录冲突（编码或名称重复）"]}, code="catalog_import_conflict"
        ) from exc


@transaction.atomic
def _catalog_import(data: dict[str, Any], *, revise: bool) -> dict[str, int]:
    errors = ImportErrors()
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValidationFailed(
            {"format": [f"不是事项目录导出文件（format 应为 {FORMAT}）"]}, code="catalog_import_format"
        )
    if data.get("format_version") != FORMAT_VERSION:
        raise ValidationFailed(
            {"format_version": [f"不支持的格式版本 {data.get('format_version')}"]},
            code="catalog_import_format",
        )
    check_shape(data)
    counts = dict.fromkeys(["departments", "service_points", "items", "versions", "bundles"], 0)

    departments: dict[str, Department] = {d.code: d for d in Department.objects.all()}
    for i, row in enumerate(data.get("departments") or []):
        path = f"departments[{i}]"
        values = load_fields(Department, row, DEPARTMENT_FIELDS)
        department = departments.get(values.get("code", "")) or Department()
        created = department.pk is None
        for name, value in values.items():
            setattr(department, name, value)
        clean_record(department, path, errors)
        if path not in errors.fields and not any(k.startswith(path + ".") for k in errors.fields):
            department.save()
            departments[department.code] = department
            counts["departments"] += int(created)

    for i, row in enumerate(data.get("service_points") or []):
        path = f"service_points[{i}]"
        values = load_fields(ServicePoint, row, SERVICE_POINT_FIELDS)
        point = ServicePoint.objects.filter(code=values.get("code", "")).first() or ServicePoint()
        created = point.pk is None
        for name, value in values.items():
            setattr(point, name, value)
        clean_record(point, path, errors)
        unknown = [c for c in row.get("departments") or [] if c not in departments]
        if unknown:
            errors.add(f"{path}.departments", f"未知部门编码：{'、'.join(unknown)}")
        if not errors.fields:
            point.save()
            point.departments.set([departments[c] for c in row.get("departments") or []])
            counts["service_points"] += int(created)

    items: dict[str, ServiceItem] = {}
    for i, row in enumerate(data.get("items") or []):
        path = f"items[{i}]"
        item_department = departments.get(row.get("department", ""))
        if item_department is None:
            errors.add(f"{path}.department", f"未知部门编码：{row.get('department')}")
            continue
        code = str(row.get("code") or "")
        if not code or len(code) > 36:
            errors.add(f"{path}.code", "实施编码须为 1 至 36 位")
            continue
        if code in items:
            errors.add(f"{path}.code", f"实施编码 {code} 在文件中重复")
            continue
        item, created = ServiceItem.objects.get_or_create(code=code, defaults={"department": item_department})
        if not created and item.department_id != item_department.pk:
            item.department = item_department
            item.save(update_fields=["department"])
        items[code] = item
        counts["items"] += int(created)
        for j, incoming in enumerate(row.get("versions") or []):
            counts["versions"] += version_import(
                item, incoming, f"{path}.versions[{j}]", departments, errors, revise=revise
            )

    for i, row in enumerate(data.get("bundles") or []):
        counts["bundles"] += _bundle_import(row, f"bundles[{i}]", departments, items, errors)

    errors.raise_if_any()
    return counts


def _bundle_import(
    row: dict[str, Any],
    path: str,
    departments: dict[str, Department],
    items: dict[str, ServiceItem],
    errors: ImportErrors,
) -> int:
    lead = departments.get(row.get("lead_department", ""))
    if lead is None:
        errors.add(f"{path}.lead_department", f"未知部门编码：{row.get('lead_department')}")
        return 0
    values = load_fields(Bundle, row, BUNDLE_FIELDS)
    bundle = Bundle.objects.filter(code=values.get("code", "")).first() or Bundle()
    created = bundle.pk is None
    for name, value in values.items():
        setattr(bundle, name, value)
    bundle.lead_department = lead
    clean_record(bundle, path, errors, exclude=["lead_department"])
    if errors.fields:
        return 0
    bundle.save()
    known = {code: item for code, item in items.items()}
    known.update(
        {
            i.code: i
            for i in ServiceItem.objects.filter(code__in=[m.get("item") for m in row.get("members") or []])
        }
    )
    # Members are matched by item, not recreated: cases keep a reference to the member they belong to.
    existing = {m.item.code: m for m in bundle.members.select_related("item")}
    members: dict[str, BundleMember] = {}
    for k, member_row in enumerate(row.get("members") or []):
        item = known.get(member_row.get("item", ""))
        if item is None:
            errors.add(f"{path}.members[{k}].item", f"未知事项编码：{member_row.get('item')}")
            continue
        member = existing.pop(item.code, None) or BundleMember(bundle=bundle, item=item)
        member.order, member.optional = member_row.get("order", k), bool(member_row.get("optional"))
        member.save()
        members[item.code] = member
    for code, member in existing.items():
        try:
            with transaction.atomic():
                member.delete()
        except ProtectedError:
            errors.add(f"{path}.members", f"事项 {code} 已有一件事办件，不能从该一件事中移除")
    BundleDependency.objects.filter(member__bundle=bundle).delete()
    for k, member_row in enumerate(row.get("members") or []):
        dependent = members.get(member_row.get("item", ""))
        for requirement in member_row.get("requires") or []:
            requires = members.get(requirement.get("item", ""))
            if dependent is None or requires is None:
                errors.add(
                    f"{path}.members[{k}].requires",
                    f"前置事项 {requirement.get('item')} 不是该一件事的组成事项",
                )
                continue
            BundleDependency.objects.create(
                member=dependent,
                requires=requires,
                handover_fields=requirement.get("handover_fields") or [],
                note=requirement.get("note") or "",
            )
    if bundle.status == codes.VersionStatus.PUBLISHED and not errors.fields:
        for problem in bundle_problems(bundle):
            errors.add(f"{path}.{problem.field}", problem.message)
    return int(created)
