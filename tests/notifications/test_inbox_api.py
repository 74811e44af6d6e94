"""`/api/v1/me/messages`: a person's own messages, newest first, with the unread count; reading one."""

from __future__ import annotations

import pytest

from tests.cases.helpers import ApiUser
from tests.factories import make_citizen
from yiwang.notifications.models import MessageKind
from yiwang.notifications.services import notify

pytestmark = pytest.mark.django_db


def message(user, title: str):
    return notify(kind=MessageKind.CASE_ACCEPTED, recipient=user, title=title, body=f"{title}。", link="/me/")


def test_the_inbox_lists_own_messages_newest_first_with_the_unread_count(client):
    me = ApiUser(client, make_citizen())
    other = make_citizen()
    message(me.user, "第一条")
    message(me.user, "第二条")
    message(other, "别人的")
    body = me.get("/me/messages").json()
    assert [m["title"] for m in body["items"]] == ["第二条", "第一条"]
    assert (body["count"], body["unread"]) == (2, 2)
    assert body["items"][0]["kind_label"] == "受理通知" and body["items"][0]["read"] is False


def test_reading_a_message_marks_it_and_lowers_the_count_and_anothers_is_a_404(client):
    me = ApiUser(client, make_citizen())
    mine = message(me.user, "我的")
    theirs = message(make_citizen(), "别人的")
    response = me.post(f"/me/messages/{mine.pk}/read", {})
    assert response.status_code == 200 and response.json()["read"] is True
    assert me.get("/me/messages").json()["unread"] == 0
    refused = me.post(f"/me/messages/{theirs.pk}/read", {})
    assert refused.status_code == 404 and refused.json()["code"] == "message_not_found"
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_and_the_unread_filter(client):
    me = ApiUser(client, make_citizen())
    for n in range(3):
        message(me.user, f"消息{n}")
    assert len(me.get("/me/messages", {"unread": "true"}).json()["items"]) == 3
    assert me.post("/me/messages/read-all", {}).json() == {"marked": 3}
    assert me.get("/me/messages", {"unread": "true"}).json()["items"] == []


def test_the_inbox_needs_a_signed_in_caller(client):
    assert client.get("/api/v1/me/messages").status_code == 401
