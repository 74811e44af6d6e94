"""临期预警: the daily scan warns officers of yellow and red cases and sends the head one summary — once,
however often it runs, and only from nine on working days."""

from __future__ import annotations

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from yiwang.cases.deadline_scan import deadline_scan
from yiwang.notifications.models import Message, MessageKind

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: str, hour: int = 9, minute: int = 30) -> datetime:
    y, m, d = map(int, day.split("-"))
    return datetime(y, m, d, hour, minute, tzinfo=SHANGHAI)


def accepted_case(world) -> str:
    """Accepted on Monday 2026-03-02: 10 working days promised, due 2026-03-16, yellow from 03-12."""
    number = world.apply().json()["cases"][0]["number"]
    response = world.officer.act(number, "accept")
    assert response.json()["deadlines"]["promised_due"] == "2026-03-16", response.content
    return number


@pytest.mark.django_db
def test_a_case_near_its_due_date_warns_its_departments_officers_once(world):
    number = accepted_case(world)
    with time_machine.travel(at("2026-03-11")):
        assert deadline_scan().messages == 0  # not yellow yet
    with time_machine.travel(at("2026-03-12")):
        first = deadline_scan()
        again = deadline_scan()
    assert (first.yellow, first.red) == (1, 0)
    yellow = Message.objects.filter(kind=MessageKind.DEADLINE_YELLOW, subject=number)
    # The officer and the head (who is also an officer); not the other department's officer.
    assert {m.recipient for m in yellow} == {world.officer.user, world.head.user}
    assert yellow.first().link == f"/workbench/cases/{number}/"
    assert again.messages == 0


@pytest.mark.django_db
def test_an_overdue_case_turns_red_and_the_head_gets_one_summary_a_day(world):
    number = accepted_case(world)
    with time_machine.travel(at("2026-03-17")):
        result = deadline_scan()
        deadline_scan()
    assert (result.yellow, result.red) == (0, 1)
    assert Message.objects.filter(kind=MessageKind.DEADLINE_RED, subject=number).count() == 2
    [summary] = Message.objects.filter(kind=MessageKind.DAILY_SUMMARY)
    assert summary.recipient == world.head.user
    assert "红灯 1 件" in summary.title and number in summary.body
    with time_machine.travel(at("2026-03-18")):
        deadline_scan()
    assert Message.objects.filter(kind=MessageKind.DAILY_SUMMARY).count() == 2  # a new day, a new summary
    assert Message.objects.filter(kind=MessageKind.DEADLINE_RED).count() == 2  # the red warning stays one


@pytest.mark.django_db
def test_the_scan_waits_for_nine_oclock_and_skips_days_off(world):
    accepted_case(world)
    with time_machine.travel(at("2026-03-17", hour=8, minute=59)):
        assert not deadline_scan().ran
    with time_machine.travel(at("2026-03-21")):  # a Saturday
        assert not deadline_scan().ran
    assert not Message.objects.filter(kind__startswith="deadline").exists()


@pytest.mark.django_db(transaction=True)
def test_two_workers_scanning_at_once_write_each_warning_once(world):
    if connection.vendor == "sqlite":
        # The test database is SQLite in memory with a shared cache, which refuses a second writer
        # ("table is locked") where the file database waits for it; PostgreSQL runs this.
        pytest.skip("SQLite's in-memory test database does not wait for a second writer")
    accepted_case(world)
    errors: list[BaseException] = []

    def scan() -> None:
        try:
            with time_machine.travel(at("2026-03-17")):
                deadline_scan()
        except BaseException as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=scan) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert Message.objects.filter(kind=MessageKind.DEADLINE_RED).count() == 2
    assert Message.objects.filter(kind=MessageKind.DAILY_SUMMARY).count() == 1
