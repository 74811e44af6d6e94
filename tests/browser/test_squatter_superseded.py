"""实名认证 in real browsers: someone registers with another person's ID number; they cannot see the
owner's licences; the owner registers too and verifies at the window; the squatter loses the number
and is told so."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.factories import make_id_number, make_service_point, make_staff
from tests.licences.conftest import make_licence_type
from yiwang.accounts.models import User
from yiwang.accounts.roles import StaffRole
from yiwang.licences.services import licence_create

OWNER_ID = make_id_number(515)
SQUATTER_PASSWORD = "Maoming-2026-x"
OWNER_PASSWORD = "Zhenren-2026-y"


def register(page: Any, name: str, mobile: str, password: str) -> None:
    page.goto("/accounts/register/")
    page.locator("#id_name").fill(name)
    page.locator("#id_id_number").fill(OWNER_ID)
    page.locator("#id_mobile").fill(mobile)
    page.locator("#id_password1").fill(password)
    page.locator("#id_password2").fill(password)
    page.get_by_role("button", name=re.compile("注册")).click()
    expect(page).to_have_url(re.compile(r"/me/applications/"))


def test_a_squatter_never_sees_the_owners_licences_and_is_superseded_at_the_window(
    new_page, transactional_db
):
    licence = licence_create(  # issued to the owner at a window years ago
        licence_type=make_licence_type(name="食品经营许可证"),
        issuer=make_staff(StaffRole.OFFICER).department,
        holder_name="王真人",
        holder_code=OWNER_ID,
        holder_code_type="111",
        data={},
    )

    squatter = new_page("phone")
    register(squatter, "李冒名", "13700000515", SQUATTER_PASSWORD)
    expect(squatter.locator(".identity-bar")).to_contain_text("账号未实名认证")
    squatter.goto("/me/licences/")
    expect(squatter.locator("main")).to_contain_text("须先完成实名认证")
    expect(squatter.locator("main")).not_to_contain_text(licence.number)

    owner = new_page("desktop")
    register(owner, "王真人", "13900000515", OWNER_PASSWORD)

    clerk = new_page("desktop")
    make_staff(StaffRole.WINDOW_CLERK, service_point=make_service_point(), username="clerk515")
    clerk.goto("/accounts/login/?next=/workbench/desk/")
    clerk.get_by_label("用户名").fill("clerk515")
    clerk.get_by_label("密码").fill("pw-Yiwang-2026")
    clerk.get_by_role("button", name="登录").click()
    clerk.get_by_label(re.compile("证件号码")).fill(OWNER_ID)
    clerk.get_by_label(re.compile("^姓名")).fill("王真人")  # read off the ID card the person hands over
    clerk.get_by_role("button", name="查询并确认办事人").click()
    accounts = clerk.locator("table", has_text="实名认证")
    expect(accounts).to_contain_text("李冒名")
    expect(accounts).to_contain_text("139****0515")
    accounts.locator("tr", has_text="王真人").get_by_role("button", name=re.compile("当面核验通过")).click()
    expect(clerk.locator("body")).to_contain_text("已为账号“王真人”完成窗口实名认证")

    owner.goto("/me/licences/")
    expect(owner.locator("main")).to_contain_text("食品经营许可证")

    squatter.goto("/me/licences/")  # signed out everywhere when the number went
    expect(squatter).to_have_url(re.compile(r"/accounts/login/"))
    squatter.get_by_label("用户名").fill("13700000515")
    squatter.get_by_label("密码").fill(SQUATTER_PASSWORD)
    squatter.get_by_role("button", name="登录").click()
    squatter.goto("/me/real-name/")
    expect(squatter.locator("main")).to_contain_text("已由号码本人实名认证")
    expect(squatter.locator("main")).not_to_contain_text(OWNER_ID)
    squatter.goto("/me/licences/")
    expect(squatter.locator("main")).not_to_contain_text("食品经营许可证")
    assert User.objects.get(name="李冒名").id_number is None
