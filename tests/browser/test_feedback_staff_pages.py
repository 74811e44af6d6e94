"""The staff side of 好差评 and 诉求 in a browser: the window's 评价器 — a tablet facing the person at the
desk, woken by the clerk's invitation — and the hotline operator typing a caller's request, on a
desktop and on a 375 px phone."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.factories import make_department, make_service_point, make_staff
from yiwang.accounts.roles import StaffRole
from yiwang.feedback.models import Rating, ServiceRequest


def _fits(page: Any, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{page.url} scrolls sideways"


def test_the_clerk_invites_and_the_person_at_the_desk_rates_on_the_window_tablet(new_page, transactional_db):
    department = make_department(code="zwfw", name="示范市政务服务管理办公室")
    clerk = make_staff(
        StaffRole.WINDOW_CLERK,
        department=department,
        service_point=make_service_point(code="centre"),
        name="王窗口",
    )
    desk, tablet = new_page("desktop"), new_page("kiosk")
    sign_in(tablet, clerk.username, then="/workbench/evaluator/")
    expect(tablet.get_by_text("办理完成后，请在这里对本次服务进行评价")).to_be_visible()

    sign_in(desk, clerk.username, then="/workbench/desk/")
    desk.get_by_role("button", name="请办事人评价").click()
    expect(desk.get_by_text("已请办事人在窗口评价器上评价本次服务")).to_be_visible()

    # The idle tablet looks again every few seconds and shows the invitation.
    expect(tablet.get_by_role("heading", name="请您对本次服务进行评价")).to_be_visible(timeout=8_000)
    expect(tablet.get_by_text("王**")).to_be_visible()
    expect(tablet.get_by_text("服务热情周到")).to_be_hidden()  # options appear with their level
    tablet.locator("label.ev-level-5").tap()
    tablet.get_by_label("服务热情周到").tap()
    tablet.locator('input[name="ind-attitude"][value="5"]').check()
    tablet.get_by_role("button", name="提交评价").tap()
    expect(tablet.get_by_text("感谢您的评价！")).to_be_visible()

    rating = Rating.objects.get()
    assert (rating.scope, rating.channel, rating.level, rating.options) == ("visit", "tablet", 5, ["517"])
    assert rating.rater is None and rating.staff == clerk
    assert rating.indicators == {"attitude": 5, "overall": 5}


def test_the_hotline_operator_types_a_callers_complaint_and_reads_back_the_code(new_page, transactional_db):
    centre = make_department(code="zwfw", name="示范市政务服务管理办公室")
    operator = make_staff(StaffRole.HOTLINE_OPERATOR, department=centre, name="刘坐席")
    for kind, width in (("phone", 375), ("desktop", 1366)):
        page = new_page(kind)
        sign_in(page, operator.username, then="/workbench/hotline/")
        expect(page.get_by_role("heading", name="热线受理")).to_be_visible()
        _fits(page, width)
        page.get_by_label("投诉").check()
        page.get_by_label("诉求内容").fill(
            "来电人反映小区门口的饭店每天晚上油烟很大，窗户都不敢开，希望有人管一管"
        )
        page.get_by_label("来电人姓名").fill("孙女士")
        page.get_by_label("联系电话").fill("13700001111")
        page.get_by_role("button", name="受理").click()
        expect(page.locator(".alert-ok")).to_contain_text("查询码")
        _fits(page, width)
    made = ServiceRequest.objects.filter(channel="hotline").order_by("received_at")
    assert made.count() == 2
    assert all(r.taken_by == operator and r.submitter is None and r.contact_name == "孙女士" for r in made)
    assert made.last().number in page.content()
