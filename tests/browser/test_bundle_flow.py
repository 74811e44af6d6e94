"""The whole journey in real browsers: a citizen applies for a bundle on a phone, the window clerk takes
it in, an officer completes a member case, and the citizen sees the progress."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.factories import (
    make_bundle,
    make_citizen,
    make_department,
    make_item,
    make_service_point,
    make_staff,
)
from yiwang.accounts.roles import StaffRole
from yiwang.cases.models import Application
from yiwang.catalog.services import bundle_publish

FORM_ONLY = [{"name": "申请表", "is_application_form": True}]


def test_citizen_applies_clerk_accepts_officer_completes_citizen_sees_progress(new_page, transactional_db):
    health = make_department(code="wjw", name="示范区卫生健康委员会")
    police = make_department(code="gahz", name="示范区公安户政")
    certificate = make_item(
        department=health, name="出生医学证明首次签发", promised_limit_days=2, materials=FORM_ONLY
    )
    registration = make_item(department=police, name="出生登记", promised_limit_days=3, materials=FORM_ONLY)
    bundle_publish(
        bundle=make_bundle(
            certificate,
            registration,
            requires={1: [0]},
            code="newborn",
            name="新生儿出生一件事",
            promised_limit_days=5,
        )
    )
    citizen = make_citizen(name="张示范")
    point = make_service_point(code="centre", name="示范市市民中心")
    make_staff(StaffRole.WINDOW_CLERK, service_point=point, username="clerk")
    make_staff(StaffRole.OFFICER, department=health, username="officer")

    phone = new_page("phone")
    sign_in(phone, citizen.username, "/apply/bundle/newborn/")
    expect(phone.locator("h1")).to_contain_text("新生儿出生一件事")
    phone.get_by_label(re.compile("申请人姓名")).fill("张示范")
    phone.get_by_label(re.compile("联系电话")).fill("13800000000")
    phone.get_by_role("button", name="提交申请").click()
    expect(phone).to_have_url(re.compile(r"/me/applications/"))
    number = Application.objects.get().number
    expect(phone.locator("body")).to_contain_text(number)

    clerk = new_page("desktop")
    sign_in(clerk, "clerk", f"/workbench/applications/{number}/")
    clerk.get_by_role("button", name=re.compile("整体受理")).click()
    expect(clerk.locator("body")).to_contain_text("已受理")

    case = Application.objects.get().cases.get(item_version=certificate).number
    officer = new_page("desktop")
    sign_in(officer, "officer", f"/workbench/cases/{case}/")
    officer.get_by_role("button", name="开始审查").click()
    officer.locator("summary", has_text="准予").click()
    officer.get_by_label("审批意见（可选）").fill("材料齐全，符合条件")
    officer.get_by_role("button", name="准予").click()
    officer.get_by_role("button", name="办结", exact=True).click()
    expect(officer.locator("body")).to_contain_text("已办结")

    phone.goto(f"/me/applications/{number}/")
    body = phone.locator("body")
    expect(body).to_contain_text("出生医学证明首次签发")
    expect(body).to_contain_text("已办结")
    expect(body).to_contain_text("出生登记")
    expect(body).to_contain_text("已受理")  # the member that waited now runs on its own clock
