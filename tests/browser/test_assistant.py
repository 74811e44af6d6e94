"""智能客服 in a browser: a person on a phone asks in their own words, follows up twice and reaches the
application form; at the kiosk the same conversation in large type, linking the kiosk's guide."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.factories import make_citizen, make_item

PHONE_WIDTH = 375


def _id_card_item() -> Any:
    return make_item(
        name="居民身份证补领",
        keywords="身份证丢了",
        recipients="1",
        online_depth=3,
        promised_limit_days=20,
        place="市民中心一楼",
        hours="工作日 9:00-17:00",
    )


def test_a_phone_user_asks_follows_up_twice_and_reaches_the_application_form(phone):
    version = _id_card_item()
    make_item(name="普通护照签发", keywords="办护照", recipients="1")
    sign_in(phone, make_citizen().username)

    phone.goto("/")
    phone.get_by_role("link", name="智能客服").tap()
    phone.get_by_label("您的问题").fill("身份证丢了怎么办")
    phone.get_by_role("button", name="发送").tap()
    latest = phone.locator("[data-chat-message]").last
    expect(latest).to_contain_text("居民身份证补领")

    phone.get_by_role("button", name="要带什么材料").tap()
    expect(phone.locator("[data-chat-message]").last).to_contain_text("需要准备")
    phone.get_by_role("button", name="要多久").tap()
    expect(phone.locator("[data-chat-message]").last).to_contain_text("20 个工作日")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH

    phone.locator("[data-chat-apply]").last.tap()
    phone.wait_for_url(f"**/apply/item/{version.item.code}/")
    expect(phone.locator("h1")).to_contain_text("居民身份证补领")


def test_the_kiosk_assistant_answers_in_large_type_and_opens_the_kiosk_guide(kiosk):
    version = _id_card_item()

    kiosk.goto("/kiosk/")
    kiosk.get_by_role("link", name="智能客服").tap()
    kiosk.get_by_label("您的问题").fill("身分证掉了")
    kiosk.get_by_role("button", name="发送").tap()
    expect(kiosk.locator("[data-chat-message]").last).to_contain_text("居民身份证补领")
    size = kiosk.locator(".k-chat-message").last.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    assert size >= 24

    kiosk.get_by_role("link", name="查看办事指南").last.tap()
    kiosk.wait_for_url(f"**/kiosk/items/{version.item.code}/")
