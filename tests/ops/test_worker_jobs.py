"""The worker's periodic jobs change what is due once — run again, or by two workers, they change
nothing — and a job that fails after its retries is kept for administrators, who can run it again."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone
from huey.contrib.djhuey import HUEY, db_task

from tests.factories import make_citizen, make_document, make_staff
from yiwang.accounts.models import ApiToken
from yiwang.cases.models import Case
from yiwang.documents.models import Document
from yiwang.ops import tasks
from yiwang.ops.models import FailedJob

pytestmark = pytest.mark.django_db

calls: list[str] = []


@db_task(retries=2, retry_delay=0)
def flaky_job(label: str) -> None:
    calls.append(label)
    raise RuntimeError(f"gateway down for {label}, caller 13912345678")


def test_the_section_32_job_deems_accepted_once(world):
    number = world.apply().json()["cases"][0]["number"]
    with time_machine.travel(timezone.now() + timedelta(days=10)):
        assert tasks.deem_accepted.call_local() == 1
        assert tasks.deem_accepted.call_local() == 0
    case = Case.objects.get(number=number)
    assert case.deemed_accepted and case.status == "accepted"


def test_expired_tokens_and_sessions_are_removed_once():
    user = make_citizen()
    now = timezone.now()
    ApiToken.objects.create(user=user, digest="a" * 64, expires_at=now - timedelta(days=40))
    ApiToken.objects.create(user=user, digest="b" * 64, expires_at=now + timedelta(hours=1))
    session = SessionStore()
    session.set_expiry(-10)
    session.create()
    assert tasks.expired_credentials.call_local() >= 1
    assert (
        ApiToken.objects.count() == 1 and not Session.objects.filter(session_key=session.session_key).exists()
    )
    assert tasks.expired_credentials.call_local() == 0


def test_unattached_uploads_expire_once():
    make_document(make_citizen())
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert tasks.unattached_uploads.call_local() == 1
        assert tasks.unattached_uploads.call_local() == 0
    assert not Document.objects.exists()


def test_a_job_failing_after_its_retries_is_kept_with_its_error_masked_and_can_be_run_again(client):
    calls.clear()
    flaky_job("A")  # the test queue runs it at once, retries included
    assert calls == ["A", "A", "A"]
    [job] = FailedJob.objects.all()
    assert job.task.endswith("flaky_job") and job.args == ["A"]
    assert "RuntimeError: gateway down for A" in job.error
    assert "13912345678" not in job.error and "139****5678" in job.error

    admin = make_staff(is_superuser=True, is_staff=True)
    client.force_login(admin)
    listing = client.get("/admin/ops/failedjob/")
    assert listing.status_code == 200 and "gateway down for A" in listing.content.decode()
    response = client.post(
        "/admin/ops/failedjob/", {"action": "retry", "_selected_action": [job.pk]}, follow=True
    )
    assert response.status_code == 200
    assert calls == ["A"] * 6  # run again, with its retries
    job.refresh_from_db()
    assert job.retried_at is not None
    assert FailedJob.objects.count() == 2  # and, failing again, recorded again


def test_every_periodic_job_is_known_to_the_worker():
    periodic = {t.__name__ for t in HUEY._registry._periodic_tasks}
    expected = {
        "deem_accepted",
        "deadline_warnings",
        "unattached_uploads",
        "expired_credentials",
        "sms_dispatch_due",
    }
    assert expected <= periodic
