"""On a 375 px phone every item of the signed-in menu, 退出 included, is on screen and works."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.factories import make_citizen


def test_a_signed_in_citizen_can_see_and_tap_sign_out_on_a_phone(phone, transactional_db):
    citizen = make_citizen(name="张示范")
    sign_in(phone, citizen.username)

    menu = phone.get_by_role("navigation", name="主导航")
    sign_out = menu.get_by_role("button", name="退出")
    for item in menu.get_by_role("listitem").all():
        expect(item).to_be_in_viewport(ratio=1)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    sign_out.click()
    expect(menu.get_by_role("link", name="登录")).to_be_visible()
