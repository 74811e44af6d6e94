"""消息 in the browser: a citizen whose applications were accepted sees the unread count in the header,
opens a message, follows it to the application, and the count goes down; the inbox pages fit a 375 px
phone and a 1366 px desktop without sideways scrolling, on the portal and the workbench."""

from __future__ import annotations

import re
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.factories import make_citizen, make_department, make_item, make_staff
from tests.kiosk.helpers import apply
from yiwang.accounts.roles import StaffRole
from yiwang.calendar.selectors import next_working_day
from yiwang.cases.actions.dispatch import case_act
from yiwang.cases.deadline_scan import deadline_scan
from yiwang.cases.models import Application
from yiwang.notifications.models import Message

LONG_NAME = "食品经营许可证核发（仅销售预包装食品）备案及变更登记"


def _accepted_applications(citizen: Any, officer: Any, count: int = 2) -> list[Application]:
    """`count` applications of the citizen, each accepted by the department's officer."""
    version = make_item(department=officer.department, name=LONG_NAME)
    applications = []
    for _ in range(count):
        application = apply(citizen, version)
        for case in application.cases.all():
            case_act(actor=officer, number=case.number, action="accept", body={})
        applications.append(application)
    return applications


def _officer() -> Any:
    return make_staff(StaffRole.OFFICER, department=make_department(name="示范市市场监督管理局"))


def _fits(page: Any) -> None:
    width = page.evaluate("window.innerWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{page.url} scrolls sideways"


def test_a_citizen_opens_the_acceptance_message_on_a_phone_and_reaches_the_application(phone):
    citizen = make_citizen(name="张示范")
    first, _ = _accepted_applications(citizen, _officer())
    header = phone.locator(".site-nav")

    sign_in(phone, citizen.username, "/me/applications/")
    expect(header.get_by_label("2 条未读消息")).to_have_text("2")
    _fits(phone)

    header.get_by_role("link", name="消息 2 条未读消息").tap()
    expect(phone).to_have_url(re.compile(r"/me/messages/$"))
    expect(phone.locator(".inbox-item.is-unread")).to_have_count(2)
    _fits(phone)

    message = Message.objects.get(recipient=citizen, link=f"/me/applications/{first.number}/")
    phone.locator(f'a[href="/me/messages/{message.pk}/"]').tap()
    expect(phone.get_by_role("heading", level=1)).to_have_text(f"已受理：{LONG_NAME}")
    expect(header.get_by_label("1 条未读消息")).to_be_visible()
    _fits(phone)

    phone.get_by_role("link", name="查看办件进度").tap()
    expect(phone).to_have_url(re.compile(rf"/me/applications/{first.number}/$"))
    expect(phone.get_by_role("heading", level=1)).to_have_text(first.title)
    expect(header.get_by_label("1 条未读消息")).to_have_text("1")
    _fits(phone)


def test_the_portal_inbox_pages_fit_a_phone_and_a_desktop(new_page):
    citizen = make_citizen()
    _accepted_applications(citizen, _officer(), count=1)
    message = Message.objects.get(recipient=citizen)

    for kind in ("phone", "desktop"):
        page = new_page(kind)
        sign_in(page, citizen.username, "/me/messages/")
        for url in (
            "/me/messages/",
            f"/me/messages/{message.pk}/",
            "/me/messages/settings/",
            "/me/applications/",
        ):
            page.goto(url)
            _fits(page)


def test_the_workbench_inbox_fits_a_phone_and_a_desktop(new_page):
    officer = _officer()
    [application] = _accepted_applications(make_citizen(), officer, count=1)
    overdue = next_working_day(application.cases.get().promised_due)
    deadline_scan(now=datetime.combine(overdue, time(10), tzinfo=ZoneInfo("Asia/Shanghai")))
    warning = Message.objects.get(recipient=officer)

    for kind in ("phone", "desktop"):
        page = new_page(kind)
        sign_in(page, officer.username, "/workbench/messages/")
        expect(page.locator(".wb-header").get_by_label("1 条未读消息")).to_be_visible()
        _fits(page)
        page.get_by_role("link", name=warning.title).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(warning.title)
        _fits(page)
        warning.read_at = None
        warning.save(update_fields=["read_at"])
