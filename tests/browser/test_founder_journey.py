"""企业开办 in a real browser, as the founder walks it: a natural person fills one form for a company that
does not exist yet, five departments complete in parallel, and the founder switches to the new
company and finds its 营业执照 in the company's wallet."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.demo_slice import give_id_licence, load_demo_bundle
from tests.factories import make_citizen, make_id_number, make_service_point, make_staff
from yiwang.accounts.roles import StaffRole
from yiwang.cases.actions import dispatch
from yiwang.cases.models import Application

FOUNDER_ID = make_id_number(432)
PDF = {"name": "scan.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n% scan\n%%EOF\n"}


def choose_every_choice(page: Any) -> None:
    """The members' own choices (印章种类, 发票种类 …): the first option of each one left open."""
    page.evaluate(
        """() => {
          const form = document.getElementById('apply-form');
          form.querySelectorAll('select').forEach(s => {
            if (!s.value && s.options.length > 1) s.value = s.options[1].value;
          });
          const groups = {};
          form.querySelectorAll('input[type=radio][name^="f."], input[type=checkbox][name^="f."]').forEach(i => {
            (groups[i.name] = groups[i.name] || []).push(i);
          });
          Object.values(groups).forEach(g => {
            if (!g.some(i => i.checked) && !g[0].closest('[hidden]')) g[0].checked = true;
          });
        }"""
    )


def test_a_founder_starts_a_company_and_finds_its_business_licence_in_the_company_wallet(
    new_page, transactional_db
):
    bundle = load_demo_bundle("enterprise-start")
    founder = make_citizen(name="林创业", id_number=FOUNDER_ID, mobile="13900000432")
    give_id_licence(founder)  # the founder's own ID card: 免提交 for the legal representative's
    clerk = make_staff(StaffRole.WINDOW_CLERK, service_point=make_service_point())
    officers = {
        m.item.published_version.name: make_staff(StaffRole.OFFICER, department=m.item.department)
        for m in bundle.members.select_related("item__published_version", "item__department")
    }

    phone = new_page("phone")
    sign_in(phone, founder.username, "/apply/bundle/enterprise-start/")
    expect(phone.locator("h1")).to_contain_text("企业开办一件事")
    expect(phone.locator("body")).to_contain_text("拟设立企业")
    expect(phone.locator("#f-uscc")).to_have_count(0)  # the registration makes it: nobody types it
    expect(phone.get_by_label(re.compile("法定代表人公民身份号码"))).to_have_value(FOUNDER_ID)
    phone.get_by_label(re.compile("^\\*?企业名称")).fill("示范市青禾科技有限公司")
    phone.get_by_label(re.compile("注册资本")).fill("100")
    phone.get_by_label(re.compile("经营范围")).fill("软件开发；信息技术咨询服务")
    phone.get_by_label(re.compile("住所（经营场所）")).first.fill("示范市西湖区文三路100号")
    phone.locator('[name="f.shareholders.0.name"]').fill("林创业")
    phone.locator('[name="f.shareholders.0.id_number"]').fill(FOUNDER_ID)
    phone.locator('[name="f.shareholders.0.contribution"]').fill("100")
    choose_every_choice(phone)
    for row in phone.locator("li.material").all():
        taken_care_of = row.locator('input[value="licence"]:checked, input[value="online"]:checked')
        if row.locator(".badge-red").count() and not taken_care_of.count():
            upload = row.locator('input[type="radio"][value="upload"]')
            if upload.count():
                upload.check()
            row.locator('input[type="file"]').set_input_files(PDF)
            expect(row.locator(".upload-status")).to_contain_text("scan.pdf")
    phone.get_by_role("button", name="提交申请").click()
    expect(phone).to_have_url(re.compile(r"/me/applications/"))
    application = Application.objects.get()
    expect(phone.locator("body")).to_contain_text(application.number)

    # the window takes it in once; the registration, then four departments in parallel
    dispatch.application_act(actor=clerk, number=application.number, action="accept", body={})
    cases = {c.item_version.name: c.number for c in application.cases.select_related("item_version")}
    for name in ["企业设立登记", "住房公积金单位缴存登记", "印章刻制备案", "发票领用", "社会保险登记"]:
        for action in ("start_review", "approve", "complete"):
            dispatch.case_act(actor=officers[name], number=cases[name], action=action, body={})

    phone.goto("/me/licences/")
    phone.get_by_label("当前身份").select_option(label="企业：示范市青禾科技有限公司（法定代表人）")
    phone.get_by_role("button", name="切换").click()
    expect(phone.locator("body")).to_contain_text("已切换为企业身份")
    phone.goto("/me/licences/")
    wallet = phone.locator("main")
    expect(wallet).to_contain_text("营业执照")
    expect(wallet).to_contain_text("示范市市场监督管理局")
    phone.goto("/me/applications/")
    expect(phone.locator("main")).to_contain_text(application.number)
    expect(phone.locator("main")).to_contain_text("已办结")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page is {width} px wide on a 375 px phone"
