"""法定节假日 (statutory public holidays) of any year, as fixed by 《全国年节及纪念日放假办法》
(revised by 国务院令第795号, in force 2025-01-01), article 2: 元旦 1 day (1/1); 春节 4 days (除夕 and
正月初一–初三); 清明节 1 day (the solar term); 劳动节 2 days (5/1–5/2); 端午节 1 day (五月初五);
中秋节 1 day (八月十五); 国庆节 3 days (10/1–10/3).

Only the days the law names. The State Council's yearly arrangement — make-up working weekends,
bridge days, and the 补假 article 6 gives when a holiday falls on a weekend — is published around
November of the year before and cannot be computed; it is entered as `DayOverride` rows.

Lunar dates and 清明 come from lunar-python (6tail's lunar: 寿星天文历 astronomy, Beijing time).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from functools import cache
from types import MappingProxyType
from typing import Any

from lunar_python import Lunar

# The first year under the revised rules; earlier years had others (e.g. 春节 3 days without 除夕).
RULES_FIRST_YEAR = 2025


@cache  # a pure function of the year, and the astronomy behind it is slow
def statutory_holidays(year: int) -> Mapping[date, str]:
    """Date → festival name of `year`'s statutory holidays under the rules in force since 2025.

    Computed for any year by those rules; whether they applied in a year before RULES_FIRST_YEAR is
    the caller's question.
    """
    new_year = Lunar.fromYmd(year, 1, 1)  # 正月初一 of the lunar year that begins in `year`
    spring = _solar(new_year.getSolar())
    days: dict[date, str] = {}
    named = [
        (date(year, 1, 1), "元旦"),
        # 除夕 is the day before 初一: the last day of the 12th month, whether it has 29 or 30 days.
        *((spring + timedelta(days=i), "春节") for i in range(-1, 3)),
        (_solar(new_year.getJieQiTable()["清明"]), "清明节"),
        (date(year, 5, 1), "劳动节"),
        (date(year, 5, 2), "劳动节"),
        # A positive month is the ordinary month, never its leap twin: the festival keeps to it.
        (_solar(Lunar.fromYmd(year, 5, 5).getSolar()), "端午节"),
        (_solar(Lunar.fromYmd(year, 8, 15).getSolar()), "中秋节"),
        *((date(year, 10, 1 + i), "国庆节") for i in range(3)),
    ]
    for day, name in named:
        # 中秋 can fall on 10/1–10/3 (2028-10-03): one day, both names.
        days[day] = f"{days[day]}、{name}" if day in days else name
    return MappingProxyType(dict(sorted(days.items())))


def _solar(solar: Any) -> date:
    """lunar-python's Solar (untyped) as a date."""
    return date(solar.getYear(), solar.getMonth(), solar.getDay())
