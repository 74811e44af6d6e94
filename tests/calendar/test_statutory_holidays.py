"""Statutory holidays computed by law (《全国年节及纪念日放假办法》, 2024 revision) for the years
chinese-calendar does not know, and the deadlines that count them.

How the expected dates were verified: statutory.py reads them from lunar-python; the literals below
were computed independently with Meeus, Astronomical Algorithms ch. 49 (new moons) and ch. 25 (the
sun's longitude), in Beijing time, by the rules that a lunar month starts on the day of its new moon
and that month N holds zhongqi N (正月 雨水 330°, 五月 夏至 90°, 八月 秋分 180°, 腊月 大寒 300°);
清明 is the day the sun reaches 15°. The same script reproduces chinese-calendar's 2025 and 2026.
Two results sit near midnight, Beijing time: the new moons of 春节 2027 (02-06 23:56) and 2030
(02-03 00:07); minutes still exceed the new-moon method's error of well under a minute. 清明 is
at least 90 minutes from midnight in every year below, against the sun formula's 15 or so.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import chinese_calendar
import pytest
import time_machine
from django.core import checks

from yiwang.calendar import selectors
from yiwang.calendar.index import (
    ARRANGEMENT_OVERRIDES_PER_YEAR,
    WorkingCalendar,
    official_years,
)
from yiwang.calendar.models import DayOverride
from yiwang.calendar.selectors import (
    add_working_days,
    calendar_coverage_warnings,
    is_working_day,
    working_days_between,
    year_has_official_arrangement,
)
from yiwang.calendar.statutory import RULES_FIRST_YEAR, statutory_holidays

NATIONAL = WorkingCalendar()


@pytest.fixture(autouse=True)
def fresh_process_calendar():
    # The process-wide calendar outlives a test's rolled-back transaction: never let one leak.
    selectors.calendar_invalidate()
    yield
    selectors.calendar_invalidate()


def named(year: int, name: str) -> list[date]:
    return [d for d, names in statutory_holidays(year).items() if name in names]


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


# --- The statutory days of a year -----------------------------------------------------------------


def test_spring_festival_2027_is_four_statutory_days_from_new_years_eve():
    # 腊月 of 丙午 has 29 days (初一 2027-01-08): 除夕 is 腊月廿九, 2027-02-05; 初一 2027-02-06.
    assert named(2027, "春节") == days(date(2027, 2, 5), date(2027, 2, 8))


def test_spring_festival_2030_is_four_statutory_days_from_new_years_eve():
    # 腊月 of 己酉 has 30 days (初一 2030-01-04): 除夕 is 腊月三十, 2030-02-02; 初一 2030-02-03.
    assert named(2030, "春节") == days(date(2030, 2, 2), date(2030, 2, 5))


def test_new_years_day_labour_day_and_national_day_are_fixed_dates():
    for year in (2027, 2030):
        assert named(year, "元旦") == [date(year, 1, 1)]
        assert named(year, "劳动节") == [date(year, 5, 1), date(year, 5, 2)]
        assert named(year, "国庆节") == days(date(year, 10, 1), date(year, 10, 3))


def test_qingming_is_the_day_of_the_solar_term():
    assert named(2027, "清明节") == [date(2027, 4, 5)]
    assert named(2028, "清明节") == [date(2028, 4, 4)]  # the sun reaches 15° on the 4th (14:03)
    assert named(2030, "清明节") == [date(2030, 4, 5)]


def test_dragon_boat_and_mid_autumn_follow_the_lunar_calendar():
    assert named(2027, "端午节") == [date(2027, 6, 9)]
    assert named(2027, "中秋节") == [date(2027, 9, 15)]
    assert named(2030, "端午节") == [date(2030, 6, 5)]
    assert named(2030, "中秋节") == [date(2030, 9, 12)]


def test_a_year_has_thirteen_statutory_days_unless_mid_autumn_falls_on_national_day():
    assert len(statutory_holidays(2027)) == len(statutory_holidays(2030)) == 13
    # 中秋 2028 is 10-03: one day, both names, twelve days.
    assert statutory_holidays(2028)[date(2028, 10, 3)] == "中秋节、国庆节"
    assert len(statutory_holidays(2028)) == 12


@pytest.mark.parametrize("year", range(RULES_FIRST_YEAR, official_years()[-1] + 1))
def test_computed_statutory_days_are_holidays_in_chinese_calendar_since_the_2025_revision(year):
    # Only from 2025: before the revision 春节 had 3 days without 除夕 and 劳动节 one.
    assert set(statutory_holidays(year)) <= set(chinese_calendar.holidays)


# --- Deadlines in years chinese-calendar does not know ---------------------------------------------


def test_ten_working_days_accepted_on_2026_12_21_do_not_count_new_years_day_2027():
    # 12-22..12-25, 12-28..12-31, [Fri 01-01 元旦], 01-04, 01-05.
    assert NATIONAL.add_working_days(date(2026, 12, 21), 10) == date(2027, 1, 5)
    assert not NATIONAL.is_working_day(date(2027, 1, 1))


def test_deadline_across_spring_festival_2030_skips_the_weekday_festival_days():
    # Mon 01-28: 01-29..02-01, [Sat 除夕 .. Tue 初三], Wed 02-06 … Wed 02-13.
    assert NATIONAL.add_working_days(date(2030, 1, 28), 5) == date(2030, 2, 6)
    assert NATIONAL.add_working_days(date(2030, 1, 28), 10) == date(2030, 2, 13)
    assert NATIONAL.working_days_between(date(2030, 2, 1), date(2030, 2, 6)) == 1


def test_every_statutory_weekday_of_the_computed_years_is_a_holiday():
    for year in NATIONAL.computed_years:
        assert not any(NATIONAL.is_working_day(d) for d in statutory_holidays(year))


def test_years_before_the_revision_without_data_stay_weekends_only():
    # 2000–2003 ran under other rules; nothing the law says today applies to them.
    assert NATIONAL.unknown_years == (2000, 2001, 2002, 2003)
    (dragon_boat,) = named(2003, "端午节")
    assert dragon_boat.weekday() < 5 and NATIONAL.is_working_day(dragon_boat)  # a holiday only since 2008
    assert NATIONAL.computed_years[0] == official_years()[-1] + 1


@pytest.mark.django_db
def test_overrides_win_over_computed_statutory_days_in_a_year_without_arrangement():
    # 2027 调休 as the State Council might set it: Mon 02-09 off (bridge), Sat 02-20 worked.
    assert add_working_days(date(2027, 2, 4), 2) == date(2027, 2, 10)
    DayOverride.objects.create(date=date(2027, 2, 9), is_working_day=False, name="春节调休")
    DayOverride.objects.create(date=date(2027, 2, 20), is_working_day=True, name="春节调休上班")
    assert add_working_days(date(2027, 2, 4), 2) == date(2027, 2, 11)
    assert is_working_day(date(2027, 2, 20))
    assert working_days_between(date(2027, 2, 19), date(2027, 2, 22)) == 2


# --- Whether a year's arrangement is known, and the warnings ----------------------------------------


def arrangement_2027(rows: int) -> list[DayOverride]:
    """`rows` 调休 rows for 2027: working weekends and closed weekdays after the statutory days."""
    start = date(2027, 2, 9)
    candidates = [d for d in days(start, start + timedelta(days=60)) if d not in statutory_holidays(2027)]
    return [DayOverride(date=d, is_working_day=d.weekday() >= 5, name="调休") for d in candidates[:rows]]


@pytest.mark.django_db
def test_a_year_has_an_official_arrangement_once_its_adjustments_are_entered():
    assert year_has_official_arrangement(official_years()[-1])
    assert not year_has_official_arrangement(2027)
    DayOverride.objects.bulk_create(arrangement_2027(ARRANGEMENT_OVERRIDES_PER_YEAR))
    selectors.calendar_invalidate()
    assert year_has_official_arrangement(2027)


@pytest.mark.django_db
def test_a_typhoon_closure_is_not_an_arrangement():
    DayOverride.objects.create(date=date(2027, 9, 16), is_working_day=False, name="台风停工")
    assert not year_has_official_arrangement(2027)


def test_coverage_warning_says_statutory_days_are_computed_but_the_adjustments_are_not_entered():
    year = official_years()[-1] + 1
    (warning, *_) = NATIONAL.coverage_warnings(today=date(year - 1, 12, 7))
    assert warning.startswith(
        f"{year} 年的法定节假日已依《全国年节及纪念日放假办法》推算，但国务院的调休安排"
    )
    assert "尚未录入" in warning and "工作日调整" in warning
    assert "按周末" not in warning


@pytest.mark.django_db
def test_coverage_check_runs_only_for_commands_that_name_a_database_so_make_run_prints_it_once():
    # `make run` = migrate (checks with its database) then load_demo (checks without): one print.
    with time_machine.travel(datetime(official_years()[-1], 12, 7, 2, tzinfo=UTC), tick=False):
        warnings = calendar_coverage_warnings()
        without = {m.id for m in checks.run_checks()}
        with_database = [m for m in checks.run_checks(databases=["default"]) if m.id == "calendar.W001"]
    assert warnings and "calendar.W001" not in without
    assert [m.msg for m in with_database] == warnings
