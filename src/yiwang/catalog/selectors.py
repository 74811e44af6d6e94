"""Catalog reads: public search, guides, bundles with their merged form and union of materials."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Prefetch, Q, QuerySet, Sum

from yiwang.catalog import codes
from yiwang.catalog.models import Bundle, BundleMember, Department, ItemVersion, Material, ServiceItem
from yiwang.core.errors import NotFound
from yiwang.core.stamped import StampedCache


def published_versions() -> QuerySet[ItemVersion]:
    return ItemVersion.objects.filter(status=codes.VersionStatus.PUBLISHED).select_related("item__department")


def published_versions_stamp() -> tuple[Any, ...]:
    """Changes with every publication and retirement of an item version (core.stamped): a first
    publication or a retirement changes the count; a new edition the sum of the ids (it replaces an
    edition with a lower id) and the latest publication time."""
    published = ItemVersion.objects.filter(status=codes.VersionStatus.PUBLISHED)
    return tuple(published.aggregate(count=Count("pk"), ids=Sum("pk"), latest=Max("published_at")).values())


# The published versions read so far, by item code, with their items, departments and materials: read
# by every submission. A published edition never changes, so only a publication or a retirement makes
# them stale, and the stamp changes with both; each item is read again at its first use after that.
_published: StampedCache[dict[str, ItemVersion]] = StampedCache(stamp=published_versions_stamp, build=dict)


def published_version(code: str) -> ItemVersion | None:
    """The item's current published version with its item, department and materials, or None.

    The same instance serves every request of this process: read it, never change it.
    """
    versions = _published.get()
    if code not in versions:
        found = published_versions().filter(item__code=code).prefetch_related("materials").first()
        if found is None:
            return None  # not kept: any text can be asked for
        versions[code] = found
    return versions[code]


def published_versions_invalidate() -> None:
    """Drop this process's copy of the published versions; the next read rebuilds it."""
    _published.invalidate()


def four_ways_filter(way: str) -> Q:
    """马上办/网上办/就近办/一次办 as conditions on the guide."""
    match way:
        case codes.FourWays.INSTANT:
            return Q(case_type=codes.CaseType.INSTANT)
        case codes.FourWays.ONLINE:
            return Q(online_depth__gte=codes.OnlineDepth.III)
        case codes.FourWays.NEARBY:
            # Handled below the centre: at branches or village stations, or anywhere in the city.
            return Q(
                item__department__service_points__kind__in=[
                    codes.ServicePointKind.BRANCH,
                    codes.ServicePointKind.VILLAGE,
                ]
            ) | Q(
                cross_region_scope__in=[
                    codes.CrossRegionScope.CITY,
                    codes.CrossRegionScope.PROVINCE,
                    codes.CrossRegionScope.NATIONAL,
                ]
            )
        case codes.FourWays.ONE_VISIT:
            return Q(visits__lte=1)
    raise ValueError(way)


def item_search(
    *, department: str = "", audience: str = "", online_depth: int | None = None, way: str = ""
) -> QuerySet[ItemVersion]:
    """Published items matching every given filter, by department and code (a question is matched by
    the catalog index: assistant.selectors.item_search)."""
    versions = published_versions()
    if department:
        versions = versions.filter(item__department__code=department)
    if audience:
        # Codes are single characters, so containment in "1^2" is exact.
        versions = versions.filter(recipients__contains=audience)
    if online_depth is not None:
        versions = versions.filter(online_depth__gte=online_depth)
    if way:
        versions = versions.filter(four_ways_filter(way))
    return versions.distinct().order_by("item__department__order", "item__code")


def item_guide(code: str) -> ItemVersion:
    """The current published guide of an item, with everything the guide page shows."""
    version = (
        published_versions()
        .filter(item__code=code)
        .prefetch_related("materials", "fees", Prefetch("steps", queryset=_steps()))
        .first()
    )
    if version is None:
        raise NotFound("未找到该事项或事项未发布", code="item_not_found")
    return version


def _steps() -> QuerySet[Any]:
    from yiwang.catalog.models import ProcessStep

    return ProcessStep.objects.select_related("department")


def departments_with_items() -> QuerySet[Department]:
    return Department.objects.order_by("order", "code")


def bundles_published() -> QuerySet[Bundle]:
    return Bundle.objects.filter(status=codes.VersionStatus.PUBLISHED).select_related("lead_department")


def bundle_detail(code: str) -> Bundle:
    bundle = (
        bundles_published()
        .filter(code=code)
        .prefetch_related(
            Prefetch(
                "members",
                queryset=BundleMember.objects.select_related(
                    "item__published_version", "item__department"
                ).prefetch_related("dependencies__requires__item__published_version"),
            )
        )
        .first()
    )
    if bundle is None:
        raise NotFound("未找到该一件事或尚未发布", code="bundle_not_found")
    return bundle


def bundle_member_versions(bundle: Bundle) -> list[tuple[BundleMember, ItemVersion]]:
    pairs = []
    for member in bundle.members.all():
        version = member.item.published_version
        if version is not None:
            pairs.append((member, version))
    return pairs


def bundle_merged_form(bundle: Bundle) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The bundle's one form: each field asked once. Returns (schema, conflicts by field name).

    Fields with the same name in several members are one field (the data is copied to every member
    case), so they must be defined the same way; a different type or format is a conflict.
    """
    properties: dict[str, Any] = {}
    required: list[str] = []
    owners: dict[str, list[str]] = {}
    conflicts: dict[str, list[str]] = {}
    produced = bundle_produced_fields(bundle)
    for _member, version in bundle_member_versions(bundle):
        schema = version.form_schema or {}
        for name, prop in (schema.get("properties") or {}).items():
            if name in produced:
                continue
            owners.setdefault(name, []).append(version.name)
            if name not in properties:
                properties[name] = prop
            elif _field_shape(properties[name]) != _field_shape(prop):
                conflicts[name] = owners[name]
        for name in schema.get("required") or []:
            if name not in required and name not in produced:
                required.append(name)
    merged = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "title": f"{bundle.name}申请表",
        "properties": properties,
        "required": required,
    }
    return merged, conflicts


def bundle_produced_fields(bundle: Bundle) -> dict[str, str]:
    """Fields no applicant is asked for: every member that needs one gets it handed over by a
    prerequisite whose own form does not ask for it — its result produces it (统一社会信用代码 from
    企业设立登记, the new ID number from 出生登记). Field → the name of the item that produces it."""
    pairs = bundle_member_versions(bundle)
    fields_of = {
        member.pk: set((version.form_schema or {}).get("properties") or {}) for member, version in pairs
    }
    names = {member.pk: version.name for member, version in pairs}
    handed: dict[int, dict[str, str]] = {}  # member → field → producing member's item name
    for member, _version in pairs:
        for dependency in member.dependencies.all():
            source = dependency.requires_id
            for name in dependency.handover_fields:
                if name not in fields_of.get(source, {name}):
                    handed.setdefault(member.pk, {})[name] = names.get(source, "")
    produced: dict[str, str] = {}
    for member_pk, fields in fields_of.items():
        for name in fields:
            if name in handed.get(member_pk, {}):
                produced.setdefault(name, handed[member_pk][name])
    askers = {name for pk, fields in fields_of.items() for name in fields if name not in handed.get(pk, {})}
    return {name: source for name, source in produced.items() if name not in askers}


def _field_shape(prop: dict[str, Any]) -> tuple[Any, ...]:
    return (prop.get("type"), prop.get("format"), tuple(prop.get("enum") or ()), prop.get("pattern"))


@dataclass(frozen=True)
class BundleMaterial:
    """A material of a bundle, asked once although several member items need it."""

    material: Material
    needed_by: list[str]


def bundle_materials(bundle: Bundle) -> list[BundleMaterial]:
    """The union of the members' materials, one entry per distinct paper (see Material.share_key)."""
    version_ids = [version.id for _member, version in bundle_member_versions(bundle)]
    by_key: dict[str, BundleMaterial] = {}
    materials = (
        Material.objects.filter(version_id__in=version_ids)
        .select_related("version__item")
        .order_by("version__item__code", "order", "id")
    )
    for material in materials:
        entry = by_key.get(material.share_key)
        if entry is None:
            by_key[material.share_key] = BundleMaterial(material, [material.version.name])
        elif material.version.name not in entry.needed_by:
            entry.needed_by.append(material.version.name)
    return list(by_key.values())


def bundle_critical_path_days(bundle: Bundle) -> int:
    """Sum of promised limits along the longest chain of prerequisites: the best total if run in parallel."""
    pairs = bundle_member_versions(bundle)
    limits = {member.id: version.promised_limit_days for member, version in pairs}
    requires: dict[int, list[int]] = {member.id: [] for member, _ in pairs}
    for member, _ in pairs:
        requires[member.id] = [d.requires_id for d in member.dependencies.all()]
    memo: dict[int, int] = {}

    def finish(member_id: int, seen: frozenset[int] = frozenset()) -> int:
        if member_id in memo:
            return memo[member_id]
        before = [
            finish(r, seen | {member_id})
            for r in requires.get(member_id, [])
            if r not in seen and r in limits
        ]
        memo[member_id] = max(before, default=0) + limits.get(member_id, 0)
        return memo[member_id]

    return max((finish(m) for m in limits), default=0)


def item_by_code(code: str) -> ServiceItem:
    item = ServiceItem.objects.select_related("department", "published_version").filter(code=code).first()
    if item is None:
        raise NotFound("未找到该事项", code="item_not_found")
    return item
