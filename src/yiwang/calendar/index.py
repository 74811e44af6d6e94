"""工作日索引 (working-day index): every day of a fixed span precomputed, so deadline arithmetic
is a couple of array lookups instead of a day-by-day walk.

Pure Python, no database: `selectors.py` feeds it the `DayOverride` rows and caches it per process.
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping
from datetime import date, datetime
from types import MappingProxyType

import chinese_calendar

from yiwang.calendar.statutory import RULES_FIRST_YEAR, statutory_holidays

SPAN_FIRST = date(2000, 1, 1)
SPAN_LAST = date(2060, 12, 31)

# A year's State Council arrangement counts as entered by hand once this many of its overrides
# differ from a plain Mon–Fri week (a weekday closed or a weekend worked). The 调休 of each year
# chinese-calendar knows (2004–2026), beyond today's statutory days, is 10–26 such rows (2025: 11,
# 2026: 15) — more if the statutory days are typed in too — while local closures (typhoons, snow)
# come one or two at a time; 8 leaves room for a lighter arrangement.
ARRANGEMENT_OVERRIDES_PER_YEAR = 8
WARNING_HORIZON_YEARS = 2


def official_years() -> range:
    """Years for which chinese-calendar has the State Council arrangement."""
    keys = chinese_calendar.holidays.keys()
    return range(min(keys).year, max(keys).year + 1)


class WorkingCalendar:
    """工作日历 over [first, last]: Mon–Fri, minus statutory holidays, plus 调休 working weekends
    (from chinese-calendar), with `overrides` (date → is working day) winning over both.

    Years chinese-calendar does not know, from 2025 on, use Mon–Fri minus the statutory holidays
    computed by law (statutory.py) + overrides: they are `computed_years`, whose 调休 only the
    overrides can bring. Earlier unknown years (other rules then) are weekends + overrides only:
    `unknown_years`.

    Counting convention (行政许可法 §82, 民法典 §201): the start day is never counted.
    """

    __slots__ = (
        "first",
        "last",
        "known_years",
        "overrides",
        "_base",
        "_size",
        "_working",
        "_cumulative",
        "_ordinals",
    )

    def __init__(
        self,
        *,
        overrides: Mapping[date, bool] | None = None,
        first: date = SPAN_FIRST,
        last: date = SPAN_LAST,
    ) -> None:
        if last < first:
            raise ValueError(f"工作日历范围无效：{first} 晚于 {last}")
        self.first, self.last = first, last
        self.known_years = official_years()
        self.overrides: Mapping[date, bool] = MappingProxyType(dict(overrides or {}))
        self._base = first.toordinal()
        self._size = last.toordinal() - self._base + 1
        # _working[i]: day i is a working day; _cumulative[i]: working days in [first, day i];
        # _ordinals[k]: the ordinal of the (k+1)-th working day of the span.
        self._working = bytearray(self._size)
        self._cumulative = array("i", [0]) * self._size
        self._ordinals = array("i")
        holidays, workdays, known = chinese_calendar.holidays, chinese_calendar.workdays, self.known_years
        computed = {day for year in self.computed_years for day in statutory_holidays(year)}
        count = 0
        for i in range(self._size):
            day = date.fromordinal(self._base + i)
            working = self.overrides.get(day)
            if working is None:
                weekday = day.weekday() < 5
                if day.year in known:
                    # Same rule as chinese_calendar.is_workday, which rescans its tables on every call.
                    working = day in workdays or (weekday and day not in holidays)
                else:
                    working = weekday and day not in computed
            if working:
                self._working[i] = 1
                self._ordinals.append(self._base + i)
                count += 1
            self._cumulative[i] = count

    @property
    def computed_years(self) -> tuple[int, ...]:
        """Years of the span without chinese-calendar data whose statutory holidays are computed."""
        return tuple(y for y in self._years_without_data() if y >= RULES_FIRST_YEAR)

    @property
    def unknown_years(self) -> tuple[int, ...]:
        """Years of the span counted as weekends + overrides only (before 2025, no holiday data)."""
        return tuple(y for y in self._years_without_data() if y < RULES_FIRST_YEAR)

    def has_official_arrangement(self, year: int) -> bool:
        """True when chinese-calendar knows `year` or the overrides hold its State Council arrangement."""
        return year_has_official_arrangement(year, known_years=self.known_years, overrides=self.overrides)

    def is_working_day(self, day: date) -> bool:
        return bool(self._working[self._offset(day)])

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        return self._nth(self._cumulative[self._offset(day)], day, 1)

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start` (start itself never counts, working day or not).

        n = 0 is the 即办件 case: `start` if it is a working day, else the next working day.
        n < 0 counts back: the |n|-th working day before `start`.
        """
        i = self._offset(start)
        if n > 0:
            return self._nth(self._cumulative[i] + n - 1, start, n)
        if n == 0:
            return start if self._working[i] else self._nth(self._cumulative[i], start, n)
        return self._nth(self._cumulative[i] - self._working[i] + n, start, n)

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in (a, b]: `a` excluded, `b` included; 0 when b ≤ a.

        So `working_days_between(d, add_working_days(d, n)) == n` for every n ≥ 1.
        """
        i, j = self._offset(a), self._offset(b)
        return self._cumulative[j] - self._cumulative[i] if j > i else 0

    def coverage_warnings(self, *, today: date) -> list[str]:
        """Chinese warnings for years from `today` to `today` + 2 without the State Council arrangement."""
        return coverage_warnings(known_years=self.known_years, overrides=self.overrides, today=today)

    def _years_without_data(self) -> list[int]:
        return [y for y in range(self.first.year, self.last.year + 1) if y not in self.known_years]

    def _offset(self, day: date) -> int:
        if isinstance(day, datetime):
            # An aware datetime's .date() may be the wrong local day; callers convert with localdate().
            raise TypeError("工作日计算需要本地日期（date），请先用 timezone.localdate() 转换")
        i = day.toordinal() - self._base
        if not 0 <= i < self._size:
            raise ValueError(f"日期 {day} 超出工作日历范围（{self.first} 至 {self.last}）")
        return i

    def _nth(self, k: int, start: date, n: int) -> date:
        if not 0 <= k < len(self._ordinals):
            raise ValueError(f"从 {start} 起第 {n} 个工作日超出工作日历范围（{self.first} 至 {self.last}）")
        return date.fromordinal(self._ordinals[k])


def year_has_official_arrangement(year: int, *, known_years: range, overrides: Mapping[date, bool]) -> bool:
    """chinese-calendar knows `year`, or its overrides hold the State Council arrangement (see
    ARRANGEMENT_OVERRIDES_PER_YEAR)."""
    if year in known_years:
        return True
    # A closed weekday or a worked weekend: what an arrangement's 调休 rows look like.
    changes = sum(1 for d, working in overrides.items() if d.year == year and working == (d.weekday() >= 5))
    return changes >= ARRANGEMENT_OVERRIDES_PER_YEAR


def coverage_warnings(*, known_years: range, overrides: Mapping[date, bool], today: date) -> list[str]:
    """One warning per year near `today` without the State Council arrangement: chinese-calendar
    does not know it and it has not been entered as overrides."""
    warnings = []
    for year in range(today.year, today.year + WARNING_HORIZON_YEARS + 1):
        if year_has_official_arrangement(year, known_years=known_years, overrides=overrides):
            continue
        covered = (
            f"只覆盖到 {known_years[-1]} 年" if year > known_years[-1] else f"只覆盖 {known_years[0]} 年起"
        )
        source = f"chinese-calendar {chinese_calendar.__version__} {covered}"
        if year >= RULES_FIRST_YEAR:
            text = (
                f"{year} 年的法定节假日已依《全国年节及纪念日放假办法》推算，但国务院的调休安排"
                f"（周末上班、连休、补假）尚未录入（{source}），请在“工作日调整”中录入"
            )
        else:  # the rules of that time are not computed: weekends only
            text = (
                f"{year} 年的法定节假日尚未收录（{source}），该年按周末 + 本地调整计算，"
                "请在“工作日调整”中录入国务院公布的安排"
            )
        warnings.append(text)
    return warnings
