"""Every state change of a case or an application leaves one entry, with the states before and after."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.audit.helpers import entries, submitted_case
from yiwang.audit import context
from yiwang.audit.models import AuditAction
from yiwang.cases.actions import dispatch

pytestmark = pytest.mark.django_db

TRANSITION = AuditAction.CASE_TRANSITION


def test_a_state_change_via_the_api_records_from_and_to(world):
    number = submitted_case(world)

    response = world.officer.act(number, "accept")

    assert response.status_code == 200, response.content
    (entry,) = entries(TRANSITION)
    assert entry.object_label == number
    assert entry.detail == {
        "action": "accept",
        "from": "pre_review",
        "to": "accepted",
        "role": "officer",
        "case_channel": "api",
        "reason": "",
    }
    assert (entry.actor_id, entry.channel, entry.ip_address) == (world.officer.user.pk, "api", "127.0.0.1")


def test_a_submission_is_one_entry_for_the_whole_application(world):
    response = world.apply()

    (entry,) = entries(AuditAction.APPLICATION_SUBMIT)
    body = response.json()
    assert (entry.object_label, entry.actor_id) == (body["number"], world.citizen.user.pk)
    assert entry.detail["cases"] == [{"number": body["cases"][0]["number"], "to": "pre_review"}]
    assert entry.detail["on_behalf"] is False
    assert entries(TRANSITION) == []  # the cases' first events are part of the submission


def test_a_withdrawal_by_the_applicant_is_recorded(world):
    number = submitted_case(world)

    assert world.citizen.act(number, "withdraw", reason="不办了").status_code == 200

    (entry,) = entries(TRANSITION)
    assert (entry.detail["from"], entry.detail["to"], entry.actor_id) == (
        "pre_review",
        "withdrawn",
        world.citizen.user.pk,
    )


def test_a_phone_number_in_a_reason_is_stored_masked(world):
    number = submitted_case(world)

    world.officer.act(number, "refuse", reason="材料不全，请致电 13812345678 咨询")

    (entry,) = entries(TRANSITION)
    assert entry.detail["reason"] == "材料不全，请致电 138****5678 咨询"


def test_a_change_outside_any_request_is_recorded_as_the_system(client, world):
    number = submitted_case(world)
    client.force_login(world.officer.user)
    client.get(reverse("workbench:case", args=[number]))  # a request came and went

    dispatch.case_act(actor=world.officer.user, number=number, action="accept", body={})

    (entry,) = entries(TRANSITION)
    assert context.current() is context.SYSTEM
    assert (entry.channel, entry.ip_address, entry.actor_id) == ("system", "", world.officer.user.pk)


def test_an_admin_change_is_recorded(as_admin):
    response = as_admin.post(
        reverse("admin:calendar_dayoverride_add"),
        {"date": "2030-10-08", "is_working_day": "on", "name": "调休"},
    )

    assert response.status_code == 302
    (entry,) = entries(AuditAction.ADMIN_ADD)
    assert (entry.object_type, entry.channel, entry.actor_name) == (
        "calendar.dayoverride",
        "admin",
        "系统管理员",
    )
