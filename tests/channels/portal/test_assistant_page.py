"""The portal's 智能客服 page works without JavaScript: a question is a POST, the conversation stays in
the session, a bad message gets a form error, and 重新开始 begins a new conversation."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import make_item

pytestmark = pytest.mark.django_db

URL = reverse("portal:assistant")


def test_a_question_and_a_follow_up_are_shown_in_order(client):
    make_item(name="居民身份证补领", keywords="身份证丢了", recipients="1", promised_limit_days=20)

    assert client.post(URL, {"text": "身份证丢了怎么办"}).status_code == 302
    client.post(URL, {"text": "要多久"})
    page = client.get(URL).content.decode()

    assert (
        page.index("身份证丢了怎么办")
        < page.index("您要办的应该是事项“居民身份证补领”")
        < page.index("20 个工作日")
    )


def test_an_empty_or_overlong_message_gets_a_form_error_and_keeps_the_conversation(client):
    make_item(name="居民身份证补领", keywords="身份证丢了")
    client.post(URL, {"text": "身份证丢了"})

    empty = client.post(URL, {"text": "  "})
    too_long = client.post(URL, {"text": "证" * 201})

    assert empty.status_code == 422 and too_long.status_code == 422
    assert "身份证丢了" in too_long.content.decode()


def test_starting_again_forgets_the_conversation(client):
    make_item(name="居民身份证补领", keywords="身份证丢了")
    client.post(URL, {"text": "身份证丢了"})

    client.post(URL, {"restart": "1"})

    assert "居民身份证补领" not in client.get(URL).content.decode()
