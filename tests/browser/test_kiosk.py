"""The kiosk in a real browser, by touch only: tiles and guides, keypad sign-in, idle sign-out, lockout."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from tests.kiosk.helpers import PIN, apply_and_accept, id_number_ending_in_x, kiosk_item, make_kiosk_citizen
from yiwang.kiosk.services import KioskLocked, kiosk_login

MIN_TARGET_PX = 56

SMALL_TARGETS_JS = """(min) => Array.from(document.querySelectorAll('a, button, input, [role=button]'))
  .filter((el) => el.offsetParent !== null)
  .map((el) => [el.textContent.trim() || el.name || el.tagName, el.getBoundingClientRect()])
  .filter(([, box]) => box.width < min || box.height < min)
  .map(([name, box]) => `${name} ${Math.round(box.width)}×${Math.round(box.height)}`)"""


def small_targets(page: Any) -> list[str]:
    return page.evaluate(SMALL_TARGETS_JS, MIN_TARGET_PX)


def tap_keys(page: Any, keys: str) -> None:
    for key in keys:
        page.locator(f'[data-keypad] [data-key="{key}"]').tap()


def test_home_tiles_are_large_and_lead_to_the_guide_by_touch(kiosk):
    kiosk_item(name="居民身份证挂失", materials=[{"name": "户口簿", "originals": 1}])
    kiosk_item(name="社会保障卡申领")

    kiosk.goto("/kiosk/")

    expect(kiosk.locator("[data-tile]")).to_have_count(2)
    assert small_targets(kiosk) == []
    kiosk.locator("[data-tile]", has_text="居民身份证挂失").tap()
    expect(kiosk.locator("h1")).to_have_text("居民身份证挂失")
    expect(kiosk.get_by_text("户口簿")).to_be_visible()
    expect(kiosk.get_by_text("原件 1 份")).to_be_visible()
    assert small_targets(kiosk) == []
    kiosk.locator("[data-back]").tap()
    expect(kiosk).to_have_url(re.compile(r"/kiosk/$"))


def test_keypad_sign_in_shows_the_citizens_applications_with_print_buttons(kiosk):
    citizen = make_kiosk_citizen(id_number=id_number_ending_in_x(900))
    application = apply_and_accept(citizen, kiosk_item(name="社会保障卡申领"))

    kiosk.goto("/kiosk/")
    kiosk.get_by_text("办件查询").tap()
    expect(kiosk).to_have_url(re.compile(r"/kiosk/login/"))
    assert small_targets(kiosk) == []
    x_key = kiosk.locator('[data-key="X"]')
    expect(x_key).to_be_disabled()  # X is only ever the 18th character
    tap_keys(kiosk, citizen.id_number[:17])
    expect(x_key).to_be_enabled()
    tap_keys(kiosk, "X")
    expect(kiosk.locator("[data-keypad-target=id]")).to_have_value(citizen.id_number)
    tap_keys(kiosk, PIN)  # the keypad moved on to the PIN by itself
    kiosk.locator(".k-login-submit").tap()

    expect(kiosk).to_have_url(re.compile(r"/kiosk/me/$"))
    row = kiosk.locator(f'[data-application="{application.number}"]')
    expect(row).to_contain_text("社会保障卡申领")
    expect(row.locator("[data-status]")).to_have_text("办理中")
    print_button = row.get_by_text("打印受理通知书")
    expect(print_button).to_be_visible()
    assert small_targets(kiosk) == []
    pdf = kiosk.request.get(print_button.get_attribute("data-print-url"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"


def test_idle_kiosk_counts_down_signs_out_returns_home_and_ends_the_session(kiosk, settings):
    citizen = make_kiosk_citizen()
    kiosk.goto("/kiosk/login/")
    kiosk.locator("[data-keypad-target=id]").fill(citizen.id_number)
    kiosk.locator("[data-keypad-target=pin]").fill(PIN)
    kiosk.locator(".k-login-submit").tap()
    expect(kiosk).to_have_url(re.compile(r"/kiosk/me/$"))
    session_key = next(c["value"] for c in kiosk.context.cookies() if c["name"] == "sessionid")

    settings.YIWANG_KIOSK_IDLE_SECONDS = 3
    kiosk.goto("/kiosk/me/")
    dialog = kiosk.locator("[data-idle-dialog]")
    expect(dialog).to_be_visible()  # the countdown before the end
    kiosk.locator("[data-idle-continue]").tap()  # 继续使用: the clock starts again
    expect(dialog).to_be_hidden()
    expect(kiosk).to_have_url(re.compile(r"/kiosk/me/$"))
    expect(dialog).to_be_visible()
    expect(kiosk).to_have_url(re.compile(r"/kiosk/\?bye=idle$"))

    expect(kiosk.locator("[data-bye]")).to_contain_text("长时间未操作")
    expect(kiosk.locator("[data-logout-form]")).to_have_count(0)
    assert not Session.objects.filter(session_key=session_key).exists()
    kiosk.goto("/kiosk/me/")
    expect(kiosk).to_have_url(re.compile(r"/kiosk/login/\?next="))


def test_five_wrong_pins_lock_the_kiosk_sign_in(kiosk):
    citizen = make_kiosk_citizen()
    kiosk.goto("/kiosk/login/")
    kiosk.locator("[data-keypad-target=id]").fill(citizen.id_number)

    for attempt in range(1, 6):
        kiosk.locator("[data-keypad-target=pin]").fill("135790")  # the keypad has its own test
        kiosk.locator(".k-login-submit").tap()
        message = "已锁定" if attempt == 5 else "身份证号码或密码不正确"
        expect(kiosk.locator("[data-login-error]")).to_contain_text(message)
        expect(kiosk.locator("[data-keypad-target=id]")).to_have_value(citizen.id_number)

    kiosk.locator("[data-keypad-target=pin]").tap()
    tap_keys(kiosk, PIN)
    kiosk.locator(".k-login-submit").tap()
    expect(kiosk.locator("[data-login-error]")).to_contain_text("已锁定")
    expect(kiosk.locator("[data-login-error]")).to_have_class(re.compile("k-error-locked"))
    with pytest.raises(KioskLocked):  # the lock is the ID number's, kept on the server
        kiosk_login(id_number=citizen.id_number, pin=PIN)
