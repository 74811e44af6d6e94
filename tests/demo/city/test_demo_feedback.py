"""The demo city's year of 好差评 and 12345 requests (`demo/feedback_data.py`): the published figures,
the 整改 lists, the dispatcher's pool and supervision all have something to show, the rows are what the
services would have left, and loading the demo again adds nothing."""

from __future__ import annotations

import io
import json
from importlib.resources import files

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from yiwang.accounts.models import User
from yiwang.accounts.roles import StaffRole
from yiwang.catalog.models import Department, ServiceItem
from yiwang.demo.feedback_data import DEMO_TRACKING_CODE, demo_feedback_load
from yiwang.feedback import selectors
from yiwang.feedback.models import (
    BAD_LEVELS,
    BadRatingTask,
    Rating,
    RatingAppeal,
    RequestEvent,
    ServiceRequest,
    Stage,
    TaskStatus,
)
from yiwang.feedback.options import indicators, options

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Rating, BadRatingTask, RatingAppeal, ServiceRequest, RequestEvent)
    }


def test_the_public_figures_show_every_department_with_items_and_a_plausible_good_rate():
    rows = selectors.public_figures()
    assert rows
    overall = selectors.figures()
    assert overall.ratings >= 2500
    assert 0.93 <= overall.good_rate <= 0.99
    assert 0.005 <= overall.bad / overall.ratings <= 0.03
    assert overall.rectified_rate is not None and overall.rectified_rate >= 0.7
    rated = {row.department.code for row in rows if row.figures.ratings}
    with_items = set(
        Department.objects.filter(items__published_version__isnull=False).values_list("code", flat=True)
    )
    assert with_items and with_items <= rated
    assert sum(row.requests for row in rows) >= 300
    closed = sum(row.requests_closed for row in rows)
    assert sum(row.requests_on_time for row in rows) / closed >= 0.85
    assert all(row.on_time_rate >= 0.5 for row in rows if row.requests_closed >= 10)


def test_the_ratings_span_the_past_year_and_none_lies_ahead():
    months = {f"{timezone.localtime(at):%Y-%m}" for at in Rating.objects.values_list("created_at", flat=True)}
    assert len(months) >= 11
    today = timezone.localdate()
    assert not Rating.objects.filter(created_at__date__gte=today).exists()
    assert not RequestEvent.objects.filter(at__date__gte=today).exists()


def test_each_rating_is_one_the_rating_service_would_have_stored():
    known = options()
    onsite = {key for key, _ in indicators(True)}
    for rating in Rating.objects.select_related("item"):
        assert rating.scope == "visit" and rating.channel in ("tablet", "kiosk", "qr")
        assert all(known[code].level == rating.level for code in rating.options)
        assert set(rating.indicators) <= onsite and rating.indicators["overall"] == rating.level
        assert rating.item is not None and rating.item.department_id == rating.department_id
        if rating.level in BAD_LEVELS:
            assert rating.options or rating.text  # a 差评 says what went wrong
    bad = Rating.objects.filter(level__in=BAD_LEVELS)
    assert BadRatingTask.objects.count() == bad.count()
    assert not BadRatingTask.objects.exclude(department_id=F("rating__department_id")).exists()


def test_supervision_has_red_cards_and_appeals():
    overdue = list(selectors.overdue_tasks())
    assert len(overdue) >= 2
    assert {t.status for t in overdue} <= {TaskStatus.CALLBACK, TaskStatus.RECTIFYING}
    upheld = RatingAppeal.objects.filter(upheld=True)
    assert upheld.count() >= 1
    for appeal in upheld.select_related("rating__task"):
        assert appeal.rating.excluded and appeal.rating.task.status == TaskStatus.APPEAL_UPHELD
        assert appeal.decided_by is not None and appeal.decided_by.has_role(StaffRole.SUPERVISOR)
    assert selectors.appeals_pending().count() == 1
    for task in BadRatingTask.objects.filter(status=TaskStatus.DONE):
        assert task.called_back_at <= task.fixed_at
        assert timezone.localdate(task.fixed_at) <= task.fix_due and task.outcome and task.result


def test_requests_wait_in_every_open_stage_and_some_are_overdue():
    stages = set(ServiceRequest.objects.values_list("stage", flat=True))
    assert stages == set(Stage.values)
    assert ServiceRequest.objects.filter(stage=Stage.CLOSED).count() >= 300
    assert selectors.requests_pool().exists()
    assert selectors.requests_extension_pending().exists()
    assert selectors.requests_supervised().count() >= 2
    overdue = {r.stage for r in selectors.requests_overdue()}
    assert len(overdue) >= 3
    assert set(ServiceRequest.objects.values_list("type", flat=True)) == {
        "consult",
        "help",
        "complaint",
        "suggestion",
        "report",
    }


def test_each_request_went_through_the_desks_steps_in_order():
    numbers = set()
    for request in ServiceRequest.objects.prefetch_related("events"):
        events = list(request.events.all())
        assert events[0].action == "receive" and events[0].at == request.received_at
        assert [e.at for e in events] == sorted(e.at for e in events)
        assert len(request.number) == 14 and request.number[:8] == f"{request.received_on:%Y%m%d}"
        numbers.add(request.number)
        assert events[-1].stage == request.stage
        if request.stage == Stage.CLOSED:
            assert request.answered_at is not None and request.closed_at >= request.answered_at
            assert request.closed_on_time == (timezone.localdate(request.answered_at) <= request.due)
        if request.stage != Stage.RECEIVED:
            assert request.department_id is not None and request.sign_due is not None
        if request.anonymous:
            assert request.submitter is None and not request.contact_name and not request.contact_phone
    assert len(numbers) == ServiceRequest.objects.count()


def test_the_demo_citizen_can_follow_their_answered_request_by_its_published_code():
    request = selectors.request_by_tracking(DEMO_TRACKING_CODE)
    assert request is not None and request.stage == Stage.ANSWERED
    assert request.submitter.username == "citizen"


def test_the_hotline_and_the_dispatcher_have_demo_accounts_in_the_service_office():
    hotline, dispatcher = User.objects.get(username="hotline"), User.objects.get(username="dispatcher")
    assert hotline.has_role(StaffRole.HOTLINE_OPERATOR) and dispatcher.has_role(StaffRole.DISPATCHER)
    assert hotline.department.code == dispatcher.department.code == "zwfw"
    assert ServiceRequest.objects.filter(taken_by=hotline).exists()
    assert RequestEvent.objects.filter(actor=dispatcher, action="dispatch").exists()


def test_every_item_the_data_files_name_is_in_the_demo_catalog():
    data = files("yiwang.demo") / "data" / "feedback"
    names = set(
        ServiceItem.objects.filter(published_version__isnull=False).values_list(
            "department__code", "published_version__name"
        )
    )
    requests = json.loads((data / "requests.json").read_text(encoding="utf-8"))
    named = {
        (code, t["item"]) for code, rows in requests["departments"].items() for t in rows if t.get("item")
    }
    ratings = json.loads((data / "ratings.json").read_text(encoding="utf-8"))
    named |= {(s["department"], s["item"]) for s in ratings["scripted"]}
    assert named <= names


def test_loading_the_demo_again_adds_no_feedback():
    before = counts()
    call_command("load_demo", stdout=io.StringIO())
    assert counts() == before


def test_the_same_day_gives_the_same_history():
    def fingerprint() -> tuple[list[tuple], list[tuple]]:
        ratings = list(
            Rating.objects.order_by("created_at", "pk").values_list("created_at", "level", "item_id", "text")
        )
        requests = list(
            ServiceRequest.objects.order_by("number").values_list("number", "text", "stage", "due")
        )
        return ratings, requests

    first = fingerprint()
    with transaction.atomic():
        RequestEvent.objects.all().delete()
        ServiceRequest.objects.all().delete()
        RatingAppeal.objects.all().delete()
        BadRatingTask.objects.all().delete()
        Rating.objects.all().delete()
        demo_feedback_load()
        assert fingerprint() == first
        transaction.set_rollback(True)
