"""The admin's 事项版本 change page fits a 1,366 px laptop screen: no sideways scrolling."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.factories import make_item, make_staff
from yiwang.accounts.roles import StaffRole
from yiwang.catalog.services import item_version_new_draft

PASSWORD = "pw-Yiwang-2026"


def test_the_version_change_page_fits_1366_px(desktop, transactional_db):
    from django.contrib.auth.models import Permission

    admin = make_staff(StaffRole.CATALOG_ADMIN, is_staff=True, username="catalog")
    admin.user_permissions.set(Permission.objects.filter(content_type__app_label="catalog"))
    version = make_item(
        materials=[{"name": "居民身份证", "licence_type_code": "LT-ID"}, {"name": "近期正面免冠彩色照片"}],
        fees=[
            {"name": "居民身份证工本费", "amount": "20", "unit": "元/证", "basis": "发改价格〔2003〕2322号"}
        ],
    )
    draft = item_version_new_draft(item=version.item)
    desktop.goto("/admin/login/")
    desktop.get_by_label("用户名").fill("catalog")
    desktop.get_by_label("密码").fill(PASSWORD)
    desktop.get_by_role("button", name="登录").click()

    desktop.goto(f"/admin/catalog/itemversion/{draft.pk}/change/")

    expect(desktop.get_by_role("checkbox", name="窗口办理")).to_be_checked()
    assert desktop.evaluate("document.documentElement.scrollWidth") <= 1366
