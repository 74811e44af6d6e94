"""我的消息 and the workbench's 消息: the inbox pages, opening (and so reading) a message, 全部标为已读,
the unread count in every page's header, and the citizen's SMS choices."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import make_citizen, make_company
from yiwang.cases.deadline_scan import deadline_scan
from yiwang.notifications.kinds import CITIZEN_SMS_KINDS
from yiwang.notifications.models import Message, MessageKind, SmsPreference
from yiwang.notifications.services import notify

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _monday_morning() -> Iterator[None]:
    """Accepted on Monday 2026-03-02, the world's item is due 2026-03-16 (red from the 17th)."""
    with time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)):
        yield


def accepted(world) -> tuple[str, str]:
    """The citizen's application, accepted by the officer: (application number, case number)."""
    body = world.apply().json()
    case = body["cases"][0]["number"]
    assert world.officer.act(case, "accept").status_code == 200
    return body["number"], case


def the_message(user, kind: str = MessageKind.CASE_ACCEPTED) -> Message:
    return Message.objects.get(recipient=user, kind=kind)


def html_of(response) -> str:
    return response.content.decode()


# The portal inbox


def test_the_inbox_lists_my_messages_newest_first_with_the_unread_marked(client, world):
    _, case = accepted(world)
    notify(
        kind=MessageKind.CASE_EXTENDED,
        recipient=world.citizen.user,
        title="办理期限延长：食品经营许可",
        body="延长",
    )
    older = the_message(world.citizen.user)
    older.read_at = older.created_at
    older.save(update_fields=["read_at"])
    client.force_login(world.citizen.user)

    html = html_of(client.get("/me/messages/"))

    assert html.index("办理期限延长：食品经营许可") < html.index("已受理：食品经营许可")
    assert html.count('class="inbox-item is-unread"') == 1
    assert f"/me/messages/{older.pk}/" in html and case in html


def test_the_inbox_shows_only_unread_when_asked(client, world):
    accepted(world)
    notify(
        kind=MessageKind.CASE_EXTENDED,
        recipient=world.citizen.user,
        title="办理期限延长：某事项",
        body="延长",
    )
    Message.objects.filter(kind=MessageKind.CASE_ACCEPTED).update(
        read_at=datetime(2026, 3, 2, tzinfo=SHANGHAI)
    )
    client.force_login(world.citizen.user)

    html = html_of(client.get("/me/messages/?unread=1"))

    assert "办理期限延长：某事项" in html and "已受理：食品经营许可" not in html


def test_the_inbox_is_paginated(client, world, settings):
    settings.YIWANG_PAGE_SIZE = 2
    for n in range(3):
        notify(kind=MessageKind.CASE_ACCEPTED, recipient=world.citizen.user, title=f"消息{n}", body="正文")
    client.force_login(world.citizen.user)

    first = html_of(client.get("/me/messages/"))
    second = html_of(client.get("/me/messages/?page=2"))

    assert "消息2" in first and "消息1" in first and "消息0" not in first
    assert "第 1 / 2 页" in first and "消息0" in second


def test_the_inbox_is_my_own(client, world):
    accepted(world)
    client.force_login(make_citizen())

    html = html_of(client.get("/me/messages/"))

    assert "已受理" not in html and "还没有消息" in html


def test_opening_a_message_marks_it_read_and_leads_to_the_application(client, world):
    number, _ = accepted(world)
    message = the_message(world.citizen.user)
    client.force_login(world.citizen.user)

    response = client.get(f"/me/messages/{message.pk}/")

    message.refresh_from_db()
    assert response.status_code == 200 and message.read_at is not None
    assert f'href="/me/applications/{number}/"' in html_of(response)
    assert client.get(f"/me/applications/{number}/").status_code == 200


def test_someone_elses_message_is_not_found(client, world):
    accepted(world)
    message = the_message(world.citizen.user)
    client.force_login(make_citizen())

    response = client.get(f"/me/messages/{message.pk}/")

    assert response.status_code == 404 and "未找到该消息" in html_of(response)
    message.refresh_from_db()
    assert message.read_at is None


@pytest.mark.parametrize("message_id", ["999999", str(2**70)])
def test_a_message_that_does_not_exist_is_not_found(client, world, message_id):
    client.force_login(world.citizen.user)

    assert client.get(f"/me/messages/{message_id}/").status_code == 404


def test_a_link_off_the_site_is_not_offered(client, world):
    message = notify(
        kind=MessageKind.CASE_ACCEPTED,
        recipient=world.citizen.user,
        title="t",
        body="b",
        link="//evil.example/",
    )
    assert message is not None
    client.force_login(world.citizen.user)

    html = html_of(client.get(f"/me/messages/{message.pk}/"))

    assert "evil.example" not in html and "查看办件进度" not in html


def test_mark_all_read_marks_every_message_of_mine_and_no_one_elses(client, world):
    accepted(world)
    other = make_citizen()
    notify(kind=MessageKind.CASE_EXTENDED, recipient=world.citizen.user, title="延长", body="延长")
    theirs = notify(kind=MessageKind.CASE_EXTENDED, recipient=other, title="延长", body="延长")
    client.force_login(world.citizen.user)

    response = client.post("/me/messages/read-all/", follow=True)

    assert "已将 2 条消息标为已读" in html_of(response)
    assert not Message.objects.filter(recipient=world.citizen.user, read_at__isnull=True).exists()
    assert theirs is not None and Message.objects.get(pk=theirs.pk).read_at is None


def test_mark_all_read_is_a_post_with_a_csrf_token(world):
    accepted(world)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.citizen.user)

    assert client.get("/me/messages/read-all/").status_code == 405
    assert client.post("/me/messages/read-all/").status_code == 403
    assert Message.objects.filter(read_at__isnull=True).count() == 1


def test_a_company_reads_its_own_inbox(client):
    company = make_company()
    notify(kind=MessageKind.CASE_COMPLETED, recipient=company, title="已办结：设立登记", body="已办结")
    client.force_login(company)

    assert "已办结：设立登记" in html_of(client.get("/me/messages/"))


# The unread count in the header


def test_the_header_shows_the_unread_count_on_every_page(client, world):
    number, _ = accepted(world)
    client.force_login(world.citizen.user)

    for url in ("/", "/me/applications/", f"/me/applications/{number}/", "/me/security/"):
        html = html_of(client.get(url))
        assert 'aria-label="1 条未读消息"' in html, url

    client.get(f"/me/messages/{the_message(world.citizen.user).pk}/")
    assert "条未读消息" not in html_of(client.get("/me/applications/"))


def test_the_header_count_is_one_count_query_and_none_for_anonymous_visitors(client, world):
    accepted(world)

    with CaptureQueriesContext(connection) as anonymous:
        client.get("/")
    client.force_login(world.citizen.user)
    with CaptureQueriesContext(connection) as signed_in:
        client.get("/")

    inbox = [q["sql"] for q in signed_in.captured_queries if "notifications_message" in q["sql"]]
    assert len(inbox) == 1 and "COUNT(" in inbox[0].upper()
    assert not [q for q in anonymous.captured_queries if "notifications_message" in q["sql"]]


def test_large_counts_are_shortened_but_read_out_in_full(client, world):
    for n in range(100):
        notify(kind=MessageKind.CASE_ACCEPTED, recipient=world.citizen.user, title=f"消息{n}", body="正文")
    client.force_login(world.citizen.user)

    html = html_of(client.get("/"))

    assert 'aria-label="100 条未读消息">99+<' in html


# SMS choices


def test_the_sms_settings_offer_every_citizen_kind_all_on_by_default(client, world):
    client.force_login(world.citizen.user)

    html = html_of(client.get("/me/messages/settings/"))

    for kind in CITIZEN_SMS_KINDS:
        assert f'value="{kind}" checked' in html and MessageKind(kind).label in html
    assert "站内信" in html


def test_unchecked_kinds_are_saved_as_not_wanted_by_sms(client, world):
    client.force_login(world.citizen.user)
    wanted = [MessageKind.CASE_ACCEPTED, MessageKind.CASE_COMPLETED]

    response = client.post("/me/messages/settings/", {"sms": wanted}, follow=True)

    assert "短信通知设置已保存" in html_of(response)
    preference = SmsPreference.objects.get(user=world.citizen.user)
    assert set(preference.muted) == set(CITIZEN_SMS_KINDS) - set(wanted)
    html = html_of(client.get("/me/messages/settings/"))
    assert f'value="{MessageKind.CASE_ACCEPTED}" checked' in html
    assert f'value="{MessageKind.CASE_REFUSED}" checked' not in html


def test_an_unknown_kind_is_refused_with_a_form_error(client, world):
    client.force_login(world.citizen.user)

    response = client.post("/me/messages/settings/", {"sms": [MessageKind.CASE_ACCEPTED, "lottery"]})

    assert response.status_code == 422
    assert "未知的消息类型：lottery" in html_of(response) and 'role="alert"' in html_of(response)
    assert not SmsPreference.objects.exists()


# Who may open the pages


@pytest.mark.parametrize(
    "url", ["/me/messages/", "/me/messages/1/", "/me/messages/settings/", "/workbench/messages/"]
)
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)

    assert response.status_code == 302 and response["Location"] == f"/accounts/login/?next={url}"


def test_staff_are_sent_from_the_portal_inbox_to_their_workbench_inbox(client, world):
    client.force_login(world.officer.user)

    assert client.get("/me/messages/")["Location"] == "/workbench/messages/"
    assert client.get("/me/messages/7/")["Location"] == "/workbench/messages/7/"


def test_applicants_are_refused_the_workbench_inbox(client, world):
    client.force_login(world.citizen.user)

    assert client.get("/workbench/messages/").status_code == 403


# The workbench inbox


def test_an_officer_reads_a_deadline_warning_and_goes_to_the_case(client, world):
    _, case = accepted(world)
    deadline_scan(now=datetime(2026, 3, 17, 9, 30, tzinfo=SHANGHAI))
    warning = the_message(world.officer.user, MessageKind.DEADLINE_RED)
    client.force_login(world.officer.user)

    listed = html_of(client.get("/workbench/messages/"))
    opened = client.get(f"/workbench/messages/{warning.pk}/")

    assert f"超期：{case}" in listed and 'aria-label="1 条未读消息"' in listed
    warning.refresh_from_db()
    assert opened.status_code == 200 and warning.read_at is not None
    assert f'href="/workbench/cases/{case}/"' in html_of(opened)
    assert "条未读消息" not in html_of(client.get(f"/workbench/cases/{case}/"))


def test_the_head_gets_the_summary_linking_to_the_queue(client, world):
    accepted(world)
    deadline_scan(now=datetime(2026, 3, 17, 9, 30, tzinfo=SHANGHAI))
    summary = the_message(world.head.user, MessageKind.DAILY_SUMMARY)
    client.force_login(world.head.user)

    html = html_of(client.get(f"/workbench/messages/{summary.pk}/"))

    assert 'href="/workbench/queue/"' in html and "查看部门办件" in html


def test_a_colleagues_warning_is_not_found_on_the_workbench(client, world):
    accepted(world)
    deadline_scan(now=datetime(2026, 3, 17, 9, 30, tzinfo=SHANGHAI))
    warning = the_message(world.officer.user, MessageKind.DEADLINE_RED)
    client.force_login(world.other_officer.user)

    assert client.get(f"/workbench/messages/{warning.pk}/").status_code == 404


def test_an_officer_marks_all_read(client, world):
    accepted(world)
    deadline_scan(now=datetime(2026, 3, 17, 9, 30, tzinfo=SHANGHAI))
    client.force_login(world.officer.user)

    response = client.post("/workbench/messages/read-all/", follow=True)

    assert "已将 1 条消息标为已读" in html_of(response)
    assert not Message.objects.filter(recipient=world.officer.user, read_at__isnull=True).exists()
