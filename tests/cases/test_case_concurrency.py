"""Two officers acting on the same case at the same moment: exactly one succeeds, the other gets 409;
four clerks accepting the same bundle: one wins, every other gets 409 — never 404.

Runs on real, separate database connections (one per thread); on PostgreSQL the row lock and the
revision check decide, on SQLite the single writer does. Nothing is half-written either way.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from tests.factories import make_citizen, make_department, make_document, make_item, make_staff
from yiwang.accounts.roles import StaffRole
from yiwang.cases import selectors
from yiwang.cases.actions.intake import case_accept
from yiwang.cases.models import Case, CaseEvent
from yiwang.cases.submission.submit import application_submit
from yiwang.core.errors import Conflict


@pytest.mark.django_db(transaction=True)
def test_two_officers_accepting_at_once_exactly_one_wins():
    if connection.vendor != "postgresql":
        pytest.skip(
            "row-level locking between connections is a PostgreSQL property; CI runs this on PostgreSQL"
        )
    department = make_department()
    item = make_item(department=department)
    citizen = make_citizen()
    document = make_document(citizen)
    application = application_submit(
        actor=citizen,
        item=item.item.code,
        form={"applicant_name": "张三", "applicant_phone": "13800000000"},
        materials=[{"material": m.id, "document": str(document.id)} for m in item.materials.all()],
        channel="web",
    ).application
    number = application.cases.get().number
    officers = [make_staff(StaffRole.OFFICER, department=department) for _ in range(2)]

    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def accept(officer) -> None:
        try:
            case = selectors.load_case(officer, number)  # both read revision 1 before either writes
            barrier.wait(timeout=10)
            case_accept(actor=officer, case=case, channel="api")
            outcomes.append("accepted")
        except Conflict as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(officer,)) for officer in officers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["accepted", "case_changed"]
    case = Case.objects.get(number=number)
    assert case.status == "accepted" and case.revision == 2
    assert CaseEvent.objects.filter(case=case, action="accept").count() == 1


def _needs_separate_connections() -> None:
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip(
            "the in-memory SQLite test database is one shared cache, locked per table without waiting; "
            "a file database (as deployed: WAL and a busy timeout) or PostgreSQL runs this"
        )


def _online_bundle_application() -> str:
    from django.test import Client

    from tests.cases.helpers import ApiUser
    from tests.factories import make_bundle
    from yiwang.catalog.services import bundle_publish

    first, second = make_item(department=make_department()), make_item(department=make_department())
    bundle_publish(bundle=make_bundle(first, second, code="race", name="并发受理一件事"))
    citizen = ApiUser(Client(), make_citizen())
    detail = citizen.client.get("/api/v1/bundles/race").json()
    document = make_document(citizen.user)
    submitted = citizen.post(
        "/applications",
        {
            "bundle": "race",
            "channel": "web",
            "form": {"applicant_name": "张三", "applicant_phone": "13800000000"},
            "materials": [
                {"material": m["material"]["id"], "document": str(document.id)} for m in detail["materials"]
            ],
        },
    )
    assert submitted.status_code == 201, submitted.content
    return submitted.json()["number"]


def _four_clerks() -> list:
    """Two clerks at one window, two at another: every window sees an online application in intake."""
    from django.test import Client

    from tests.cases.helpers import ApiUser
    from tests.factories import make_service_point

    here, there = make_service_point(), make_service_point()
    return [
        ApiUser(Client(), make_staff(StaffRole.WINDOW_CLERK, service_point=point))
        for point in (here, here, there, there)
    ]


def _accepted_once(number: str) -> None:
    cases = Case.objects.filter(application__number=number)
    assert {c.status for c in cases} == {"accepted"}
    assert CaseEvent.objects.filter(case__in=cases, action="accept").count() == cases.count() == 2


@pytest.mark.django_db(transaction=True)
def test_four_clerks_accepting_one_bundle_at_once_every_loser_gets_409():
    """一窗受理 race through the API: one clerk wins; the others — at the same window or another — are
    told it was taken (409), never that it is not found (404), and the bundle is accepted once."""
    _needs_separate_connections()
    number = _online_bundle_application()
    clerks = _four_clerks()

    barrier = threading.Barrier(len(clerks))
    answers: list[object] = []

    def accept(clerk) -> None:
        from django.test import Client

        try:
            clerk.client = Client()  # a client, and so a database connection, of the thread's own
            barrier.wait(timeout=10)
            answers.append(clerk.act_application(number, "accept").status_code)
        except Exception as exc:  # shown in the assertion below, not lost with the thread
            answers.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(clerk,)) for clerk in clerks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(answers, key=str) == [200, 409, 409, 409]
    _accepted_once(number)


@pytest.mark.django_db
def test_clerks_accepting_one_bundle_after_it_was_taken_get_409_on_every_database():
    """The race as one writer serialises it (SQLite always, PostgreSQL once the winner committed):
    each later accept reads the committed acceptance — at the winner's window or another — and is a 409."""
    number = _online_bundle_application()

    answers = [clerk.act_application(number, "accept") for clerk in _four_clerks()]

    assert [a.status_code for a in answers] == [200, 409, 409, 409]
    assert answers[1].json()["message"] == f"申办 {number} 已被其他工作人员受理"  # the same window
    assert answers[2].json()["code"] == answers[3].json()["code"] == "case_changed"  # another window
    _accepted_once(number)
