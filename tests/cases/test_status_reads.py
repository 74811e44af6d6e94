"""An applicant's status reads: the application, or one case, with its events and materials in one
query after the token's (cases.timeline), showing exactly what the tables hold."""

from __future__ import annotations

import pytest

from tests.cases.test_case_transitions import material_ids, reach
from tests.factories import make_document
from yiwang.cases.models import ApplicationMaterial, Case, CaseEvent
from yiwang.cases.states import CaseStatus

pytestmark = pytest.mark.django_db


def walked_case(world) -> Case:
    """A case that went through a 补正 (event data, a supplemented material), review, a suspension
    and its end: events by the citizen, the officer and the system, with reasons and data."""
    number = reach(world, CaseStatus.SUPPLEMENT_REQUESTED)
    document = make_document(world.citizen.user)
    answer = world.citizen.act(
        number, "supplement", materials=[{"material": material_ids(world)[0], "document": str(document.id)}]
    )
    assert answer.status_code == 200, answer.json()
    for action, body in [
        ("accept", {}),
        ("start_review", {}),
        ("suspend", {"kind": "expert_review", "reason": "组织专家评审"}),
        ("resume", {"reason": "专家评审通过"}),
    ]:
        assert world.officer.act(number, action, **body).status_code == 200, action
    return Case.objects.select_related("application").get(number=number)


def stored_events(case_filter: dict) -> list[tuple]:
    return [
        (
            e.action,
            e.from_status,
            e.to_status,
            e.actor.name if e.actor else ("系统" if e.actor_role == "system" else None),
            e.actor_role,
            e.channel,
            e.reason,
            e.data,
        )
        for e in CaseEvent.objects.filter(**case_filter).select_related("actor").order_by("at", "id")
    ]


def shown_events(answer: dict) -> list[tuple]:
    return [
        (
            e["action"]["code"],
            e["from_status"],
            e["to_status"]["code"],
            e["actor"],
            e["role"],
            e["channel"],
            e["reason"],
            e["data"],
        )
        for e in answer["events"]
    ]


def test_the_application_read_shows_every_stored_event_and_material_in_one_query_after_the_token(
    world, django_assert_num_queries
):
    case = walked_case(world)

    with django_assert_num_queries(2):  # the token, then the application with its cases, events, materials
        answer = world.citizen.get(f"/applications/{case.application.number}").json()

    assert shown_events(answer) == stored_events({"case__application": case.application})
    assert len(answer["events"]) == 8
    stored = ApplicationMaterial.objects.filter(application=case.application).select_related("material")
    assert [
        (m["material"], m["name"], m["document"], m["supplemented"], m["way"]) for m in answer["materials"]
    ] == [
        (m.material_id, m.material.name, str(m.document_id), m.supplemented, "document")
        for m in stored.order_by("id")
    ]
    assert any(m["supplemented"] for m in answer["materials"])


def test_the_case_read_shows_every_stored_event_and_its_suspension(world, django_assert_num_queries):
    case = walked_case(world)

    with django_assert_num_queries(3):  # the token, the case with its events, its suspensions
        answer = world.citizen.get(f"/cases/{case.number}").json()

    assert shown_events(answer) == stored_events({"case": case})
    assert [(s["kind"]["code"], s["result"]) for s in answer["suspensions"]] == [
        ("expert_review", "专家评审通过")
    ]


def test_a_case_with_no_suspension_is_read_in_one_query_after_the_token(world, django_assert_num_queries):
    number = world.apply().json()["cases"][0]["number"]

    with django_assert_num_queries(2):
        answer = world.citizen.get(f"/cases/{number}").json()

    assert shown_events(answer) == stored_events({"case__number": number})


def test_a_staff_read_through_the_orm_shows_the_same_events_as_the_applicants(world):
    case = walked_case(world)

    officer = world.officer.get(f"/applications/{case.application.number}").json()
    citizen = world.citizen.get(f"/applications/{case.application.number}").json()

    assert shown_events(officer) == shown_events(citizen)
    assert officer["materials"] == citizen["materials"]


def test_status_answers_write_moments_as_the_rest_of_the_api_does(world):
    from django.core.serializers.json import DjangoJSONEncoder
    from django.utils import timezone

    case = walked_case(world)
    encoder = DjangoJSONEncoder()

    application = world.citizen.get(f"/applications/{case.application.number}").json()
    detail = world.citizen.get(f"/cases/{case.number}").json()

    stored = CaseEvent.objects.filter(case=case).order_by("at", "id")
    assert [e["at"] for e in application["events"]] == [
        encoder.default(timezone.localtime(e.at)) for e in stored
    ]
    assert application["created_at"] == encoder.default(timezone.localtime(case.application.created_at))
    issued = case.supplement_request.issued_at
    assert detail["supplement_request"]["issued_at"] == encoder.default(timezone.localtime(issued))
