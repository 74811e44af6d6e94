"""Catalog import/export: JSON round-trips exactly, Excel too; import is idempotent and all-or-nothing."""

from __future__ import annotations

import copy
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from tests.factories import make_bundle, make_department, make_item
from yiwang.catalog import codes
from yiwang.catalog.models import Bundle, Department, Fee, ItemVersion, Material, ServiceItem, ServicePoint
from yiwang.catalog.services import bundle_publish, item_version_new_draft
from yiwang.catalog.transfer.excel import catalog_to_xlsx, xlsx_to_catalog
from yiwang.catalog.transfer.exporting import catalog_export
from yiwang.catalog.transfer.importing import catalog_import
from yiwang.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db


def build_catalog() -> dict:
    department = make_department(code="amr", name="示范市市场监督管理局")
    point = ServicePoint.objects.create(
        code="centre",
        name="示范市市民中心",
        kind=codes.ServicePointKind.CENTRE,
        region_code="330102",
        address="市民街1号",
        office_hours="工作日 9:00-17:00",
    )
    point.departments.add(department)
    first = make_item(
        department=department,
        code="AMR-001",
        name="企业设立登记",
        promised_limit_days=1,
        statutory_limit_days=3,
        charges_fee=True,
        fee_basis="国家规定",
        fees=[{"name": "执照副本工本费", "amount": Decimal("10.50"), "basis": "国家规定"}],
        materials=[
            {"name": "居民身份证", "source": codes.MaterialSource.LICENCE, "licence_type_code": "LT-ID"},
            {"name": "住所使用证明", "pledge_allowed": True, "pledge_text": "本人承诺……"},
        ],
    )
    second = make_item(department=department, code="AMR-002", name="印章刻制备案")
    item_version_new_draft(item=first.item, change_note="草稿")
    bundle = make_bundle(first, second, requires={1: [0]}, code="start-business", name="企业开办")
    bundle.members.get(item=second.item).dependencies.update(handover_fields=["uscc"])
    bundle_publish(bundle=bundle)
    return catalog_export()


def wipe() -> None:
    Bundle.objects.all().delete()
    ServiceItem.objects.update(published_version=None)
    ItemVersion.objects.all().delete()
    ServiceItem.objects.all().delete()
    ServicePoint.objects.all().delete()
    Department.objects.all().delete()


def test_json_export_import_round_trip_is_exact():
    exported = build_catalog()
    wipe()
    catalog_import(json.loads(json.dumps(exported)))
    assert catalog_export() == exported


def test_excel_export_import_round_trip_is_exact():
    exported = build_catalog()
    workbook = catalog_to_xlsx(exported)
    wipe()
    catalog_import(xlsx_to_catalog(workbook))
    assert catalog_export() == exported


def test_excel_round_trip_keeps_formula_like_text_as_text():
    build_catalog()
    ItemVersion.objects.filter(item__code="AMR-001").update(
        summary='=HYPERLINK("http://evil.example/","点击")'
    )
    Fee.objects.update(unit="-")
    Material.objects.filter(name="住所使用证明").update(pledge_text="+本人承诺……")
    ServicePoint.objects.update(office_hours="@工作日 9:00-17:00")
    exported = catalog_export()

    workbook = catalog_to_xlsx(exported)
    cells = [
        cell
        for sheet in load_workbook(io.BytesIO(workbook)).worksheets
        for row in sheet.iter_rows(min_row=3)
        for cell in row
        if isinstance(cell.value, str) and cell.value[:1] in "=+-@"
    ]
    wipe()
    catalog_import(xlsx_to_catalog(workbook))

    assert catalog_export() == exported
    assert {cell.value for cell in cells} >= {'=HYPERLINK("http://evil.example/","点击")', "-", "+本人承诺……"}
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in cells), "written as text, not formulas"


def test_importing_the_same_file_twice_changes_nothing():
    exported = build_catalog()
    counts = catalog_import(copy.deepcopy(exported))
    assert counts == {"departments": 0, "service_points": 0, "items": 0, "versions": 0, "bundles": 0}
    assert catalog_export() == exported


def test_import_refuses_to_change_a_published_version_and_writes_nothing():
    exported = build_catalog()
    changed = copy.deepcopy(exported)
    changed["items"][0]["versions"][0]["name"] = "偷改的名称"
    changed["departments"][0]["name"] = "改名的部门"
    with pytest.raises(ValidationFailed) as caught:
        catalog_import(changed)
    assert caught.value.fields["items[0].versions[0]"] == [
        "AMR-001 第 1 版已发布，内容不可修改；请以新版本号导入"
    ]
    assert catalog_export() == exported


def test_a_revising_import_publishes_a_changed_version_as_the_next_one_once():
    exported = build_catalog()
    revised = copy.deepcopy(exported)
    row = next(v for v in revised["items"][0]["versions"] if v["status"] == "published")
    row["keywords"] = "开公司 营业证"

    counts = catalog_import(revised, revise=True)

    item = ServiceItem.objects.get(code="AMR-001")
    current = item.published_version
    assert counts["versions"] == 1
    assert (current.version, current.keywords, current.change_note) == (3, "开公司 营业证", "目录修订")
    assert item.versions.get(version=1).status == codes.VersionStatus.RETIRED, "never changed, only retired"
    assert catalog_import(copy.deepcopy(revised), revise=True)["versions"] == 0, (
        "a second run changes nothing"
    )


def test_import_reports_duplicate_item_codes_in_the_file():
    exported = build_catalog()
    wipe()
    exported["items"].append(copy.deepcopy(exported["items"][0]))
    with pytest.raises(ValidationFailed) as caught:
        catalog_import(exported)
    assert caught.value.fields["items[2].code"] == ["实施编码 AMR-001 在文件中重复"]
    assert not ServiceItem.objects.exists()


def test_import_reports_duplicate_material_codes():
    exported = build_catalog()
    wipe()
    materials = exported["items"][1]["versions"][0]["materials"]
    materials.append(dict(materials[0], name="户口簿"))
    with pytest.raises(ValidationFailed) as caught:
        catalog_import(exported)
    assert caught.value.fields["items[1].versions[0].materials"] == ["材料编码重复：M01"]


def test_import_applies_publish_rules_to_published_versions():
    exported = build_catalog()
    wipe()
    exported["items"][1]["versions"][0]["promised_limit_days"] = 99
    with pytest.raises(ValidationFailed) as caught:
        catalog_import(exported)
    assert caught.value.fields["items[1].versions[0].promised_limit_days"] == [
        "承诺办结时限（99 个工作日）不得超过法定办结时限（20 个工作日）"
    ]
    assert not Department.objects.exists()


def test_import_rejects_a_bundle_cycle():
    exported = build_catalog()
    wipe()
    members = exported["bundles"][0]["members"]
    members[0]["requires"] = [{"item": members[1]["item"], "handover_fields": [], "note": ""}]
    with pytest.raises(ValidationFailed) as caught:
        catalog_import(exported)
    assert caught.value.fields["bundles[0].dependencies"][0].startswith("前置关系存在循环")


def test_import_rejects_invalid_department_uscc():
    exported = build_catalog()
    wipe()
    exported["departments"][0]["uscc"] = exported["departments"][0]["uscc"][:-1] + "0"
    with pytest.raises(ValidationFailed) as caught:
        catalog_import(exported)
    assert "departments[0].uscc" in caught.value.fields


def test_import_rejects_a_file_that_is_not_a_catalog():
    with pytest.raises(ValidationFailed) as caught:
        catalog_import({"hello": "world"})
    assert caught.value.code == "catalog_import_format"


def test_excel_import_rejects_a_file_that_is_not_a_workbook():
    with pytest.raises(ValidationFailed) as caught:
        xlsx_to_catalog(b"not a workbook")
    assert caught.value.fields == {"file": ["不是有效的 Excel（.xlsx）文件"]}


def test_export_and_import_commands_round_trip(tmp_path):
    exported = build_catalog()
    target = tmp_path / "catalog.json"
    call_command("catalog_export", "-o", str(target))
    wipe()
    call_command("catalog_import", str(target))
    assert catalog_export() == exported


def test_import_reports_a_mangled_structure_instead_of_crashing():
    document = {
        "format": "yiwang.catalog",
        "format_version": 1,
        "departments": "oops",
        "items": [{"code": "X", "versions": [1]}],
    }
    with pytest.raises(ValidationFailed) as caught:
        catalog_import(document)
    assert caught.value.fields == {"departments": ["应为数组"], "items[0].versions[0]": ["应为 JSON 对象"]}


def test_import_reports_wrongly_typed_rows_field_by_field():
    exported = build_catalog()
    wipe()
    exported["items"][0]["versions"][0]["materials"][0]["order"] = "第一"
    exported["items"][0]["versions"][0]["steps"][0]["limit_days"] = -1
    with pytest.raises(ValidationFailed) as caught:
        catalog_import(exported)
    assert "items[0].versions[0].materials[0].order" in caught.value.fields
    assert not ServiceItem.objects.exists()
