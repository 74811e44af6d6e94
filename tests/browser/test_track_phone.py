"""办件进度查询 on a phone: a walk-in applicant scans the notice's QR code, or types the number on the
home page, then the last four characters of the ID number, and reads the progress on a 375 px screen."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.factories import make_citizen
from tests.kiosk.helpers import apply_and_accept, kiosk_item

PHONE_WIDTH = 375

# Every application and case number shown: an inline element broken over two lines has two boxes.
NUMBER_BOXES_JS = """() => Array.from(document.querySelectorAll('.track-number'))
  .map((el) => [el.textContent.trim(), el.getClientRects().length, Math.ceil(el.getBoundingClientRect().right)])"""


def _walk_in_application() -> tuple[Any, Any]:
    """An application taken in and accepted, whose item has the long name real items often have."""
    citizen = make_citizen()
    version = kiosk_item(name="食品经营许可证核发（仅销售预包装食品）备案及变更登记")
    return citizen, apply_and_accept(citizen, version)


def _assert_fits_the_phone(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    for text, boxes, right in page.evaluate(NUMBER_BOXES_JS):
        assert boxes == 1, f"{text} breaks over {boxes} lines"
        assert right <= PHONE_WIDTH, f"{text} runs off the screen"


def _enter_suffix_and_see_progress(page: Any, citizen: Any, application: Any) -> None:
    page.get_by_label("申请人证件号码后 4 位").fill(citizen.id_number[-4:])
    page.get_by_role("button", name="查询进度").tap()
    expect(page.locator("[data-track-result]")).to_be_visible()
    expect(page.get_by_text("当前状态：")).to_contain_text("办理中")
    expect(page.locator("[data-track-number]")).to_have_text(application.number)
    case_number = application.cases.get().number
    expect(page.locator(".track-cases .track-number")).to_have_text(case_number)
    expect(page.locator(".timeline")).to_contain_text("受理")


def test_the_notice_url_opens_on_a_phone_and_shows_the_progress_without_sideways_scrolling(phone):
    citizen, application = _walk_in_application()

    phone.goto(f"/track/{application.number}/")
    _assert_fits_the_phone(phone)
    _enter_suffix_and_see_progress(phone, citizen, application)

    _assert_fits_the_phone(phone)
    assert len(phone.evaluate(NUMBER_BOXES_JS)) == 2, "the application's number and its one case's"


def test_the_home_page_lookup_box_leads_to_the_progress(phone):
    citizen, application = _walk_in_application()

    phone.goto("/")
    box = phone.locator("[data-track-box]")
    expect(box).to_be_visible()
    _assert_fits_the_phone(phone)
    box.get_by_label("申办编号").fill(application.number)
    box.get_by_role("button", name="查询").tap()

    expect(phone).to_have_url(re.compile(r"/track/\?number="))
    expect(phone.get_by_label("申办编号")).to_have_value(application.number)
    expect(phone.get_by_label("申请人证件号码后 4 位")).to_be_focused()
    _enter_suffix_and_see_progress(phone, citizen, application)
    _assert_fits_the_phone(phone)
