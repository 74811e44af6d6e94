"""智能客服 through `POST /api/v1/assistant/messages`: answers come from the catalog only, follow-ups are
about the current service, it asks 个人 or 企业 once when that matters, and it declines, logging the
question without identifiers, when the catalog has no answer."""

from __future__ import annotations

import io
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from tests.factories import make_item
from yiwang.assistant.models import Conversation, UnansweredQuestion

pytestmark = pytest.mark.django_db

URL = "/api/v1/assistant/messages"


def ask(client, text: str, conversation: str | None = None, **extra):
    response = client.post(
        URL, {"text": text, "conversation": conversation, **extra}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def id_card_items():
    lost = make_item(
        name="居民身份证补领",
        keywords="身份证丢了",
        recipients="1",
        promised_limit_days=20,
        statutory_limit_days=60,
        place="市民中心一楼",
        hours="工作日 9:00-17:00",
        enquiry_phone="0571-12345678",
        online_depth=3,
        materials=[
            {"name": "近期免冠照片", "source": "onsite", "required": False, "required_note": "窗口现场采集"},
            {"name": "户口簿", "source": "licence", "licence_type_code": "11100000MB0143028Y001"},
        ],
    )
    make_item(name="普通护照签发", keywords="办护照 出国", recipients="1")
    return lost


def test_a_question_is_answered_with_the_service_and_why_it_matches(client, id_card_items):
    reply = ask(client, "身份证丢了怎么办")

    assert reply["kind"] == "answer"
    assert reply["service"]["name"] == "居民身份证补领"
    assert reply["choices"][0]["why"]
    assert "居民身份证补领" in reply["text"]


def test_follow_ups_are_about_the_current_service(client, id_card_items):
    first = ask(client, "身份证丢了怎么办")
    conversation = first["conversation"]

    materials = ask(client, "那要带什么", conversation)
    time = ask(client, "要多久", conversation)
    where = ask(client, "在哪里办", conversation)

    assert materials["topic"] == "materials" and materials["service"]["code"] == id_card_items.item.code
    assert (
        "户口簿：免提交" in materials["text"] and "近期免冠照片（视情况）：到现场时采集" in materials["text"]
    )
    assert "20 个工作日" in time["text"] and "法定时限 60 个工作日" in time["text"]
    assert "市民中心一楼" in where["text"] and "工作日 9:00-17:00" in where["text"]


def test_it_says_whether_the_service_can_be_done_online_with_the_link(client, id_card_items):
    conversation = ask(client, "身份证丢了")["conversation"]

    online = ask(client, "能网上办吗", conversation)

    assert "可以网上申请" in online["text"]
    assert online["service"]["online"]["apply_url"] == f"/apply/item/{id_card_items.item.code}/"


def test_it_asks_once_whether_a_person_or_a_company_applies_when_that_matters(client):
    make_item(name="个人住房公积金提取", keywords="提取公积金", recipients="1")
    make_item(name="单位住房公积金缴存登记", keywords="公积金开户 缴存公积金", recipients="2")

    reply = ask(client, "公积金怎么办")
    assert reply["kind"] == "clarify"
    assert [o["value"] for o in reply["options"]] == ["person", "legal"]

    answered = ask(client, "企业", reply["conversation"])
    assert answered["kind"] == "answer"
    assert answered["service"]["name"] == "单位住房公积金缴存登记"


def test_what_the_catalog_does_not_cover_is_declined_and_kept_without_identifiers(client, id_card_items):
    reply = ask(client, "今天天气怎么样 我电话13800001234 证号330102199003071230")

    assert reply["kind"] == "decline"
    assert "12345" in reply["text"]
    kept = UnansweredQuestion.objects.get()
    assert "13800001234" not in kept.text and "330102199003071230" not in kept.text
    assert "[手机号]" in kept.text and "[身份证号]" in kept.text

    ask(client, "今天天气怎么样 我电话13800001234 证号330102199003071230")
    kept.refresh_from_db()
    assert kept.times_asked == 2


def test_bad_input_gets_a_field_error_not_a_500(client):
    empty = client.post(URL, {"text": ""}, content_type="application/json")
    unknown = client.post(
        URL,
        {"text": "身份证", "conversation": "00000000-0000-0000-0000-000000000000"},
        content_type="application/json",
    )

    assert empty.status_code == 422
    assert unknown.status_code == 404 and unknown.json()["code"] == "conversation_not_found"


def test_a_script_asking_without_pause_is_throttled(client, id_card_items):
    from yiwang.assistant.conversation import MESSAGE_RULE

    for _ in range(MESSAGE_RULE.limit):
        client.post(URL, {"text": "护照"}, content_type="application/json")
    response = client.post(URL, {"text": "护照"}, content_type="application/json")

    assert response.status_code == 429 and response.json()["code"] == "assistant_throttled"


def test_old_conversations_are_purged_and_the_unanswered_questions_stay(client, id_card_items):
    with time_machine.travel(timezone.now() - timedelta(days=31)):
        ask(client, "明天会下雨吗")
    recent = ask(client, "身份证丢了")["conversation"]

    out = io.StringIO()
    call_command("assistant_purge", stdout=out)

    assert list(Conversation.objects.values_list("pk", flat=True)) == [uuid.UUID(recent)]
    assert UnansweredQuestion.objects.filter(text="明天会下雨吗").exists()
    assert "1" in out.getvalue()
