"""事项目录导入导出: the whole catalog as one JSON document (round-trip exact), and as an Excel workbook.

Import is idempotent: records are matched by their codes (items by code and version number), so
loading the same file twice changes nothing. Published and retired versions are immutable: an
import that would change one is refused whole, nothing written.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Max, ProtectedError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from yiwang.catalog import codes
from yiwang.catalog.models import (
    Bundle,
    BundleDependency,
    BundleMember,
    Department,
    Fee,
    ItemVersion,
    Material,
    ProcessStep,
    ServiceItem,
    ServicePoint,
)
from yiwang.catalog.rules import bundle_problems, item_version_problems
from yiwang.catalog.services import FEE_FIELDS, GUIDE_FIELDS, MATERIAL_FIELDS, search_text_for
from yiwang.core.errors import ValidationFailed

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


def _dump(instance: models.Model, names: list[str]) -> dict[str, Any]:
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


def catalog_export() -> dict[str, Any]:
    """The whole catalog, in a stable order, as plain JSON-able data."""
    departments = [_dump(d, DEPARTMENT_FIELDS) for d in Department.objects.order_by("code")]
    points = []
    for point in ServicePoint.objects.prefetch_related("departments").order_by("code"):
        row = _dump(point, SERVICE_POINT_FIELDS)
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
        rows = []
        for version in by_item.get(item.pk, []):
            row = _dump(version, VERSION_META_FIELDS + GUIDE_FIELDS)
            row["materials"] = [_dump(m, MATERIAL_FIELDS) for m in version.materials.all()]
            row["steps"] = [
                {**_dump(s, STEP_FIELDS), "department": s.department.code if s.department else None}
                for s in version.steps.all()
            ]
            row["fees"] = [_dump(f, FEE_FIELDS) for f in version.fees.all()]
            rows.append(row)
        items.append({"code": item.code, "department": item.department.code, "versions": rows})
    bundles = []
    for bundle in Bundle.objects.select_related("lead_department").order_by("code"):
        row = _dump(bundle, BUNDLE_FIELDS)
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


class _Errors:
    """Collects every problem of an import, keyed by a path into the document."""

    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}

    def add(self, path: str, message: str) -> None:
        self.fields.setdefault(path, []).append(message)

    def add_validation(self, path: str, exc: ValidationError) -> None:
        for name, messages in exc.message_dict.items():
            for message in messages:
                self.add(f"{path}.{name}" if name != "__all__" else path, message)

    def raise_if_any(self) -> None:
        if self.fields:
            raise ValidationFailed(
                self.fields,
                message=f"导入失败，共 {sum(map(len, self.fields.values()))} 处问题，未写入任何数据",
                code="catalog_import_invalid",
            )


def _load(model: type[models.Model], data: dict[str, Any], names: list[str]) -> dict[str, Any]:
    """Type the JSON values of `names` for `model` (dates, decimals); missing keys take field defaults."""
    values: dict[str, Any] = {}
    for name in names:
        if name not in data:
            continue
        field = model._meta.get_field(name)
        value = data[name]
        if value is None and not field.null:
            value = "" if isinstance(field, (models.CharField, models.TextField, models.FileField)) else value
        elif isinstance(field, models.DateTimeField) and isinstance(value, str):
            value = parse_datetime(value)
        elif isinstance(field, models.DateField) and isinstance(value, str):
            value = parse_date(value)
        elif isinstance(field, models.DecimalField) and value is not None:
            value = Decimal(str(value))
        values[name] = value
    return values


def _clean(instance: models.Model, path: str, errors: _Errors, exclude: list[str] | None = None) -> None:
    # Uniqueness is checked for top-level records (a name used twice is a field error, not a crash);
    # the rows of a version are checked by the import itself before they are written.
    top_level = isinstance(instance, (Department, ServicePoint, Bundle))
    try:
        instance.full_clean(exclude=exclude, validate_unique=top_level, validate_constraints=False)
    except ValidationError as exc:
        errors.add_validation(path, exc)


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
    errors = _Errors()
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValidationFailed(
            {"format": [f"不是事项目录导出文件（format 应为 {FORMAT}）"]}, code="catalog_import_format"
        )
    if data.get("format_version") != FORMAT_VERSION:
        raise ValidationFailed(
            {"format_version": [f"不支持的格式版本 {data.get('format_version')}"]},
            code="catalog_import_format",
        )
    _check_shape(data)
    counts = dict.fromkeys(["departments", "service_points", "items", "versions", "bundles"], 0)

    departments: dict[str, Department] = {d.code: d for d in Department.objects.all()}
    for i, row in enumerate(data.get("departments") or []):
        path = f"departments[{i}]"
        values = _load(Department, row, DEPARTMENT_FIELDS)
        department = departments.get(values.get("code", "")) or Department()
        created = department.pk is None
        for name, value in values.items():
            setattr(department, name, value)
        _clean(department, path, errors)
        if path not in errors.fields and not any(k.startswith(path + ".") for k in errors.fields):
            department.save()
            departments[department.code] = department
            counts["departments"] += int(created)

    for i, row in enumerate(data.get("service_points") or []):
        path = f"service_points[{i}]"
        values = _load(ServicePoint, row, SERVICE_POINT_FIELDS)
        point = ServicePoint.objects.filter(code=values.get("code", "")).first() or ServicePoint()
        created = point.pk is None
        for name, value in values.items():
            setattr(point, name, value)
        _clean(point, path, errors)
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
        department = departments.get(row.get("department", ""))
        if department is None:
            errors.add(f"{path}.department", f"未知部门编码：{row.get('department')}")
            continue
        code = str(row.get("code") or "")
        if not code or len(code) > 36:
            errors.add(f"{path}.code", "实施编码须为 1 至 36 位")
            continue
        if code in items:
            errors.add(f"{path}.code", f"实施编码 {code} 在文件中重复")
            continue
        item, created = ServiceItem.objects.get_or_create(code=code, defaults={"department": department})
        if not created and item.department_id != department.pk:
            item.department = department
            item.save(update_fields=["department"])
        items[code] = item
        counts["items"] += int(created)
        for j, version_row in enumerate(row.get("versions") or []):
            counts["versions"] += _import_version(
                item, version_row, f"{path}.versions[{j}]", departments, errors, revise=revise
            )

    for i, row in enumerate(data.get("bundles") or []):
        counts["bundles"] += _import_bundle(row, f"bundles[{i}]", departments, items, errors)

    errors.raise_if_any()
    return counts


def _version_document(version: ItemVersion) -> dict[str, Any]:
    """The exported form of one stored version, to compare with an incoming one."""
    row = _dump(version, VERSION_META_FIELDS + GUIDE_FIELDS)
    row["materials"] = [_dump(m, MATERIAL_FIELDS) for m in version.materials.all()]
    row["steps"] = [
        {**_dump(s, STEP_FIELDS), "department": s.department.code if s.department else None}
        for s in version.steps.select_related("department")
    ]
    row["fees"] = [_dump(f, FEE_FIELDS) for f in version.fees.all()]
    return row


REVISED_NOTE = "目录修订"


def _same_content(row: dict[str, Any], version: ItemVersion) -> bool:
    """The incoming row says what `version` says, whatever their numbers, states and dates."""
    incoming, stored = _normalised_version_row(row), _version_document(version)
    return all(incoming[k] == stored[k] for k in stored if k not in VERSION_META_FIELDS)


def _import_version(
    item: ServiceItem,
    row: dict[str, Any],
    path: str,
    departments: dict[str, Department],
    errors: _Errors,
    *,
    revise: bool = False,
) -> int:
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
        if _normalised_version_row(row) == _version_document(existing):
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
    version = ItemVersion(item=item, **_load(ItemVersion, row, VERSION_META_FIELDS + GUIDE_FIELDS))
    version.search_text = search_text_for(version)
    _clean(version, path, errors, exclude=["item", "published_by"])
    if errors.fields:
        return 0
    version.save()
    materials = [
        Material(version=version, **_load(Material, m, MATERIAL_FIELDS)) for m in row.get("materials") or []
    ]
    material_codes = [m.code for m in materials]
    duplicated = sorted({c for c in material_codes if material_codes.count(c) > 1})
    if duplicated:
        errors.add(f"{path}.materials", f"材料编码重复：{'、'.join(duplicated)}")
        return 0
    for k, material in enumerate(materials):
        _clean(material, f"{path}.materials[{k}]", errors, exclude=["version"])
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
            **_load(ProcessStep, step_row, STEP_FIELDS),
        )
        _clean(step, f"{path}.steps[{k}]", errors, exclude=["version", "department"])
        steps.append(step)
    if errors.fields:
        return 0
    ProcessStep.objects.bulk_create(steps)
    fees = [Fee(version=version, **_load(Fee, f, FEE_FIELDS)) for f in row.get("fees") or []]
    for k, fee in enumerate(fees):
        _clean(fee, f"{path}.fees[{k}]", errors, exclude=["version"])
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


def _normalised_version_row(row: dict[str, Any]) -> dict[str, Any]:
    """An incoming version row as export would write it (typed and re-serialised)."""
    probe = ItemVersion(**_load(ItemVersion, row, VERSION_META_FIELDS + GUIDE_FIELDS))
    out = _dump(probe, VERSION_META_FIELDS + GUIDE_FIELDS)
    out["materials"] = [
        _dump(Material(**_load(Material, m, MATERIAL_FIELDS)), MATERIAL_FIELDS)
        for m in row.get("materials") or []
    ]
    out["steps"] = [
        {
            **_dump(ProcessStep(**_load(ProcessStep, s, STEP_FIELDS)), STEP_FIELDS),
            "department": s.get("department"),
        }
        for s in row.get("steps") or []
    ]
    out["fees"] = [_dump(Fee(**_load(Fee, f, FEE_FIELDS)), FEE_FIELDS) for f in row.get("fees") or []]
    return out


def _import_bundle(
    row: dict[str, Any],
    path: str,
    departments: dict[str, Department],
    items: dict[str, ServiceItem],
    errors: _Errors,
) -> int:
    lead = departments.get(row.get("lead_department", ""))
    if lead is None:
        errors.add(f"{path}.lead_department", f"未知部门编码：{row.get('lead_department')}")
        return 0
    values = _load(Bundle, row, BUNDLE_FIELDS)
    bundle = Bundle.objects.filter(code=values.get("code", "")).first() or Bundle()
    created = bundle.pk is None
    for name, value in values.items():
        setattr(bundle, name, value)
    bundle.lead_department = lead
    _clean(bundle, path, errors, exclude=["lead_department"])
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
        member = members.get(member_row.get("item", ""))
        for requirement in member_row.get("requires") or []:
            requires = members.get(requirement.get("item", ""))
            if member is None or requires is None:
                errors.add(
                    f"{path}.members[{k}].requires",
                    f"前置事项 {requirement.get('item')} 不是该一件事的组成事项",
                )
                continue
            BundleDependency.objects.create(
                member=member,
                requires=requires,
                handover_fields=requirement.get("handover_fields") or [],
                note=requirement.get("note") or "",
            )
    if bundle.status == codes.VersionStatus.PUBLISHED and not errors.fields:
        for problem in bundle_problems(bundle):
            errors.add(f"{path}.{problem.field}", problem.message)
    return int(created)


_NESTED = {
    "items": {"versions": {"materials": {}, "steps": {}, "fees": {}}},
    "bundles": {"members": {"requires": {}}},
}


def _check_shape(data: dict[str, Any]) -> None:
    """Lists of objects where lists of objects belong, so a mangled file is a clear error, not a crash."""
    problems: dict[str, list[str]] = {}

    def walk(rows: Any, path: str, nested: dict[str, Any]) -> None:
        if rows is None:
            return
        if not isinstance(rows, list):
            problems.setdefault(path, []).append("应为数组")
            return
        for i, row in enumerate(rows):
            if not isinstance(row, dict):
                problems.setdefault(f"{path}[{i}]", []).append("应为 JSON 对象")
                continue
            for key, inner in nested.items():
                walk(row.get(key), f"{path}[{i}].{key}", inner)

    for key in ("departments", "service_points"):
        walk(data.get(key), key, {})
    for key, nested in _NESTED.items():
        walk(data.get(key), key, nested)
    if problems:
        raise ValidationFailed(
            problems, message="导入文件结构不正确，未写入任何数据", code="catalog_import_format"
        )
