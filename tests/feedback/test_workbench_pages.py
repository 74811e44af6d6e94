"""The staff pages of 好差评 and 诉求: the department's 差评整改 forms, the supervisor's appeal decision,
the window's 评价器, the hotline operator's intake, and a request's steps — each refusal a form error."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.factories import make_staff
from tests.feedback.conftest import completed_case
from yiwang.accounts.roles import StaffRole
from yiwang.feedback.models import BadRatingTask, Rating, RatingAppeal, ServiceRequest, TaskStatus

pytestmark = pytest.mark.django_db


def page_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def bad_rating(world) -> BadRatingTask:
    number = completed_case(world)
    assert world.citizen.post(f"/cases/{number}/rating", {"level": 1, "options": ["110"]}).status_code == 201
    return BadRatingTask.objects.get(rating__case__number=number)


def test_the_department_calls_back_and_reports_its_fix_on_the_task_page(world):
    task = bad_rating(world)
    officer = page_client(world.officer.user)
    listed = officer.get("/workbench/ratings/")
    assert listed.status_code == 200 and "无理由超过法定办理时间" in listed.content.decode()
    assert f"/workbench/ratings/{task.pk}/" in listed.content.decode()
    empty = officer.post(f"/workbench/ratings/{task.pk}/", {"step": "callback", "cb-note": ""})
    assert empty.status_code == 422 and "field-error" in empty.content.decode()
    done = officer.post(f"/workbench/ratings/{task.pk}/", {"step": "callback", "cb-note": "已电话联系评价人"})
    assert done.status_code == 302
    wrong = officer.post(
        f"/workbench/ratings/{task.pk}/", {"step": "rectify", "rx-outcome": "later", "rx-result": "x"}
    )
    assert wrong.status_code == 422
    fixed = officer.post(
        f"/workbench/ratings/{task.pk}/",
        {"step": "rectify", "rx-outcome": "immediate", "rx-result": "当场补办"},
    )
    assert fixed.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.outcome == "immediate"
    appeal_form = 'name="step" value="appeal"'
    assert appeal_form not in officer.get(f"/workbench/ratings/{task.pk}/").content.decode()  # the head's
    assert appeal_form in page_client(world.head.user).get(f"/workbench/ratings/{task.pk}/").content.decode()


def test_another_department_cannot_open_the_task(world):
    task = bad_rating(world)
    assert page_client(world.other_officer.user).get(f"/workbench/ratings/{task.pk}/").status_code == 404


def test_the_head_appeals_and_the_supervisor_decides_on_the_oversight_page(world):
    task = bad_rating(world)
    head = page_client(world.head.user)
    filed = head.post(
        f"/workbench/ratings/{task.pk}/",
        {"step": "appeal", "ap-reason": "mistaken", "ap-statement": "评价人误选了等级，回访时已确认"},
    )
    assert filed.status_code == 302
    appeal = RatingAppeal.objects.get()
    supervisor = page_client(world.supervisor.user)
    page = supervisor.get("/workbench/feedback-oversight/")
    assert page.status_code == 200 and "评价人误选了等级" in page.content.decode()
    missing = supervisor.post(
        "/workbench/feedback-oversight/", {"appeal": appeal.pk, f"a{appeal.pk}-upheld": "yes"}
    )
    assert missing.status_code == 422
    decided = supervisor.post(
        "/workbench/feedback-oversight/",
        {"appeal": appeal.pk, f"a{appeal.pk}-upheld": "yes", f"a{appeal.pk}-note": "回访录音证实误评"},
    )
    assert decided.status_code == 302
    assert Rating.objects.get(pk=task.rating_id).excluded
    assert page_client(world.officer.user).get("/workbench/feedback-oversight/").status_code == 403


def test_the_clerk_invites_and_the_person_at_the_desk_rates_on_the_evaluator(world):
    clerk = page_client(world.clerk.user)
    idle = clerk.get("/workbench/evaluator/")
    assert idle.status_code == 200 and "请您对本次服务进行评价" not in idle.content.decode()
    assert clerk.post("/workbench/evaluator/invite/", {}).status_code == 302
    shown = clerk.get("/workbench/evaluator/").content.decode()
    assert "请您对本次服务进行评价" in shown and "服务态度" in shown
    invitation = re.search(r'name="invitation" value="(\d+)"', shown).group(1)
    refused = clerk.post("/workbench/evaluator/", {"invitation": invitation, "level": "2"})
    assert refused.status_code == 422 and "差评请至少选择一项原因" in refused.content.decode()
    rated = clerk.post(
        "/workbench/evaluator/",
        {"invitation": invitation, "level": "5", "options": ["517"], "ind-attitude": "5", "text": "很耐心"},
    )
    assert rated.status_code == 302 and "thanks=1" in rated["Location"]
    rating = Rating.objects.get(scope="visit")
    assert (rating.rater, rating.staff, rating.channel, rating.scope) == (
        None,
        world.clerk.user,
        "tablet",
        "visit",
    )
    assert rating.indicators == {"attitude": 5, "overall": 5}
    again = clerk.post("/workbench/evaluator/", {"invitation": invitation, "level": "5"})
    assert again.status_code == 409


def test_the_hotline_operator_types_a_call_and_reads_back_the_number_and_code(world):
    operator = page_client(make_staff(StaffRole.HOTLINE_OPERATOR, department=world.department))
    blank = operator.post("/workbench/hotline/", {"type": "complaint", "text": ""})
    assert blank.status_code == 422 and not ServiceRequest.objects.exists()
    made = operator.post(
        "/workbench/hotline/",
        {
            "type": "consult",
            "text": "来电人询问食品经营许可证到期了怎么延续",
            "contact_name": "孙女士",
            "contact_phone": "13700001111",
        },
        follow=True,
    )
    request = ServiceRequest.objects.get()
    text = made.content.decode()
    assert request.number in text and "查询码" in text
    assert request.channel == "hotline" and request.taken_by is not None and request.submitter is None


def test_a_request_moves_through_its_steps_on_the_request_page(world, settings):
    settings.YIWANG_FEEDBACK_AUTO_ROUTE = 1.01  # every request waits for the dispatcher
    dispatcher = page_client(make_staff(StaffRole.DISPATCHER, department=world.department))
    operator = make_staff(StaffRole.HOTLINE_OPERATOR, department=world.department)
    from yiwang.feedback.intake import request_create

    number = request_create(
        type="complaint", text="你好，我有个事情想反映一下", channel="hotline", taken_by=operator
    ).request.number
    assert ServiceRequest.objects.get(number=number).stage == "received"
    assert (
        dispatcher.post(
            f"/workbench/requests/{number}/", {"step": "dispatch", "dispatch-department": ""}
        ).status_code
        == 422
    )
    assert (
        dispatcher.post(
            f"/workbench/requests/{number}/",
            {"step": "dispatch", "dispatch-department": world.department.code},
        ).status_code
        == 302
    )
    officer = page_client(world.officer.user)
    assert "签收" in officer.get(f"/workbench/requests/{number}/").content.decode()
    assert (
        officer.post(f"/workbench/requests/{number}/", {"step": "answer", "answer-answer": "x"}).status_code
        == 409
    )
    assert officer.post(f"/workbench/requests/{number}/", {"step": "sign"}).status_code == 302
    assert (
        officer.post(
            f"/workbench/requests/{number}/", {"step": "answer", "answer-answer": "已答复来电人"}
        ).status_code
        == 302
    )
    assert ServiceRequest.objects.get(number=number).stage == "answered"
    assert page_client(world.other_officer.user).get(f"/workbench/requests/{number}/").status_code == 404


def test_a_complaint_about_a_case_shows_on_the_case_for_its_department_and_the_supervisor(world):
    number = completed_case(world)
    made = world.citizen.post(
        "/requests", {"type": "complaint", "text": "审批拖了很久才办完，希望改进", "case": number}
    )
    assert made.status_code == 201 and made.json()["department"] == world.department.code
    for user in (world.officer.user, world.supervisor.user):
        assert made.json()["number"] in page_client(user).get(f"/workbench/cases/{number}/").content.decode()
