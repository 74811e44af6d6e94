"""Each case event writes the applicant's message (and SMS) in the action's own transaction."""

from __future__ import annotations

import pytest
from django.db import transaction

from yiwang.cases.actions.dispatch import case_act
from yiwang.notifications.models import Message, MessageKind, Sms, SmsState

pytestmark = pytest.mark.django_db


def submitted(world) -> str:
    return world.apply().json()["cases"][0]["number"]


def material(world) -> int:
    return world.item.materials.first().id


STEPS = {
    MessageKind.CASE_ACCEPTED: [("officer", "accept", {})],
    MessageKind.CASE_REFUSED: [("officer", "refuse", {"reason": "不属于本部门职权范围"})],
    MessageKind.SUPPLEMENT_REQUESTED: [("officer", "request_supplement", "supplement")],
    MessageKind.CASE_EXTENDED: [("officer", "accept", {}), ("head", "extend", {"reason": "需要现场核查"})],
    MessageKind.CASE_COMPLETED: [
        ("officer", "accept", {}),
        ("officer", "start_review", {}),
        ("officer", "approve", {}),
        ("officer", "complete", {"result": {"number": "JY1"}}),
    ],
}


@pytest.mark.parametrize("kind", list(STEPS))
def test_each_case_event_tells_the_applicant_in_the_inbox_and_by_sms(world, sms_gateway, kind):
    number = submitted(world)
    for who, action, body in STEPS[kind]:
        if body == "supplement":
            body = {"items": [{"material": material(world), "reason": "照片模糊"}]}
        response = getattr(world, who).act(number, action, **body)
        assert response.status_code == 200, response.content
    message = Message.objects.get(recipient=world.citizen.user, kind=kind)
    # an ended case links to its rating (好差评), the others to the application
    rated = kind == MessageKind.CASE_COMPLETED
    assert message.link.startswith(f"/rate/{number}/?t=" if rated else "/me/applications/")
    assert number in message.body
    sms = Sms.objects.get(message=message)
    assert sms.phone == "13800000000"  # the contact number on the form
    assert sms.state == SmsState.CREATED
    name = world.citizen.user.name
    assert sms.params["name"] == name[0] + "*" * (len(name) - 1)
    assert name not in str(sms.params) or len(name) == 1


def test_a_rolled_back_action_leaves_no_message(world, sms_gateway):
    number = submitted(world)
    with pytest.raises(RuntimeError), transaction.atomic():
        case_act(actor=world.officer.user, number=number, action="accept", body={})
        assert Message.objects.filter(kind=MessageKind.CASE_ACCEPTED).count() == 1
        raise RuntimeError("the rest of the request failed")
    assert not Message.objects.filter(kind=MessageKind.CASE_ACCEPTED).exists()
    assert not Sms.objects.exists()


def test_an_action_that_commits_hands_its_sms_to_the_worker_which_sends_it(
    world, sms_gateway, django_capture_on_commit_callbacks
):
    number = submitted(world)
    with django_capture_on_commit_callbacks(execute=True):
        assert world.officer.act(number, "accept").status_code == 200
    sms = Sms.objects.get()
    assert sms.state == SmsState.SENDING and sms.provider_id
    [sent] = sms_gateway.messages()
    assert (sent.phone, sent.out_id, sent.biz_id) == (
        "13800000000",
        str(sms.idempotency_key),
        sms.provider_id,
    )


def test_without_a_configured_gateway_the_inbox_still_gets_the_message(world, settings):
    settings.YIWANG_SMS_URL = ""
    number = submitted(world)
    world.officer.act(number, "accept")
    assert Message.objects.filter(recipient=world.citizen.user, kind=MessageKind.CASE_ACCEPTED).exists()
    assert not Sms.objects.exists()


def test_a_citizen_who_turned_a_kind_off_gets_it_in_the_inbox_only(world, sms_gateway):
    response = world.citizen.client.put(
        "/api/v1/me/sms-preferences",
        {"muted": ["case_accepted"]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {world.citizen.token}",
    )
    assert response.status_code == 200, response.content
    assert response.json()["muted"] == ["case_accepted"]
    number = submitted(world)
    world.officer.act(number, "refuse", reason="不属于本部门职权范围")
    other = submitted(world)
    world.officer.act(other, "accept")
    accepted = Message.objects.get(kind=MessageKind.CASE_ACCEPTED)
    refused = Message.objects.get(kind=MessageKind.CASE_REFUSED)
    assert not Sms.objects.filter(message=accepted).exists()
    assert Sms.objects.filter(message=refused).exists()


def test_an_unknown_kind_in_the_sms_choices_is_refused_by_field(world):
    response = world.citizen.client.put(
        "/api/v1/me/sms-preferences",
        {"muted": ["case_accepted", "lottery"]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {world.citizen.token}",
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_failed", body
    assert [name for name in body["fields"] if name.startswith("muted")] == ["muted[1]"], body


def test_past_the_daily_cap_messages_reach_the_inbox_only(world, sms_gateway, settings):
    settings.YIWANG_SMS_DAILY_CAP = 2
    for _ in range(3):
        world.officer.act(submitted(world), "accept")
    assert Message.objects.filter(kind=MessageKind.CASE_ACCEPTED).count() == 3
    assert Sms.objects.count() == 2
