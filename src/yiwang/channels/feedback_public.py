"""好差评公示: every department's ratings, 好评率, 差评整改率 and 诉求按期办结率, computed from the rows
(`feedback.selectors.public_figures`); and the small 好差评 box of an item's guide."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from yiwang.catalog.models import ServiceItem
from yiwang.channels.guards import public
from yiwang.feedback import selectors

PERIODS: list[tuple[str, str]] = [("", "全部"), ("year", "本年度"), ("30d", "近 30 天")]
COMMENTS_SHOWN = 3


def percent(value: float | None) -> str:
    """0.9653 → “96.5%”; nothing to divide → “—”."""
    if value is None:
        return "—"
    text = f"{value * 100:.1f}".rstrip("0").rstrip(".")
    return f"{text}%"


def _since(period: str, today: date) -> date | None:
    if period == "year":
        return today.replace(month=1, day=1)
    if period == "30d":
        return today - timedelta(days=30)
    return None


@public
@require_safe
def ratings_public(request: HttpRequest) -> HttpResponse:
    """好差评公示: per department, most rated first, with the formulas under the table."""
    period = request.GET.get("period", "")
    if period not in dict(PERIODS):
        period = ""
    today = timezone.localdate()
    since = _since(period, today)
    rows = []
    totals = {"ratings": 0, "good": 0, "bad_first": 0, "rectified": 0, "closed": 0, "on_time": 0}
    for row in selectors.public_figures(since=since):
        f = row.figures
        rows.append(
            {
                "department": row.department.name,
                "ratings": f.ratings,
                "good": f.good,
                "bad": f.bad,
                "good_rate": percent(f.good_rate),
                "rectified_rate": percent(f.rectified_rate),
                "requests": row.requests,
                "requests_closed": row.requests_closed,
                "on_time_rate": percent(row.on_time_rate),
            }
        )
        totals["ratings"] += f.ratings
        totals["good"] += f.good
        totals["bad_first"] += f.bad_first
        totals["rectified"] += f.rectified
        totals["closed"] += row.requests_closed
        totals["on_time"] += row.requests_on_time
    overall = {
        "ratings": totals["ratings"],
        "good_rate": percent(totals["good"] / totals["ratings"] if totals["ratings"] else None),
        "rectified_rate": percent(totals["rectified"] / totals["bad_first"] if totals["bad_first"] else None),
        "on_time_rate": percent(totals["on_time"] / totals["closed"] if totals["closed"] else None),
    }
    context = {
        "nav": "ratings",
        "rows": rows,
        "overall": overall,
        "periods": [{"value": v, "label": label, "selected": v == period} for v, label in PERIODS],
        "since": since,
        "today": today,
    }
    return render(request, "channels/ratings_public.html", context)


def item_ratings(item: ServiceItem) -> dict[str, Any]:
    """The item guide's 好差评 box: how many ratings, 好评率, the latest words (no names)."""
    figures = selectors.item_figures(item)
    comments = [
        {"level": r.get_level_display(), "level_value": r.level, "text": r.text, "at": r.created_at}
        for r in selectors.recent_comments(item=item, limit=COMMENTS_SHOWN)
    ]
    return {"count": figures.ratings, "good_rate": percent(figures.good_rate), "comments": comments}
