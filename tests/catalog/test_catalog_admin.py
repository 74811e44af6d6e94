"""The Chinese admin for the catalog: lists, search, version history, publishing, import and export."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import make_item, make_staff
from yiwang.accounts.roles import StaffRole
from yiwang.catalog import codes
from yiwang.catalog.models import ItemVersion
from yiwang.catalog.services import item_version_new_draft, item_version_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog_admin(client):
    from django.contrib.auth.models import Permission

    user = make_staff(StaffRole.CATALOG_ADMIN, is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="catalog"))
    client.force_login(user)
    return client


def test_item_list_is_in_chinese_and_searchable(catalog_admin):
    make_item(name="普通护照签发")
    make_item(name="结婚登记")
    response = catalog_admin.get("/admin/catalog/serviceitem/", {"q": "护照"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "普通护照签发" in page and "结婚登记" not in page
    assert "导出 JSON" in page and "导出 Excel" in page and "导入目录" in page


def test_item_page_shows_the_version_history(catalog_admin):
    version = make_item(name="普通护照签发")
    draft = item_version_new_draft(item=version.item)
    page = catalog_admin.get(f"/admin/catalog/serviceitem/{version.item.pk}/change/").content.decode()
    assert "版本历史" in page and "第 1 版" in page and f"第 {draft.version} 版" in page


def test_published_version_is_read_only_in_the_admin(catalog_admin):
    version = make_item()
    response = catalog_admin.post(f"/admin/catalog/itemversion/{version.pk}/change/", {"name": "改名"})
    assert response.status_code == 403
    version.refresh_from_db()
    assert version.name == "测试事项"


def test_publish_action_publishes_a_valid_draft(catalog_admin):
    version = make_item()
    draft = item_version_new_draft(item=version.item)
    item_version_update(version=draft, promised_limit_days=3)
    response = catalog_admin.post(
        "/admin/catalog/itemversion/",
        {"action": "publish_drafts", "_selected_action": [draft.pk]},
        follow=True,
    )
    assert "已发布" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == codes.VersionStatus.PUBLISHED


def test_publish_action_reports_each_broken_rule(catalog_admin):
    version = make_item()
    draft = item_version_new_draft(item=version.item)
    ItemVersion.objects.filter(pk=draft.pk).update(promised_limit_days=99)
    response = catalog_admin.post(
        "/admin/catalog/itemversion/",
        {"action": "publish_drafts", "_selected_action": [draft.pk]},
        follow=True,
    )
    assert "承诺办结时限（99 个工作日）不得超过法定办结时限（20 个工作日）" in response.content.decode()


def test_export_json_and_excel_download(catalog_admin):
    make_item(name="普通护照签发")
    exported = catalog_admin.get("/admin/catalog/serviceitem/export.json")
    assert exported["Content-Disposition"].startswith("attachment;")
    assert json.loads(exported.content)["items"][0]["versions"][0]["name"] == "普通护照签发"
    workbook = catalog_admin.get("/admin/catalog/serviceitem/export.xlsx")
    assert workbook.content[:2] == b"PK"


def test_import_page_reports_problems_of_a_bad_file(catalog_admin):
    upload = SimpleUploadedFile(
        "catalog.json", b'{"format": "something-else"}', content_type="application/json"
    )
    response = catalog_admin.post("/admin/catalog/serviceitem/import/", {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert "不是事项目录导出文件" in page


def test_import_page_loads_an_exported_file(catalog_admin):
    make_item(name="普通护照签发")
    exported = catalog_admin.get("/admin/catalog/serviceitem/export.json").content
    upload = SimpleUploadedFile("catalog.json", exported, content_type="application/json")
    response = catalog_admin.post("/admin/catalog/serviceitem/import/", {"file": upload}, follow=True)
    assert "导入完成" in response.content.decode()


def test_calendar_admin_warns_about_years_without_the_state_councils_arrangement(catalog_admin):
    user = make_staff(StaffRole.CATALOG_ADMIN, is_staff=True, is_superuser=True)
    catalog_admin.force_login(user)
    import time_machine

    with time_machine.travel("2026-11-23 10:00 +0800", tick=False):
        page = catalog_admin.get("/admin/calendar/dayoverride/").content.decode()
    assert "2027 年的法定节假日已依《全国年节及纪念日放假办法》推算，但国务院的调休安排" in page


def test_a_new_item_gets_its_first_draft_in_the_admin(catalog_admin):
    from tests.factories import make_department, version_values
    from yiwang.catalog.models import ServiceItem

    item = ServiceItem.objects.create(code="NEW-001", department=make_department())
    values = version_values(name="新事项")
    form = {
        "item": item.pk,
        **{k: v for k, v in values.items() if k != "form_schema"},
        "form_schema": json.dumps(values["form_schema"]),
        "channels": ["1", "2"],  # checkboxes
        "recipients": ["1"],
        "change_note": "首版",
        "cross_region_scope": "0",
        "materials-TOTAL_FORMS": 0,
        "materials-INITIAL_FORMS": 0,
        "steps-TOTAL_FORMS": 0,
        "steps-INITIAL_FORMS": 0,
        "fees-TOTAL_FORMS": 0,
        "fees-INITIAL_FORMS": 0,
    }
    response = catalog_admin.post("/admin/catalog/itemversion/add/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    version = item.versions.get()
    assert (version.version, version.status, version.name) == (1, "draft", "新事项")
