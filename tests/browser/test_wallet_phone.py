"""我的证照 on a phone: the wallet's cards, with their masked numbers, status and links, fit 375 px."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.factories import make_citizen, make_department
from tests.licences.conftest import make_licence, make_licence_type
from yiwang.licences.services import licence_change_status

PHONE_WIDTH = 375

# Every licence number shown: an inline element broken over two lines has two boxes.
NUMBER_BOXES_JS = """() => Array.from(document.querySelectorAll('.wallet-card .app-number .nowrap'))
  .map((el) => [el.getClientRects().length, Math.ceil(el.getBoundingClientRect().right)])"""


def test_the_wallet_fits_a_phone_without_sideways_scrolling(phone):
    citizen = make_citizen(name="张示范")
    issuer = make_department(name="示范市公安局示范分局户政管理大队")
    id_card = make_licence_type(code="11100000YW000099XF001", name="居民身份证", validity_years=None)
    make_licence(citizen, licence_type=id_card, issuer=issuer, number=citizen.id_number, data={})
    today = timezone.localdate()
    make_licence(citizen, valid_from=today - timedelta(days=800), valid_until=today - timedelta(days=1))
    revoked = make_licence(citizen, number="JY13301000000009")
    licence_change_status(licence=revoked, status="03", reason="告知承诺不实，依法撤销行政许可决定")

    sign_in(phone, citizen.username, "/me/licences/")
    phone.goto("/me/licences/")

    expect(phone.locator(".wallet-card")).to_have_count(3)
    expect(phone.get_by_text("告知承诺不实，依法撤销行政许可决定")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    for boxes, right in phone.evaluate(NUMBER_BOXES_JS):
        assert boxes == 1 and right <= PHONE_WIDTH
