"""好差评 on a phone: the citizen opens the rating link of the 办结 SMS / inbox message on a 375 px screen,
taps 非常不满意, ticks a reason, writes a line, submits, and reads the confirmation with the department's
promise to call back — no sign-in, and nothing wider than the screen on the way."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.channels.feedback_helpers import ended_case
from yiwang.feedback.models import BadRatingTask, Rating
from yiwang.notifications.models import Message, MessageKind

PHONE_WIDTH = 375
# The phone fixture is a small touch screen; a phone's browser also says so in its User-Agent.
PHONE_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Mobile Safari/537.36"
)


def _fits(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH, (
        f"{page.url} scrolls sideways"
    )


def test_a_citizen_rates_very_dissatisfied_from_the_sms_link_on_a_phone(phone, transactional_db):
    case = ended_case()
    message = Message.objects.get(kind=MessageKind.CASE_COMPLETED, subject=case.number)

    phone.set_extra_http_headers({"User-Agent": PHONE_AGENT})
    phone.goto(message.link)  # /rate/<办件编号>/?t=… as the SMS and the inbox carry it
    expect(phone.get_by_role("heading", level=1)).to_have_text("评价本次服务")
    expect(phone.get_by_text(case.item_version.name)).to_be_visible()
    # With script, the reasons appear only once a level is chosen.
    expect(phone.get_by_text("无理由超过法定办理时间")).to_be_hidden()
    _fits(phone)

    phone.locator(".level-choice", has_text=re.compile(r"^\s*★☆☆☆☆\s*非常不满意\s*$")).tap()
    reason = phone.get_by_label("无理由超过法定办理时间")
    expect(reason).to_be_visible()
    expect(phone.get_by_label("办事指南内容不清楚")).to_be_hidden()  # another level's reasons
    reason.tap()
    expect(reason).to_be_checked()
    phone.get_by_label("想说的话").fill("承诺 5 个工作日，实际等了两周才办结。")
    _fits(phone)
    phone.get_by_role("button", name="提交评价").tap()

    expect(phone.get_by_role("status").first).to_contain_text("感谢您的评价")
    done = phone.locator("[data-rating-done]")
    expect(done).to_contain_text("非常不满意")
    expect(done).to_contain_text("无理由超过法定办理时间")
    expect(done).to_contain_text("承诺 5 个工作日，实际等了两周才办结。")
    expect(phone.locator("[data-rating-progress]")).to_contain_text("部门将在 1 个工作日内与您联系核实")
    expect(phone.get_by_role("button", name="提交评价")).to_have_count(0)
    _fits(phone)

    rating = Rating.objects.get(case=case)
    assert (rating.level, rating.options, rating.channel) == (1, ["110"], "mobile")
    assert rating.rater == case.application.applicant_user
    assert BadRatingTask.objects.filter(rating=rating, status="callback").exists()
