"""SMS delivery: claims, the gateway's answers, receipts, quiet hours, retries, and exactly once."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from yiwang.notifications.delivery import LEASE, MAX_ATTEMPTS, sms_claim, sms_send, sms_send_due
from yiwang.notifications.gateway import RECEIPT_PATH, HttpSmsGateway, signed_headers
from yiwang.notifications.models import MessageKind, Sms, SmsState
from yiwang.notifications.services import notify

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
PHONE = "13912345678"


def write(n: int = 1, phone: str = PHONE) -> list[Sms]:
    for i in range(n):
        notify(
            kind=MessageKind.CASE_ACCEPTED,
            recipient=None,
            title="已受理",
            body="您申请的事项已受理。",
            phone=phone,
            sms_params={"name": "张*", "item": "食品经营许可", "number": f"N{i}", "due": "", "result": ""},
        )
    return list(Sms.objects.order_by("id"))


def post_receipts(client, receipts, secret="test-secret", headers=None):
    body = json.dumps(receipts).encode()
    signed = headers or signed_headers("test-key", secret, path=RECEIPT_PATH, body=body)
    return client.post(
        "/api/v1/notifications/sms/receipts",
        body,
        content_type="application/json",
        **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in signed.items() if k != "Content-Type"},
    )


@time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI), tick=False)
def test_a_delivery_receipt_moves_a_sent_sms_to_delivered(client, sms_gateway):
    write()
    assert sms_send_due() == 1
    assert Sms.objects.get().state == SmsState.SENDING
    response = post_receipts(client, sms_gateway.take_receipts())
    assert response.status_code == 200 and response.json() == {"code": "OK", "updated": 1}
    sms = Sms.objects.get()
    assert sms.state == SmsState.DELIVERED and sms.settled_at is not None
    # The same receipt again changes nothing.
    assert post_receipts(client, [{"biz_id": sms.provider_id, "status": "DELIVERED"}]).json()["updated"] == 0


def test_a_receipt_with_a_wrong_or_stale_signature_is_refused_and_changes_nothing(client, sms_gateway):
    write()
    sms_send_due()
    receipts = sms_gateway.take_receipts()
    response = post_receipts(client, receipts, secret="not-the-secret")
    assert response.status_code == 403 and response.json()["code"] == "signature_invalid"
    with time_machine.travel(timezone.now() - timedelta(minutes=10)):
        body = json.dumps(receipts).encode()
        stale = signed_headers("test-key", "test-secret", path=RECEIPT_PATH, body=body)
    assert post_receipts(client, receipts, headers=stale).status_code == 403
    assert Sms.objects.get().state == SmsState.SENDING


def test_a_receipt_body_that_is_not_a_list_of_objects_is_a_422(client, sms_gateway):
    assert post_receipts(client, {"biz_id": "x"}).status_code == 422
    assert post_receipts(client, ["x"]).json()["code"] == "invalid_receipts"


def test_a_phone_switched_off_is_a_temporary_failure_sent_again_later_under_a_new_key(client, sms_gateway):
    sms_gateway.switched_off.add(PHONE)
    write()
    sms_send_due()
    first_key = Sms.objects.get().idempotency_key
    post_receipts(client, sms_gateway.take_receipts())
    sms = Sms.objects.get()
    assert sms.state == SmsState.TEMPORARY_FAILURE and "PHONE_OFF" in sms.error
    assert sms.idempotency_key != first_key
    assert sms_send_due() == 0  # backing off
    sms_gateway.switched_off.clear()
    with time_machine.travel(sms.not_before + timedelta(seconds=1)):
        assert sms_send_due() == 1
    post_receipts(client, sms_gateway.take_receipts())
    assert Sms.objects.get().state == SmsState.DELIVERED
    assert sms_gateway.stats()["messages"] == 2  # two real attempts, each sent once


def test_a_busy_gateway_is_retried_with_growing_delays_then_given_up(sms_gateway):
    write()
    sms_gateway.fail_next = 100
    delays = []
    for _ in range(MAX_ATTEMPTS):
        sms = Sms.objects.get()
        with time_machine.travel(sms.not_before + timedelta(seconds=1)):
            sms_send_due()
        after = Sms.objects.get()
        delays.append(after.not_before - sms.not_before)
    sms = Sms.objects.get()
    assert sms.state == SmsState.PERMANENT_FAILURE and sms.attempts == MAX_ATTEMPTS
    assert delays[1] < delays[2] < delays[3]


def test_a_number_the_provider_refuses_is_a_permanent_failure_at_once(sms_gateway):
    sms_gateway.refused_numbers.add(PHONE)
    write()
    sms_send_due()
    sms = Sms.objects.get()
    assert sms.state == SmsState.PERMANENT_FAILURE and sms.error == "MOBILE_NUMBER_ILLEGAL"


def test_a_worker_killed_between_sending_and_recording_does_not_send_twice(sms_gateway):
    write()
    [claimed] = sms_claim(batch=10)
    # The worker hands the SMS to the gateway, then dies before writing the answer down.
    gateway = HttpSmsGateway(sms_gateway.url, "test-key", "test-secret", "一网通办")
    first_id = gateway.send(
        phone=claimed.phone,
        template=claimed.template,
        params=claimed.params,
        key=str(claimed.idempotency_key),
    )
    assert sms_send_due() == 0  # still leased to the dead worker
    with time_machine.travel(timezone.now() + LEASE + timedelta(seconds=1)):
        assert sms_send_due() == 1
    sms = Sms.objects.get()
    assert sms.provider_id == first_id
    stats = sms_gateway.stats()
    assert (stats["messages"], stats["duplicates"]) == (1, 1)


def test_two_claims_never_hold_the_same_sms(sms_gateway):
    write(5)
    first = sms_claim(batch=3)
    second = sms_claim(batch=10)
    assert len(first) == 3 and len(second) == 2
    assert not {s.pk for s in first} & {s.pk for s in second}


@time_machine.travel(datetime(2026, 3, 2, 23, 30, tzinfo=SHANGHAI), tick=False)
def test_in_quiet_hours_an_sms_waits_until_eight(sms_gateway):
    [sms] = write()
    assert timezone.localtime(sms.not_before) == datetime(2026, 3, 3, 8, 0, tzinfo=SHANGHAI)
    assert sms_send_due() == 0
    with time_machine.travel(datetime(2026, 3, 3, 7, 59, tzinfo=SHANGHAI)):
        assert sms_send_due() == 0
    with time_machine.travel(datetime(2026, 3, 3, 8, 0, 1, tzinfo=SHANGHAI)):
        assert sms_send_due() == 1


@time_machine.travel(datetime(2026, 3, 3, 7, 10, tzinfo=SHANGHAI), tick=False)
def test_early_in_the_morning_an_sms_also_waits_until_eight_the_same_day(sms_gateway):
    [sms] = write()
    assert timezone.localtime(sms.not_before) == datetime(2026, 3, 3, 8, 0, tzinfo=SHANGHAI)


def test_a_wrong_secret_at_the_gateway_is_a_permanent_failure(sms_gateway, settings):
    settings.YIWANG_SMS_SECRET = "wrong"
    write()
    sms_send_due()
    assert Sms.objects.get().state == SmsState.PERMANENT_FAILURE
    assert sms_gateway.stats()["bad_signatures"] == 1


def test_a_receipt_that_comes_before_the_worker_records_the_send_still_settles_the_sms(client, sms_gateway):
    write()
    [claimed] = sms_claim(batch=10)
    gateway = HttpSmsGateway(sms_gateway.url, "test-key", "test-secret", "一网通办")
    gateway.send(
        phone=claimed.phone,
        template=claimed.template,
        params=claimed.params,
        key=str(claimed.idempotency_key),
    )
    # The gateway reports delivery while the worker has not yet written the provider's id down.
    assert post_receipts(client, sms_gateway.take_receipts()).json()["updated"] == 1
    sms = Sms.objects.get()
    assert sms.state == SmsState.DELIVERED and sms.provider_id
    # The worker's late record changes nothing that matters: still delivered, never sent again.
    assert sms_send_due() == 0
    with time_machine.travel(timezone.now() + LEASE + timedelta(minutes=5)):
        assert sms_send_due() == 0
    assert Sms.objects.get().state == SmsState.DELIVERED and sms_gateway.stats()["requests"] == 1


def test_a_failure_receipt_before_the_record_leaves_the_retry_under_its_new_key(client, sms_gateway):
    sms_gateway.switched_off.add(PHONE)
    write()
    [claimed] = sms_claim(batch=10)
    provider_id = HttpSmsGateway(sms_gateway.url, "test-key", "test-secret", "一网通办").send(
        phone=claimed.phone,
        template=claimed.template,
        params=claimed.params,
        key=str(claimed.idempotency_key),
    )
    post_receipts(client, sms_gateway.take_receipts())
    retry = Sms.objects.get()
    assert retry.state == SmsState.TEMPORARY_FAILURE and retry.idempotency_key != claimed.idempotency_key

    # The worker now records its send of the old key: that must not pair the old id with the new key.
    class Answered:
        def send(self, **kwargs: object) -> str:
            return provider_id

    sms_send(claimed, gateway=Answered())
    after = Sms.objects.get()
    assert after.provider_id == "" and after.state == SmsState.TEMPORARY_FAILURE
    sms_gateway.switched_off.clear()
    with time_machine.travel(after.not_before + timedelta(seconds=1)):
        assert sms_send_due() == 1
    post_receipts(client, sms_gateway.take_receipts())
    assert Sms.objects.get().state == SmsState.DELIVERED
