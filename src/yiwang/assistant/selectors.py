"""Catalog search (事项检索) on the catalog index: what the portal's search box, the kiosk, the
workbench desk and `GET /api/v1/items?q=` answer.

The index is built in each process from the published catalog (about a second) and rebuilt when the
catalog's stamp changes — a version or bundle published or withdrawn — checked at every search
(core.stamped), so a publication is searchable at once, with no restart, in every server worker.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Case as SQLCase
from django.db.models import Count, IntegerField, Max, Prefetch, QuerySet, Value, When

from yiwang.assistant.confidence import catalog_answers
from yiwang.assistant.index import CatalogIndex, Hit, Kind, build_index
from yiwang.catalog import codes
from yiwang.catalog import selectors as catalog
from yiwang.catalog.models import Bundle, BundleMember, ItemVersion
from yiwang.core.stamped import StampedCache


def _stamp() -> tuple[Any, ...]:
    """What the index was built from, in two cheap aggregates: a publication or a withdrawal of an item
    version or a bundle changes the count, the latest publication time or the highest id."""
    published = {"n": Count("pk"), "last": Max("published_at"), "top": Max("pk")}
    versions = ItemVersion.objects.filter(status=codes.VersionStatus.PUBLISHED).aggregate(**published)
    bundles = catalog.bundles_published().aggregate(**published)
    return tuple(versions.values()) + tuple(bundles.values())


def _build() -> CatalogIndex:
    versions = list(catalog.published_versions().prefetch_related("materials"))
    bundles = list(
        catalog.bundles_published().prefetch_related(
            Prefetch("members", queryset=BundleMember.objects.select_related("item__published_version"))
        )
    )
    return build_index(versions, bundles)


_index: StampedCache[CatalogIndex] = StampedCache(stamp=_stamp, build=_build)


def catalog_index() -> CatalogIndex:
    """The index of the catalog as published now."""
    return _index.get()


def search(question: str, *, kinds: tuple[Kind, ...] = ("item", "bundle")) -> list[Hit]:
    """The answers to a question, best first: every entry that shares a telling word with it."""
    return [h for h in catalog_index().search(question, kinds=kinds) if h.telling]


def question_answered(question: str, hit: Hit) -> bool:
    """Whether `hit`, the best answer to `question`, answers what it asks about (confidence.py): the
    assistant declines otherwise; search shows it all the same."""
    return catalog_answers(catalog_index(), question, hit)


def _in_order(codes_in_order: list[str], field: str) -> SQLCase:
    return SQLCase(
        *[When(**{field: code}, then=Value(i)) for i, code in enumerate(codes_in_order)],
        default=Value(len(codes_in_order)),
        output_field=IntegerField(),
    )


def item_search(
    *, q: str = "", department: str = "", audience: str = "", online_depth: int | None = None, way: str = ""
) -> QuerySet[ItemVersion]:
    """Published items matching every filter; with a question, those that answer it, best first."""
    versions = catalog.item_search(
        department=department, audience=audience, online_depth=online_depth, way=way
    )
    if not q.strip():
        return versions
    found = [h.entry.code for h in search(q, kinds=("item",))]
    return (
        versions.filter(item__code__in=found)
        .annotate(rank=_in_order(found, "item__code"))
        .order_by("rank", "item__code")
    )


def bundle_search(*, q: str, bundles: QuerySet[Bundle] | None = None) -> QuerySet[Bundle]:
    """一件事 that answer a question, best first; `bundles` narrows them (default: every published one);
    without a question it is returned as it is."""
    bundles = bundles if bundles is not None else catalog.bundles_published()
    if not q.strip():
        return bundles
    found = [h.entry.code for h in search(q, kinds=("bundle",))]
    return bundles.filter(code__in=found).annotate(rank=_in_order(found, "code")).order_by("rank", "code")
