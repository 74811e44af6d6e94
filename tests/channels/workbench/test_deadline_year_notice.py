"""The case page says when a due date falls in a year whose State Council holiday arrangement is not
known yet (chinese-calendar 1.11 stops at 2026): counted with the statutory holidays only."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.cases.helpers import ApiUser
from yiwang.calendar import selectors
from yiwang.calendar.index import ARRANGEMENT_OVERRIDES_PER_YEAR
from yiwang.calendar.models import DayOverride
from yiwang.cases.actions import dispatch
from yiwang.cases.models import Case

pytestmark = pytest.mark.django_db

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
NOTICE = "该日期所在年度（2027 年）国务院节假日安排尚未公布，已按法定节假日计算，调休公布后可能变动"


@pytest.fixture(autouse=True)
def fresh_process_calendar():
    # Overrides made here must not outlive the test in the process-wide calendar.
    selectors.calendar_invalidate()
    yield
    selectors.calendar_invalidate()


def at(day: str) -> time_machine.travel:
    return time_machine.travel(
        dt.datetime.fromisoformat(f"{day}T10:00:00").replace(tzinfo=SHANGHAI), tick=False
    )


def accepted_on(client, world, day: str) -> Case:
    """A citizen applies online and the officer accepts it on `day` (10 promised, 20 statutory days)."""
    with at(day):
        citizen = ApiUser(client, world.citizen.user)  # a token of that day: the world's has expired
        response = world.apply(citizen)
        assert response.status_code == 201, response.content
        number = response.json()["cases"][0]["number"]
        return dispatch.case_act(actor=world.officer.user, number=number, action="accept", body={})


def case_page(client, world, case: Case) -> str:
    with at("2026-12-22"):
        client.force_login(world.officer.user)  # a session of that day: staff sessions expire
        return client.get(reverse("workbench:case", args=[case.number])).content.decode()


def test_due_date_in_a_year_without_arrangement_carries_the_notice_once(client, world):
    case = accepted_on(client, world, "2026-12-21")
    # 10 working days without 元旦 (Fri 2027-01-01); the statutory due is in 2027 too: one notice.
    assert case.promised_due == dt.date(2027, 1, 5) and case.statutory_due.year == 2027
    page = case_page(client, world, case)
    assert "2027-01-05" in page
    assert page.count(NOTICE) == 1


def test_statutory_due_alone_in_the_next_year_carries_the_notice(client, world):
    case = accepted_on(client, world, "2026-12-07")
    assert case.promised_due.year == 2026 and case.statutory_due.year == 2027
    page = case_page(client, world, case)
    assert page.count(NOTICE) == 1
    assert page.index(NOTICE) > page.index("法定办结日期")


def test_due_date_in_a_year_chinese_calendar_knows_has_no_notice(client, world):
    case = accepted_on(client, world, "2025-06-20")
    page = case_page(client, world, case)
    assert "2025-07-04" in page and "国务院节假日安排尚未公布" not in page


def test_notice_goes_once_the_years_adjustments_are_entered(client, world):
    case = accepted_on(client, world, "2026-12-21")
    # Weekends worked and weekdays closed in March 2027, none a statutory day: the 调休 rows.
    march = [dt.date(2027, 3, 1) + dt.timedelta(days=i) for i in range(ARRANGEMENT_OVERRIDES_PER_YEAR)]
    for day in march:
        DayOverride.objects.create(date=day, is_working_day=day.weekday() >= 5, name="调休")
    page = case_page(client, world, case)
    assert "2027-01-05" in page and "国务院节假日安排尚未公布" not in page
