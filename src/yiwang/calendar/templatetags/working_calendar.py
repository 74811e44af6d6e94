"""Template filters over the working-day calendar, for pages that show deadlines."""

from __future__ import annotations

from datetime import date

from django import template

from yiwang.calendar.selectors import year_has_official_arrangement

register = template.Library()


@register.filter
def awaits_holiday_arrangement(day: date | None) -> bool:
    """`day` falls in a year without the State Council arrangement: it was counted with the
    statutory holidays only, and may move once the year's 调休 is published."""
    return day is not None and not year_has_official_arrangement(day.year)
