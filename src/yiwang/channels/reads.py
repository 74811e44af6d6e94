"""Reads the portal pages need that the catalog selectors do not offer (yet).

Candidates to move into `yiwang.catalog.selectors`; kept here so the portal does not reach into
another team's files. Each function is bounded and does a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from yiwang.catalog import selectors
from yiwang.catalog.models import Bundle, BundleMember, Department, ItemVersion, Material, ServiceItem
from yiwang.catalog.selectors import BundleMaterial

HOME_BUNDLES = 6


def departments_with_item_counts() -> QuerySet[Department]:
    """Every department with the number of its items that have a published guide."""
    return selectors.departments_with_items().annotate(
        published_items=Count("items", filter=Q(items__published_version__isnull=False))
    )


def bundles_with_member_counts() -> QuerySet[Bundle]:
    """Published bundles with the number of members that have a published guide (as the API lists them)."""
    return selectors.bundles_published().annotate(
        published_members=Count("members", filter=Q(members__item__published_version__isnull=False))
    )


def bundles_containing(item: ServiceItem) -> QuerySet[Bundle]:
    """Published bundles an item belongs to: its guide points people to the one-stop route."""
    return selectors.bundles_published().filter(members__item=item).distinct()[:HOME_BUNDLES]


@dataclass(frozen=True)
class Prerequisite:
    """A member waits for this one's result; these fields of its data are handed over."""

    name: str
    code: str
    handover: list[tuple[str, str]]  # (field name, field title)
    note: str


@dataclass(frozen=True)
class MemberView:
    member: BundleMember
    version: ItemVersion
    requires: list[Prerequisite]
    stage: int  # 1 = starts at once; n = after every prerequisite, in stage n - 1 or earlier, is done
    material_count: int


@dataclass(frozen=True)
class MergedField:
    """One field of the bundle's merged form, asked once, and the member items that use it."""

    name: str
    title: str
    kind: str
    required: bool
    used_by: list[str]


@dataclass(frozen=True)
class BundleOverview:
    bundle: Bundle
    members: list[MemberView]
    stages: list[list[MemberView]]
    fields: list[MergedField]
    materials: list[BundleMaterial]
    materials_separately: int  # what the members ask for when applied for one by one
    licence_shared: int  # distinct materials a shared e-licence replaces
    separate_limit_days: int  # sum of the members' promised limits
    critical_path_days: int

    @property
    def saved_days(self) -> int:
        return max(0, self.separate_limit_days - self.bundle.promised_limit_days)

    @property
    def department_count(self) -> int:
        return len({view.member.item.department_id for view in self.members})

    @property
    def fields_separately(self) -> int:
        return sum(len(f.used_by) for f in self.fields)


def field_kind(prop: dict[str, Any]) -> str:
    """A person's word for what a JSON Schema property asks for."""
    if prop.get("enum") or prop.get("oneOf") or prop.get("anyOf"):
        return "单选"
    kind = prop.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    fmt = prop.get("format", "")
    if kind == "string":
        return {"date": "日期", "date-time": "日期时间", "email": "电子邮箱", "uri": "网址"}.get(fmt, "文本")
    return {"integer": "整数", "number": "数字", "boolean": "是/否", "array": "多项", "object": "分组"}.get(
        str(kind), "文本"
    )


def bundle_overview(bundle: Bundle) -> BundleOverview:
    """Everything the bundle page shows, from a bundle loaded by `selectors.bundle_detail`."""
    pairs = selectors.bundle_member_versions(bundle)
    merged, _conflicts = selectors.bundle_merged_form(bundle)
    properties: dict[str, Any] = merged.get("properties") or {}

    def title(name: str) -> str:
        return str((properties.get(name) or {}).get("title") or name)

    material_counts = dict(
        Material.objects.filter(version_id__in=[v.id for _m, v in pairs])
        .values("version_id")
        .annotate(n=Count("id"))
        .values_list("version_id", "n")
    )
    present = {member.id for member, _ in pairs}
    requires_ids = {
        member.id: [d.requires_id for d in member.dependencies.all() if d.requires_id in present]
        for member, _ in pairs
    }
    stages_by_id: dict[int, int] = {}

    def stage_of(member_id: int, seen: frozenset[int] = frozenset()) -> int:
        # Published bundles are acyclic (bundle_publish checks); `seen` only guards against bad data.
        if member_id not in stages_by_id:
            before = [stage_of(r, seen | {member_id}) for r in requires_ids[member_id] if r not in seen]
            stages_by_id[member_id] = max(before, default=0) + 1
        return stages_by_id[member_id]

    members = []
    for member, version in pairs:
        prerequisites = []
        for dependency in member.dependencies.all():
            required = dependency.requires
            required_version = required.item.published_version
            prerequisites.append(
                Prerequisite(
                    name=required_version.name if required_version else required.item.code,
                    code=required.item.code,
                    handover=[(str(name), title(str(name))) for name in dependency.handover_fields or []],
                    note=dependency.note,
                )
            )
        members.append(
            MemberView(
                member, version, prerequisites, stage_of(member.id), material_counts.get(version.id, 0)
            )
        )

    stages: list[list[MemberView]] = []
    for view in members:
        while len(stages) < view.stage:
            stages.append([])
        stages[view.stage - 1].append(view)

    owners: dict[str, list[str]] = {}
    for _member, version in pairs:
        for name in (version.form_schema or {}).get("properties") or {}:
            owners.setdefault(name, []).append(version.name)
    required_names = set(merged.get("required") or [])
    fields = [
        MergedField(name, title(name), field_kind(prop), name in required_names, owners.get(name, []))
        for name, prop in properties.items()
    ]

    materials = selectors.bundle_materials(bundle)
    return BundleOverview(
        bundle=bundle,
        members=members,
        stages=[stage for stage in stages if stage],
        fields=fields,
        materials=materials,
        materials_separately=sum(material_counts.values()),
        licence_shared=sum(1 for entry in materials if entry.material.licence_type_code),
        separate_limit_days=sum(v.promised_limit_days for _m, v in pairs),
        critical_path_days=selectors.bundle_critical_path_days(bundle),
    )
