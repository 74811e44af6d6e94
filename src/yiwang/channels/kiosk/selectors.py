"""自助终端 selectors: what the kiosk pages read — the most-used items, the citizen's applications.

Candidates for `yiwang.cases.selectors` (popular items, applications with notices); kept here so the
kiosk does not edit another team's files. Each function is bounded and does a fixed number of queries.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from yiwang.accounts.models import User
from yiwang.cases import selectors as case_selectors
from yiwang.cases.models import Application, Case
from yiwang.cases.states import Action
from yiwang.catalog import selectors as catalog_selectors
from yiwang.catalog.models import ItemVersion, ServicePoint

POPULAR_WINDOW = timedelta(days=30)
HOME_ITEMS = 10


def item_ids_by_recent_use(*, limit: int = HOME_ITEMS, now: datetime | None = None) -> list[int]:
    """The published items with the most applications in the last 30 days, most first (item ids).

    Counts cases: one per item per application, so a bundle counts for each of its items.
    """
    since = (now or timezone.now()) - POPULAR_WINDOW
    return list(
        Case.objects.filter(created_at__gte=since, item_version__item__published_version__isnull=False)
        .values("item_version__item_id")
        .annotate(n=Count("id"))
        .order_by("-n", "item_version__item_id")
        .values_list("item_version__item_id", flat=True)[:limit]
    )


def popular_items(
    *, limit: int = HOME_ITEMS, ranked: list[int] | None = None, now: datetime | None = None
) -> list[ItemVersion]:
    """常办事项: the current guides of the most-used items (`ranked`, else `item_ids_by_recent_use`).

    Slots the history does not fill — all of them on a new installation — go to the items marked
    支持自助终端, in department order, so the kiosk home is never empty.
    """
    if ranked is None:
        ranked = item_ids_by_recent_use(limit=limit, now=now)
    ranked = ranked[:limit]
    published = catalog_selectors.published_versions()
    by_item = {v.item_id: v for v in published.filter(item_id__in=ranked)}
    versions = [by_item[item_id] for item_id in ranked if item_id in by_item]
    if len(versions) < limit:
        fill = (
            published.filter(supports_kiosk=True)
            .exclude(item_id__in=ranked)
            .order_by("item__department__order", "item__department__code", "item__code")
        )
        versions += list(fill[: limit - len(versions)])
    return versions


def service_points_of(version: ItemVersion, *, limit: int = 3) -> QuerySet[ServicePoint]:
    """Where to go: active halls (not kiosks) where the item's department has a window."""
    return (
        ServicePoint.objects.filter(departments=version.item.department_id, is_active=True)
        .exclude(kind="kiosk")
        .order_by("kind", "code")[:limit]
    )


# Actions and records after which an application has a notice to print (cases.notices_catalog).
NOTICE_ACTIONS = (Action.ACCEPT, Action.DEEMED_ACCEPT, Action.REFUSE, Action.COMPLETE)


def applications_of(user: User, *, with_notices: bool = False) -> QuerySet[Application]:
    """The citizen's applications, newest first; only those with a notice when asked."""
    applications = case_selectors.application_list(user)
    if with_notices:
        having = Application.objects.filter(
            Q(cases__events__action__in=NOTICE_ACTIONS) | Q(cases__supplement_request__isnull=False)
        )
        applications = applications.filter(pk__in=having.values("pk"))
    return applications
