"""Catalog writes: drafting, editing and publishing item versions and bundles.

A published version is immutable: editing an item means drafting version N+1 (a copy), and
publishing it retires the previous one. Cases keep a foreign key to the version they were opened
under, so a guide can change without rewriting the history of any case.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from yiwang.catalog import codes
from yiwang.catalog.models import Bundle, Fee, ItemVersion, Material, ProcessStep, ServiceItem
from yiwang.catalog.rules import Problem, bundle_problems, item_version_problems
from yiwang.core.errors import Conflict, ValidationFailed

# Fields copied from one version to the next; everything the guide says.
GUIDE_FIELDS = [
    f.name
    for f in ItemVersion._meta.concrete_fields
    if f.name
    not in {
        "id",
        "item",
        "version",
        "status",
        "change_note",
        "search_text",
        "created_at",
        "published_at",
        "published_by",
        "retired_at",
    }
]
MATERIAL_FIELDS = [f.name for f in Material._meta.concrete_fields if f.name not in {"id", "version"}]
STEP_FIELDS = [f.attname for f in ProcessStep._meta.concrete_fields if f.name not in {"id", "version"}]
FEE_FIELDS = [f.name for f in Fee._meta.concrete_fields if f.name not in {"id", "version"}]


def search_text_for(version: ItemVersion) -> str:
    return " ".join(
        part
        for part in (
            version.name,
            version.keywords,
            version.result_name,
            version.item.department.name,
            version.item.department.short_name,
            version.item.code,
        )
        if part
    )


def raise_problems(problems: list[Problem], message: str) -> None:
    fields: dict[str, list[str]] = {}
    for problem in problems:
        fields.setdefault(problem.field, []).append(problem.message)
    # The first problem's code names the failure for machines; every message is in `fields`.
    raise ValidationFailed(fields, message=message, code=problems[0].code)


@transaction.atomic
def item_version_new_draft(*, item: ServiceItem, change_note: str = "") -> ItemVersion:
    """修订事项: the item's open draft, or a new draft copied from its latest version."""
    item = ServiceItem.objects.select_for_update().get(pk=item.pk)
    draft = item.versions.filter(status=codes.VersionStatus.DRAFT).first()
    if draft is not None:
        return draft
    source = item.versions.order_by("-version").first()
    if source is None:
        raise Conflict("no_version", "该事项还没有任何版本，请先创建事项")
    draft = ItemVersion(
        item=item, version=source.version + 1, status=codes.VersionStatus.DRAFT, change_note=change_note
    )
    for name in GUIDE_FIELDS:
        setattr(draft, name, getattr(source, name))
    draft.search_text = search_text_for(draft)
    draft.save()
    Material.objects.bulk_create(
        Material(version=draft, **{n: getattr(m, n) for n in MATERIAL_FIELDS}) for m in source.materials.all()
    )
    ProcessStep.objects.bulk_create(
        ProcessStep(version=draft, **{n: getattr(s, n) for n in STEP_FIELDS}) for s in source.steps.all()
    )
    Fee.objects.bulk_create(
        Fee(version=draft, **{n: getattr(f, n) for n in FEE_FIELDS}) for f in source.fees.all()
    )
    return draft


def ensure_editable(version: ItemVersion) -> None:
    if version.status != codes.VersionStatus.DRAFT:
        raise Conflict(
            "version_immutable",
            f"{version.name} 第 {version.version} 版已{version.get_status_display()}，不能修改；请先创建新的草稿版本",
        )


@transaction.atomic
def item_version_update(*, version: ItemVersion, **changes: Any) -> ItemVersion:
    """Edit guide fields of a draft version."""
    version = ItemVersion.objects.select_for_update().select_related("item__department").get(pk=version.pk)
    ensure_editable(version)
    unknown = set(changes) - set(GUIDE_FIELDS) - {"change_note"}
    if unknown:
        raise ValidationFailed({name: ["不是可编辑的事项要素"] for name in sorted(unknown)})
    for name, value in changes.items():
        setattr(version, name, value)
    version.search_text = search_text_for(version)
    version.full_clean(exclude=["item", "published_by"])
    version.save()
    return version


@transaction.atomic
def item_alias_add(*, item: ServiceItem, alias: str) -> ItemVersion:
    """Add a 常用叫法 to an item: in its open draft (a new draft if none), for the catalog administrator
    to check and publish, since a published guide never changes."""
    alias = " ".join(alias.split())
    if not alias or len(alias) > 30:
        raise ValidationFailed({"alias": ["常用叫法须为 1–30 个字"]}, code="invalid_alias")
    draft = item_version_new_draft(item=item, change_note=f"新增常用叫法：{alias}")
    words = draft.keywords.split()
    if alias not in words:
        keywords = " ".join([*words, alias])
        if len(keywords) > ItemVersion._meta.get_field("keywords").max_length:  # type: ignore[operator]
            raise ValidationFailed(
                {"alias": ["该事项的常用叫法已满 200 字，请先删去不用的"]}, code="aliases_full"
            )
        draft.keywords = keywords
        draft.search_text = search_text_for(draft)
        draft.save(update_fields=["keywords", "search_text"])
    return draft


@transaction.atomic
def item_version_publish(*, version: ItemVersion, by: Any = None) -> ItemVersion:
    """发布: check every rule, retire the current published version, publish this one."""
    # Lock the item so two admins publishing at once cannot leave two published versions.
    item = ServiceItem.objects.select_for_update().select_related("department").get(pk=version.item_id)
    version = ItemVersion.objects.select_related("item__department").get(pk=version.pk)
    ensure_editable(version)
    problems = item_version_problems(version)
    if problems:
        raise_problems(problems, f"{version.name} 未通过发布校验，共 {len(problems)} 处问题")
    now = timezone.now()
    item.versions.filter(status=codes.VersionStatus.PUBLISHED).update(
        status=codes.VersionStatus.RETIRED, retired_at=now
    )
    ItemVersion.objects.filter(pk=version.pk).update(
        status=codes.VersionStatus.PUBLISHED,
        published_at=now,
        published_by=by if getattr(by, "pk", None) else None,
        search_text=search_text_for(version),
    )
    item.published_version_id = version.pk
    item.save(update_fields=["published_version"])
    version.refresh_from_db()
    return version


@transaction.atomic
def item_retire(*, item: ServiceItem) -> None:
    """停用事项: no version stays published; existing cases keep their versions."""
    item = ServiceItem.objects.select_for_update().get(pk=item.pk)
    item.versions.filter(status=codes.VersionStatus.PUBLISHED).update(
        status=codes.VersionStatus.RETIRED, retired_at=timezone.now()
    )
    item.published_version = None
    item.save(update_fields=["published_version"])


@transaction.atomic
def bundle_publish(*, bundle: Bundle) -> Bundle:
    """发布一件事: members published, prerequisites acyclic, one consistent merged form."""
    bundle = Bundle.objects.select_for_update().get(pk=bundle.pk)
    problems = bundle_problems(bundle)
    if problems:
        raise_problems(problems, f"一件事“{bundle.name}”未通过发布校验，共 {len(problems)} 处问题")
    bundle.status = codes.VersionStatus.PUBLISHED
    bundle.published_at = timezone.now()
    bundle.save(update_fields=["status", "published_at"])
    return bundle
