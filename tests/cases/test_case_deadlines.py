"""Legal working-day deadlines: §32 five-day rule, suspension (§45) and extension (§42) across holidays,
即办件, and the yellow/red warnings — all on the 2025 National Day calendar (10-01…10-08 off,
Sunday 09-28 and Saturday 10-11 working)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from tests.factories import make_item
from yiwang.catalog import codes

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def on(day: str, hour: int = 10):
    return time_machine.travel(dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI), tick=False)


def submit(world) -> str:
    return world.apply().json()["cases"][0]["number"]


def deadlines(world, case: str) -> dict:
    return world.officer.get(f"/cases/{case}").json()["deadlines"]


def test_acceptance_before_national_day_is_due_after_the_holiday(world):
    with on("2025-09-26"):
        case = submit(world)
        world.officer.act(case, "accept")
        figures = deadlines(world, case)
    # 10 working days after Friday 09-26: 09-28 (Sun, 调休), 09-29, 09-30, 10-09 … 10-11 (Sat, 调休) … 10-16
    assert figures["accepted_on"] == "2025-09-26"
    assert figures["promised_due"] == "2025-10-16"
    assert figures["statutory_due"] == "2025-10-30"


def test_supplement_notice_on_the_fifth_working_day_is_still_allowed(world):
    with on("2025-09-26"):
        case = submit(world)
    assert deadlines(world, case)["supplement_deadline"] == "2025-10-10"
    with on("2025-10-10", hour=16):
        response = world.officer.act(
            case,
            "request_supplement",
            items=[{"material": world.item.materials.first().id, "reason": "复印件不清晰"}],
        )
    assert response.status_code == 200


def test_supplement_notice_after_five_working_days_counts_as_accepted_on_receipt(world):
    with on("2025-09-26"):
        case = submit(world)
    with on("2025-10-13"):
        response = world.officer.act(
            case,
            "request_supplement",
            items=[{"material": world.item.materials.first().id, "reason": "复印件不清晰"}],
        )
        assert response.status_code == 409
        assert "视为受理" in response.json()["message"]
        after = world.officer.get(f"/cases/{case}").json()
    assert after["status"]["code"] == "accepted"
    assert after["deadlines"]["accepted_on"] == "2025-09-26"
    assert after["deadlines"]["deemed_accepted"] is True
    assert after["deadlines"]["promised_due"] == "2025-10-16"
    assert after["events"][-1]["action"]["code"] == "deemed_accept"


def test_late_acceptance_by_the_officer_is_dated_on_receipt(world):
    with on("2025-09-26"):
        case = submit(world)
    with on("2025-10-14"):
        response = world.officer.act(case, "accept")
    assert response.status_code == 200
    assert response.json()["deadlines"]["accepted_on"] == "2025-09-26"


def test_sweep_deems_overdue_cases_accepted(world):
    with on("2025-09-26"):
        waiting = submit(world)
    with on("2025-10-10"):
        fresh = submit(world)
    with on("2025-10-13"):
        call_command("sweep_cases")
    assert world.officer.get(f"/cases/{waiting}").json()["status"]["code"] == "accepted"
    assert world.officer.get(f"/cases/{fresh}").json()["status"]["code"] == "pre_review"


def test_suspension_across_the_holiday_adds_only_working_days(world):
    with on("2025-09-22"):
        case = submit(world)
        world.officer.act(case, "accept")
        world.officer.act(case, "start_review")
    assert deadlines(world, case)["promised_due"] == "2025-10-11"
    with on("2025-09-29"):
        world.officer.act(case, "suspend", kind="expert_review", reason="组织专家评审")
    with on("2025-10-10"):
        resumed = world.officer.act(case, "resume", reason="评审通过").json()
    # stopped 09-30, 10-09, 10-10 (the holiday itself does not count): three working days added
    assert resumed["suspensions"][0]["working_days"] == 3
    assert resumed["deadlines"]["suspended_days"] == 3
    assert resumed["deadlines"]["promised_due"] == "2025-10-15"


def test_extension_adds_the_statutory_extension_across_holidays(world):
    with on("2025-09-22"):
        case = submit(world)
        world.officer.act(case, "accept")
        world.officer.act(case, "start_review")
        extended = world.head.act(case, "extend", reason="需现场核查").json()
    assert extended["deadlines"]["promised_due"] == "2025-10-24"  # 20 working days after 09-22
    assert extended["deadlines"]["statutory_due"] == "2025-11-07"  # 30 working days after 09-22


def test_extension_is_granted_once(world):
    case = submit(world)
    world.officer.act(case, "accept")
    world.head.act(case, "extend", reason="需现场核查")
    again = world.head.act(case, "extend", reason="再次延长")
    assert again.status_code == 409
    assert again.json()["message"] == "办理期限只能延长一次，该办件已延长过"


def test_extension_needs_a_department_head(world):
    case = submit(world)
    world.officer.act(case, "accept")
    response = world.officer.act(case, "extend", reason="需现场核查")
    assert response.status_code == 403
    assert response.json()["code"] == "action_forbidden"


@pytest.fixture
def instant_world(world):
    world.item = make_item(
        department=world.department,
        name="个体工商户名称变更",
        case_type=codes.CaseType.INSTANT,
        promised_limit_days=0,
        statutory_limit_days=20,
    )
    return world


def test_instant_item_is_due_the_same_working_day(instant_world):
    with on("2025-09-30"):
        case = submit(instant_world)
        figures = instant_world.officer.act(case, "accept").json()["deadlines"]
    assert figures["promised_due"] == "2025-09-30"


def test_instant_item_accepted_on_a_holiday_is_due_the_next_working_day(instant_world):
    with on("2025-10-03"):
        case = submit(instant_world)
        figures = instant_world.officer.act(case, "accept").json()["deadlines"]
    assert figures["promised_due"] == "2025-10-09"


def test_warning_turns_yellow_near_the_due_date_and_red_after_it(world):
    with on("2025-11-03"):  # Monday; 10 working days → due Monday 11-17, yellow from 11-13
        case = submit(world)
        world.officer.act(case, "accept")
        assert deadlines(world, case)["warning"] == "normal"
    with on("2025-11-13"):
        assert deadlines(world, case)["warning"] == "yellow"
        assert deadlines(world, case)["working_days_left"] == 2
        assert [c["number"] for c in world.officer.get("/cases", {"warning": "yellow"}).json()["items"]] == [
            case
        ]
    with on("2025-11-18"):
        assert deadlines(world, case)["warning"] == "red"
        assert deadlines(world, case)["working_days_left"] == -1
        assert [c["number"] for c in world.officer.get("/cases", {"warning": "red"}).json()["items"]] == [
            case
        ]
        assert world.officer.get("/cases", {"warning": "yellow"}).json()["count"] == 0


def test_a_step_over_its_limit_is_yellow(world):
    with on("2025-11-03"):
        case = submit(world)
        world.officer.act(case, "accept")
    # the review step of the test item has a 3-working-day limit: over it on 11-07
    with on("2025-11-07"):
        assert deadlines(world, case)["warning"] == "yellow"


def test_working_days_used_exclude_suspension(world):
    with on("2025-11-03"):
        case = submit(world)
        world.officer.act(case, "accept")
        world.officer.act(case, "start_review")
    with on("2025-11-05"):
        world.officer.act(case, "suspend", kind="testing", reason="送检")
    with on("2025-11-07"):
        world.officer.act(case, "resume", reason="检测合格")
    with on("2025-11-10"):
        figures = deadlines(world, case)
    assert figures["suspended_days"] == 2
    assert figures["working_days_used"] == 3  # 11-04 … 11-10 is 5 working days, 2 of them suspended
