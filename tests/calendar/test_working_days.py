"""Working-day arithmetic. Every expected date below was read off chinese-calendar 1.11's tables
(2025: 春节 01-28..02-04, 调休 01-26 Sun and 02-08 Sat; 国庆+中秋 10-01..10-08, 调休 09-28 Sun and
10-11 Sat. 2024: 国庆 10-01..10-07, 调休 09-29 Sun and 10-12 Sat). Years past its data: see
test_statutory_holidays.py."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from io import StringIO

import chinese_calendar
import pytest
from django.core.management import call_command
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from yiwang.calendar import selectors
from yiwang.calendar.checks import check_calendar_coverage
from yiwang.calendar.index import (
    ARRANGEMENT_OVERRIDES_PER_YEAR,
    SPAN_FIRST,
    SPAN_LAST,
    WorkingCalendar,
    official_years,
)
from yiwang.calendar.models import DayOverride
from yiwang.calendar.selectors import (
    add_working_days,
    calendar_coverage_warnings,
    is_working_day,
    working_days_between,
)
from yiwang.calendar.statutory import RULES_FIRST_YEAR, statutory_holidays

NATIONAL = WorkingCalendar()
LAST_KNOWN_YEAR = official_years()[-1]


@pytest.fixture(autouse=True)
def fresh_process_calendar():
    # The process-wide calendar outlives a test's rolled-back transaction: never let one leak.
    selectors.calendar_invalidate()
    yield
    selectors.calendar_invalidate()


# --- National calendar (no overrides, no database) ----------------------------------------------


def test_five_working_days_before_spring_festival_count_the_working_sunday():
    # Fri 01-24 → Sun 01-26 (调休), Mon 01-27, [01-28..02-04 holiday], 02-05, 02-06, 02-07.
    assert NATIONAL.add_working_days(date(2025, 1, 24), 1) == date(2025, 1, 26)
    assert NATIONAL.add_working_days(date(2025, 1, 24), 5) == date(2025, 2, 7)


def test_working_saturday_after_spring_festival_counts():
    # 02-05, 02-06, 02-07, Sat 02-08 (调休).
    assert NATIONAL.add_working_days(date(2025, 2, 4), 4) == date(2025, 2, 8)
    assert not NATIONAL.is_working_day(date(2025, 2, 9))


def test_five_working_days_from_2025_09_29_land_after_national_day():
    # 09-30, [10-01..10-08], 10-09, 10-10, Sat 10-11 (调休), Mon 10-13.
    assert NATIONAL.add_working_days(date(2025, 9, 29), 5) == date(2025, 10, 13)


def test_five_working_days_from_2024_09_27_land_after_national_day():
    # Sun 09-29 (调休), 09-30, [10-01..10-07], 10-08, 10-09, 10-10.
    assert NATIONAL.add_working_days(date(2024, 9, 27), 5) == date(2024, 10, 10)
    assert NATIONAL.is_working_day(date(2024, 10, 12))  # Saturday 调休


def test_zero_working_days_on_a_working_day_is_that_day():
    assert NATIONAL.add_working_days(date(2025, 9, 28), 0) == date(2025, 9, 28)  # working Sunday


def test_zero_working_days_on_a_holiday_is_the_next_working_day():
    assert NATIONAL.add_working_days(date(2025, 10, 1), 0) == date(2025, 10, 9)


def test_accepted_on_a_holiday_the_first_day_is_the_next_working_day():
    assert NATIONAL.add_working_days(date(2025, 10, 3), 1) == date(2025, 10, 9)
    assert NATIONAL.next_working_day(date(2025, 1, 27)) == date(2025, 2, 5)


def test_negative_working_days_count_back():
    assert NATIONAL.add_working_days(date(2025, 10, 9), -1) == date(2025, 9, 30)
    assert NATIONAL.add_working_days(date(2025, 10, 5), -3) == date(2025, 9, 28)


def test_working_days_between_excludes_the_start_and_skips_the_holiday():
    assert NATIONAL.working_days_between(date(2025, 9, 30), date(2025, 10, 10)) == 2
    assert NATIONAL.working_days_between(date(2025, 1, 24), date(2025, 2, 7)) == 5
    assert NATIONAL.working_days_between(date(2025, 10, 1), date(2025, 10, 8)) == 0


def test_working_days_between_is_zero_when_the_end_is_not_after_the_start():
    assert NATIONAL.working_days_between(date(2025, 10, 10), date(2025, 9, 30)) == 0
    assert NATIONAL.working_days_between(date(2025, 10, 10), date(2025, 10, 10)) == 0


def test_dates_outside_the_span_are_refused():
    with pytest.raises(ValueError, match="超出工作日历范围"):
        NATIONAL.add_working_days(SPAN_FIRST - timedelta(days=1), 1)
    with pytest.raises(ValueError, match="超出工作日历范围"):
        NATIONAL.add_working_days(SPAN_LAST - timedelta(days=1), 5)


def test_datetimes_are_refused_so_the_local_day_is_explicit():
    with pytest.raises(TypeError):
        NATIONAL.is_working_day(datetime(2025, 10, 1, 12))


def test_years_past_the_data_count_weekdays_minus_the_statutory_holidays():
    year = LAST_KNOWN_YEAR + 1
    assert year in NATIONAL.computed_years and year not in NATIONAL.unknown_years
    assert 2003 in NATIONAL.unknown_years and 2004 not in NATIONAL.unknown_years
    weekdays = sum(1 for d in range(1, 366 + 1) if _day(year, d) and _day(year, d).weekday() < 5)
    closed = sum(1 for d in statutory_holidays(year) if d.weekday() < 5)
    assert NATIONAL.working_days_between(date(year - 1, 12, 31), date(year, 12, 31)) == weekdays - closed
    assert not NATIONAL.is_working_day(date(year, 1, 1))  # 元旦, whatever the weekday


def _day(year: int, day_of_year: int) -> date | None:
    d = date(year, 1, 1) + timedelta(days=day_of_year - 1)
    return d if d.year == year else None


def test_coverage_warns_for_years_without_arrangement_near_today_until_their_adjustments_are_entered():
    today = date(LAST_KNOWN_YEAR, 11, 23)
    warnings = NATIONAL.coverage_warnings(today=today)
    assert [w[:6] for w in warnings] == [f"{LAST_KNOWN_YEAR + 1} 年", f"{LAST_KNOWN_YEAR + 2} 年"]
    assert f"只覆盖到 {LAST_KNOWN_YEAR} 年" in warnings[0] and "工作日调整" in warnings[0]

    # The 调休 rows alone: weekends worked and weekdays closed beyond the statutory days.
    next_year = LAST_KNOWN_YEAR + 1
    spring = [date(next_year, 2, 1) + timedelta(days=i) for i in range(30)]
    adjustments = {d: d.weekday() >= 5 for d in spring if d not in statutory_holidays(next_year)}
    entered = WorkingCalendar(overrides=dict(list(adjustments.items())[:ARRANGEMENT_OVERRIDES_PER_YEAR]))
    assert [w[:6] for w in entered.coverage_warnings(today=today)] == [f"{LAST_KNOWN_YEAR + 2} 年"]

    # The old way, every closed weekday typed in statutory days included, counts as well.
    closures = [d for d in spring if d.weekday() < 5][:ARRANGEMENT_OVERRIDES_PER_YEAR]
    typed_in = WorkingCalendar(overrides=dict.fromkeys(closures, False))
    assert [w[:6] for w in typed_in.coverage_warnings(today=today)] == [f"{LAST_KNOWN_YEAR + 2} 年"]

    one_typhoon = WorkingCalendar(overrides={closures[0]: False})
    assert len(one_typhoon.coverage_warnings(today=today)) == 2


def test_no_coverage_warning_for_years_chinese_calendar_knows():
    assert NATIONAL.coverage_warnings(today=date(LAST_KNOWN_YEAR - 3, 1, 1)) == []


def _reference_add(start: date, n: int) -> date:
    """Day-by-day walk, the slow definition the index must agree with."""

    def working(d: date) -> bool:
        if d.year in official_years():
            return chinese_calendar.is_workday(d)
        return d.weekday() < 5 and (d.year < RULES_FIRST_YEAR or d not in statutory_holidays(d.year))

    if n == 0:
        d = start
        while not working(d):
            d += timedelta(days=1)
        return d
    d, found = start, 0
    while found < n:
        d += timedelta(days=1)
        found += working(d)
    return d


@given(
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 1, 31)),
    n=st.integers(min_value=0, max_value=200),
)
def test_property_add_then_between_round_trips_and_lands_on_a_working_day(start, n):
    due = NATIONAL.add_working_days(start, n)
    assert NATIONAL.is_working_day(due)
    assert due == _reference_add(start, n)
    if n >= 1:
        assert NATIONAL.working_days_between(start, due) == n
        assert NATIONAL.working_days_between(start, due - timedelta(days=1)) == n - 1
    if start.year in official_years() and due.year in official_years() and NATIONAL.is_working_day(start):
        # An independent implementation (same convention when the start is a working day).
        assert due == chinese_calendar.find_workday(n, start)


# --- Process-wide calendar with DayOverride rows --------------------------------------------------


@pytest.mark.django_db
def test_module_functions_follow_the_national_calendar_without_overrides():
    assert add_working_days(date(2025, 9, 29), 5) == date(2025, 10, 13)
    assert working_days_between(date(2025, 9, 30), date(2025, 10, 10)) == 2
    assert is_working_day(date(2025, 9, 28))


@pytest.mark.django_db
def test_typhoon_closure_shifts_a_deadline_by_one_day_and_removing_it_shifts_it_back():
    # Fri 09-12 + 5: 09-15, 09-16, 09-17, 09-18, 09-19 — no holiday in between.
    assert add_working_days(date(2025, 9, 12), 5) == date(2025, 9, 19)
    closure = DayOverride.objects.create(date=date(2025, 9, 16), is_working_day=False, name="台风停工")
    assert not is_working_day(date(2025, 9, 16))
    assert add_working_days(date(2025, 9, 12), 5) == date(2025, 9, 22)
    closure.delete()
    assert add_working_days(date(2025, 9, 12), 5) == date(2025, 9, 19)


@pytest.mark.django_db
def test_override_making_a_saturday_a_working_day_counts_it():
    assert add_working_days(date(2025, 6, 13), 1) == date(2025, 6, 16)
    DayOverride.objects.create(date=date(2025, 6, 14), is_working_day=True, name="防汛集中办公")
    assert is_working_day(date(2025, 6, 14))
    assert add_working_days(date(2025, 6, 13), 1) == date(2025, 6, 14)
    assert working_days_between(date(2025, 6, 13), date(2025, 6, 16)) == 2


@pytest.mark.django_db
def test_other_processes_pick_up_a_change_at_the_next_token_check(monkeypatch):
    assert is_working_day(date(2025, 9, 16))
    # Another process writes: no signal here, only the table changes.
    DayOverride.objects.bulk_create(
        [DayOverride(date=date(2025, 9, 16), is_working_day=False, name="台风停工")]
    )
    assert is_working_day(date(2025, 9, 16))  # still within RECHECK_SECONDS
    monkeypatch.setattr(selectors._calendar, "_next_check", 0.0)  # RECHECK_SECONDS later
    assert not is_working_day(date(2025, 9, 16))


@pytest.mark.django_db
def test_coverage_warnings_clear_once_the_year_is_entered_as_overrides():
    today = date(LAST_KNOWN_YEAR, 11, 23)
    assert len(calendar_coverage_warnings(today=today)) == 2
    start = date(LAST_KNOWN_YEAR + 1, 2, 1)
    weekdays = [d for d in (start + timedelta(days=i) for i in range(30)) if d.weekday() < 5]
    DayOverride.objects.bulk_create(
        DayOverride(date=d, is_working_day=False, name="春节")
        for d in weekdays[:ARRANGEMENT_OVERRIDES_PER_YEAR]
    )
    selectors.calendar_invalidate()
    assert [w[:6] for w in calendar_coverage_warnings(today=today)] == [f"{LAST_KNOWN_YEAR + 2} 年"]


@pytest.mark.django_db
def test_system_check_reports_each_coverage_warning_as_calendar_w001():
    messages = check_calendar_coverage(databases=["default"])
    assert [m.msg for m in messages] == calendar_coverage_warnings()
    assert {m.id for m in messages} <= {"calendar.W001"}


@pytest.mark.django_db
def test_calendar_check_command_prints_span_known_years_and_warnings():
    out = StringIO()
    call_command("calendar_check", stdout=out)
    text = out.getvalue()
    assert f"{SPAN_FIRST} 至 {SPAN_LAST}" in text
    assert f"{official_years()[0]}–{LAST_KNOWN_YEAR} 年" in text
    for warning in calendar_coverage_warnings():
        assert warning in text


@pytest.mark.django_db
def test_admin_override_list_shows_the_coverage_warnings_at_the_top(admin_client):
    DayOverride.objects.create(date=date(2025, 9, 16), is_working_day=False, name="台风停工")
    response = admin_client.get(reverse("admin:calendar_dayoverride_changelist"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "台风停工" in page and "星期二" in page
    for warning in calendar_coverage_warnings():
        assert warning in page
