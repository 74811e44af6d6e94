"""What an application is for (申办对象): one published item, or a bundle (一件事) with the members
chosen, and the one form to fill — resolved the same way by a submission and by the desk."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from yiwang.cases.applicants import Problems
from yiwang.catalog import selectors
from yiwang.catalog.models import Bundle, BundleDependency, BundleMember, ItemVersion


@dataclass
class Target:
    """What is applied for: the member versions (one for a single item) and the form to fill."""

    versions: list[tuple[BundleMember | None, ItemVersion]]
    schema: dict[str, Any]
    bundle: Bundle | None = None


def application_target(
    item: str | None, bundle: str | None, members: list[str] | None, problems: Problems
) -> Target | None:
    """The target of an application for `item` or `bundle` (with its optional `members` chosen);
    None, with the reasons added to `problems`, when there is none."""
    if bool(item) == bool(bundle):
        problems.add("item", "须指定一个事项（item）或一件事（bundle），且只能指定其一")
        return None
    if item:
        version = selectors.published_version(item)
        if version is None:
            problems.add("item", "未找到该事项或事项未发布")
            return None
        return Target(versions=[(None, version)], schema=version.form_schema)
    found = published_bundle(bundle or "")
    if found is None:
        problems.add("bundle", "未找到该一件事或尚未发布")
        return None
    pairs = selectors.bundle_member_versions(found)
    chosen = set(members or [])
    unknown = chosen - {m.item.code for m, _ in pairs}
    if unknown:
        problems.add("members", f"不是该一件事的组成事项：{'、'.join(sorted(unknown))}")
    selected = [(m, v) for m, v in pairs if not m.optional or m.item.code in chosen]
    selected_ids = {m.id for m, _ in selected}
    for member, version in selected:
        for dependency in member.dependencies.all():
            if dependency.requires_id not in selected_ids:
                problems.add("members", f"{version.name} 需要先办理 {dependency.requires.item}，请一并勾选")
    return Target(versions=list(selected), schema=_merged_schema(found, selected), bundle=found)


def published_bundle(code: str) -> Bundle | None:
    """The published bundle with its members' items, their published versions and departments, and
    each member's dependencies."""
    return (
        selectors.bundles_published()
        .filter(code=code)
        .prefetch_related(
            Prefetch(
                "members",
                queryset=BundleMember.objects.select_related("item__published_version", "item__department"),
            ),
            Prefetch(
                "members__dependencies",
                queryset=BundleDependency.objects.select_related("requires__item").order_by("id"),
            ),
        )
        .first()
    )


def _merged_schema(bundle: Bundle, selected: list[tuple[BundleMember, ItemVersion]]) -> dict[str, Any]:
    merged, _conflicts = selectors.bundle_merged_form(bundle)
    used = {name for _m, v in selected for name in (v.form_schema.get("properties") or {})}
    merged["properties"] = {k: v for k, v in merged["properties"].items() if k in used}
    merged["required"] = [k for k in merged["required"] if k in used]
    return merged
