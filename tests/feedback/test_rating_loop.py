"""好差评 through the API: 一事一评 of an ended case, the 差评's 回访 → 整改 → 追评 within the limits,
appeals upheld and refused, and the figures computed from the records."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.feedback.conftest import completed_case, signed_in_again
from yiwang.cases.notify import rate_token
from yiwang.feedback.models import BadRatingTask, Rating, TaskStatus
from yiwang.notifications.models import Message, MessageKind

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def figures(world, client) -> dict:
    rows = client.get("/api/v1/ratings/figures").json()
    return next(r for r in rows if r["department"] == world.department.code)


def test_a_very_dissatisfied_rating_is_called_back_fixed_and_rerated_within_the_limits(
    world, client, _monday_morning
):
    number = completed_case(world)
    state = world.citizen.get(f"/cases/{number}/rating").json()
    assert state["may_rate"] and state["rating"] is None

    response = world.citizen.post(
        f"/cases/{number}/rating",
        {"level": 1, "options": ["110"], "text": "超过法定时限才办完，没有任何说明", "channel": "mobile"},
    )
    assert response.status_code == 201, response.content
    rated = response.json()
    assert (rated["level_label"], rated["gb_code"], rated["options"]) == ("非常不满意", 5, ["110"])
    task = BadRatingTask.objects.get(rating_id=rated["id"])
    # Monday 2 March 2026: 回访 by the next working day, 整改 within 15 working days.
    assert task.callback_due == date(2026, 3, 3)
    assert task.fix_due == date(2026, 3, 23)
    assert Message.objects.filter(kind=MessageKind.BAD_RATING, recipient=world.officer.user).exists()
    assert Message.objects.filter(kind=MessageKind.BAD_RATING, recipient=world.head.user).exists()

    [listed] = world.officer.get("/rating-tasks").json()
    assert listed["id"] == task.pk and not listed["overdue"]
    early = world.officer.post(
        f"/rating-tasks/{task.pk}/rectification", {"outcome": "immediate", "result": "x"}
    )
    assert early.status_code == 409 and early.json()["code"] == "task_state"

    _monday_morning.move_to(datetime(2026, 3, 3, 9, 30, tzinfo=SHANGHAI))
    signed_in_again(world)
    called = world.officer.post(
        f"/rating-tasks/{task.pk}/callback", {"note": "已电话联系申请人，核实为审查环节等待专家意见未告知"}
    )
    assert called.status_code == 200 and called.json()["status"] == "rectifying"
    _monday_morning.move_to(datetime(2026, 3, 10, 15, 0, tzinfo=SHANGHAI))
    signed_in_again(world)
    fixed = world.officer.post(
        f"/rating-tasks/{task.pk}/rectification",
        {"outcome": "deadline", "result": "建立专家意见时限提醒，超时自动告知申请人"},
    )
    assert fixed.status_code == 200 and fixed.json()["status"] == "done"
    task.refresh_from_db()
    assert task.called_back_at.date() <= task.callback_due and task.fixed_at.date() <= task.fix_due
    told = Message.objects.get(kind=MessageKind.RATING_RECTIFIED, recipient=world.citizen.user)
    assert told.link.startswith(f"/rate/{number}/") and "限期整改" in told.body

    assert figures(world, client)["good_rate"] == 0.0
    again = world.citizen.post(
        f"/cases/{number}/rating/again", {"level": 4, "options": ["408"], "channel": "mobile"}
    )
    assert again.status_code == 201 and again.json()["rerating"]
    row = figures(world, client)
    assert (row["ratings"], row["good_rate"], row["rectified_rate"]) == (1, 1.0, 1.0)
    twice = world.citizen.post(f"/cases/{number}/rating/again", {"level": 5, "channel": "mobile"})
    assert twice.status_code == 409 and twice.json()["code"] == "already_rerated"


def test_a_case_is_rated_once(world):
    number = completed_case(world)
    assert world.citizen.post(f"/cases/{number}/rating", {"level": 5}).status_code == 201
    second = world.citizen.post(f"/cases/{number}/rating", {"level": 3})
    assert second.status_code == 409 and second.json()["code"] == "already_rated"


def test_the_rating_link_rates_without_signing_in_and_only_its_own_case(world, client):
    number = completed_case(world)
    other = completed_case(world)
    forged = client.post(
        f"/api/v1/cases/{other}/rating",
        {"level": 5, "token": rate_token(number)},
        content_type="application/json",
    )
    assert forged.status_code == 403 and forged.json()["code"] == "token_invalid"
    bare = client.post(f"/api/v1/cases/{number}/rating", {"level": 5}, content_type="application/json")
    assert bare.status_code == 404
    linked = client.post(
        f"/api/v1/cases/{number}/rating",
        {"level": 5, "token": rate_token(number)},
        content_type="application/json",
    )
    assert linked.status_code == 201
    assert Rating.objects.get(case__number=number).rater == world.citizen.user


def test_the_completion_message_carries_the_rating_link(world):
    number = completed_case(world)
    message = Message.objects.get(kind=MessageKind.CASE_COMPLETED, recipient=world.citizen.user)
    assert message.link.startswith(f"/rate/{number}/?t=")


def test_a_running_case_cannot_be_rated_and_the_window_closes_after_the_set_days(
    world, settings, _monday_morning
):
    running = world.apply().json()["cases"][0]["number"]
    refused = world.citizen.post(f"/cases/{running}/rating", {"level": 5})
    assert refused.status_code == 409 and refused.json()["code"] == "case_not_ended"
    number = completed_case(world)
    _monday_morning.move_to(datetime.now(SHANGHAI) + timedelta(days=settings.YIWANG_RATING_WINDOW_DAYS + 1))
    signed_in_again(world)
    late = world.citizen.post(f"/cases/{number}/rating", {"level": 5})
    assert late.status_code == 409 and late.json()["code"] == "rating_closed"
    # not rated is not 满意: nothing counts for the department
    assert not Rating.objects.filter(case__number=number).exists()


def test_where_the_local_rule_deems_silence_satisfied_the_worker_writes_a_marked_rating(
    world, settings, _monday_morning
):
    from yiwang.feedback.scans import feedback_scan

    settings.YIWANG_RATING_DEEMED_SATISFIED = True
    number = completed_case(world)
    assert feedback_scan().deemed == 0  # the window is still open
    _monday_morning.move_to(datetime.now(SHANGHAI) + timedelta(days=settings.YIWANG_RATING_WINDOW_DAYS + 2))
    assert feedback_scan().deemed == 1
    assert feedback_scan().deemed == 0
    deemed = Rating.objects.get(case__number=number)
    assert (deemed.level, deemed.deemed, deemed.channel) == (4, True, "system")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"level": 1, "options": ["510"]}, "options"),
        ({"level": 2}, "options"),  # a 差评 names what went wrong
        ({"level": 5, "options": ["999"]}, "options"),
        ({"level": 5, "indicators": {"speed": 5}}, "indicators"),
        ({"level": 5, "indicators": {"efficiency": 9}}, "indicators"),
    ],
)
def test_a_rating_that_breaks_a_rule_is_refused_with_the_field_named(world, body, field):
    number = completed_case(world)
    response = world.citizen.post(f"/cases/{number}/rating", body)
    assert response.status_code == 422, response.content
    assert any(name.startswith(field) for name in response.json()["fields"])
    assert not Rating.objects.exists()


def test_an_appeal_upheld_takes_the_rating_out_of_the_figures_and_one_refused_leaves_it(world, client):
    upheld_case, refused_case = completed_case(world), completed_case(world)
    for number in (upheld_case, refused_case):
        assert (
            world.citizen.post(f"/cases/{number}/rating", {"level": 1, "options": ["115"]}).status_code == 201
        )
    assert figures(world, client)["bad"] == 2
    tasks = {t.rating.case.number: t for t in BadRatingTask.objects.select_related("rating__case")}
    officer_try = world.officer.post(
        f"/rating-tasks/{tasks[upheld_case].pk}/appeal", {"reason": "malicious", "statement": "…"}
    )
    assert officer_try.status_code == 403  # 申诉 is the head's
    appeals = {}
    for number in (upheld_case, refused_case):
        response = world.head.post(
            f"/rating-tasks/{tasks[number].pk}/appeal",
            {"reason": "malicious", "statement": "评价人在窗口录音中表示故意给差评以施压"},
        )
        assert response.status_code == 201, response.content
        appeals[number] = response.json()["id"]
    assert len(world.supervisor.get("/rating-appeals").json()) == 2
    assert (
        world.head.post(
            f"/rating-appeals/{appeals[upheld_case]}/decision", {"upheld": True, "note": "x"}
        ).status_code
        == 403
    )

    yes = world.supervisor.post(
        f"/rating-appeals/{appeals[upheld_case]}/decision", {"upheld": True, "note": "录音属实，恶意差评"}
    )
    no = world.supervisor.post(
        f"/rating-appeals/{appeals[refused_case]}/decision", {"upheld": False, "note": "证据不足"}
    )
    assert yes.status_code == no.status_code == 200
    assert Rating.objects.get(case__number=upheld_case).excluded  # kept, marked
    assert BadRatingTask.objects.get(pk=tasks[upheld_case].pk).status == TaskStatus.APPEAL_UPHELD
    assert BadRatingTask.objects.get(pk=tasks[refused_case].pk).status == TaskStatus.CALLBACK
    row = figures(world, client)
    assert (row["ratings"], row["bad"]) == (1, 1)
    again = world.head.post(
        f"/rating-tasks/{tasks[refused_case].pk}/appeal", {"reason": "mistaken", "statement": "再申诉"}
    )
    assert again.status_code == 409 and again.json()["code"] == "appeal_refused"
    decided = world.supervisor.post(
        f"/rating-appeals/{appeals[upheld_case]}/decision", {"upheld": False, "note": "改判"}
    )
    assert decided.status_code == 409


def test_overdue_callback_and_fix_show_as_red_cards_and_warn_the_head_once_a_day(world, _monday_morning):
    from yiwang.feedback import selectors
    from yiwang.feedback.scans import feedback_scan

    number = completed_case(world)
    world.citizen.post(f"/cases/{number}/rating", {"level": 2, "options": ["209"]})
    assert not selectors.overdue_tasks().exists()
    _monday_morning.move_to(datetime(2026, 3, 4, 10, 0, tzinfo=SHANGHAI))  # 回访 was due on the 3rd
    assert selectors.overdue_tasks().count() == 1
    assert feedback_scan().warned == 1
    assert feedback_scan().warned == 0
    assert Message.objects.filter(kind=MessageKind.FEEDBACK_OVERDUE, recipient=world.head.user).count() == 1


def test_the_fix_limit_counts_working_days_over_the_national_day_holiday(world, _monday_morning):
    _monday_morning.move_to(datetime(2026, 9, 29, 10, 0, tzinfo=SHANGHAI))
    signed_in_again(world)
    number = completed_case(world)
    world.citizen.post(f"/cases/{number}/rating", {"level": 1, "options": ["113"]})
    task = BadRatingTask.objects.get()
    # 2026-09-29 (Tue): 30 Sep is a working day, 1–7 Oct the holiday, 10 Oct (Sat) a 调休 working day.
    assert task.callback_due == date(2026, 9, 30)
    assert task.fix_due == date(2026, 10, 26)


def test_limits_are_local_settings_per_region_with_the_longest_prefix_winning(settings):
    from yiwang.feedback import rules

    settings.YIWANG_FEEDBACK_LIMITS = {
        **settings.YIWANG_FEEDBACK_LIMITS,
        "33": {"fix": 10},
        "3301": {"fix": 5},
    }
    assert rules.limit("330102", "fix") == 5
    assert rules.limit("330201", "fix") == 10
    assert rules.limit("440100", "fix") == 15
    assert rules.limit("330102", "callback") == 1
