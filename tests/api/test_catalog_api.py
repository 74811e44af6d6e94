"""The public catalog API of shared/API.md: search, guides, bundles, errors, OpenAPI."""

from __future__ import annotations

import pytest

from tests.factories import make_bundle, make_department, make_item
from yiwang.catalog import codes
from yiwang.catalog.services import (
    bundle_publish,
    item_version_new_draft,
    item_version_publish,
    item_version_update,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def passport_items():
    exit_entry = make_department(code="crj", name="示范市公安局出入境管理支队")
    return [
        make_item(department=exit_entry, name="普通护照签发", keywords="护照 出国"),
        make_item(department=exit_entry, name="普通护照换发", keywords="护照 换护照"),
        make_item(department=exit_entry, name="往来港澳通行证签发", keywords="港澳 通行证"),
    ]


def test_items_search_finds_passport_items(client, passport_items):
    body = client.get("/api/v1/items", {"q": "护照"}).json()
    assert body["count"] == 2
    assert {i["name"] for i in body["items"]} == {"普通护照签发", "普通护照换发"}
    assert body["next"] is None


def test_items_search_understands_a_sentence(client, passport_items):
    body = client.get("/api/v1/items", {"q": "我要办护照"}).json()
    assert {i["name"] for i in body["items"]} == {"普通护照签发", "普通护照换发"}


def test_items_list_only_published_items(client, passport_items):
    make_item(name="草稿护照事项", keywords="护照", publish=False)
    assert client.get("/api/v1/items", {"q": "护照"}).json()["count"] == 2


def test_items_filter_by_department_audience_and_depth(client, passport_items):
    other = make_item(
        name="企业设立登记", recipients="2", online_depth=codes.OnlineDepth.IV, visits=0, visit_reason=""
    )
    assert client.get("/api/v1/items", {"department": "crj"}).json()["count"] == 3
    assert [i["code"] for i in client.get("/api/v1/items", {"audience": "2"}).json()["items"]] == [
        other.item.code
    ]
    assert [i["code"] for i in client.get("/api/v1/items", {"online_depth": 4}).json()["items"]] == [
        other.item.code
    ]


def test_items_filter_by_four_ways_instant(client):
    instant = make_item(name="社会保障卡挂失", case_type=codes.CaseType.INSTANT, promised_limit_days=0)
    make_item(name="其他事项")
    body = client.get("/api/v1/items", {"way": "instant"}).json()
    assert [i["code"] for i in body["items"]] == [instant.item.code]


def test_items_are_paginated_with_a_next_link(client, settings):
    settings.YIWANG_PAGE_SIZE = 2
    for n in range(5):
        make_item(name=f"事项{n}")
    first = client.get("/api/v1/items").json()
    assert first["count"] == 5 and len(first["items"]) == 2
    assert first["next"].endswith("/api/v1/items?page=2")
    last = client.get("/api/v1/items", {"page": 3}).json()
    assert len(last["items"]) == 1 and last["next"] is None


def test_item_guide_returns_the_current_version_with_materials_steps_and_schema(client):
    version = make_item(
        name="食品经营许可",
        materials=[
            {"name": "食品经营许可申请书", "is_application_form": True},
            {"name": "营业执照", "source": codes.MaterialSource.LICENCE, "licence_type_code": "LT-BL"},
        ],
    )
    draft = item_version_new_draft(item=version.item)
    item_version_update(version=draft, promised_limit_days=3)
    item_version_publish(version=draft)
    body = client.get(f"/api/v1/items/{version.item.code}").json()
    assert body["version"] == 2 and body["promised_limit_days"] == 3
    assert [m["name"] for m in body["materials"]] == ["食品经营许可申请书", "营业执照"]
    assert body["materials"][0]["blank_form_url"] == f"/items/{version.item.code}/form/"
    assert body["materials"][0]["sample_url"] == f"/items/{version.item.code}/form/sample/"
    assert body["materials"][1]["source"] == {"code": "licence", "label": "电子证照共享获取"}
    assert [s["name"] for s in body["steps"]] == ["受理", "审查决定"]
    assert body["form_schema"]["required"] == ["applicant_name", "applicant_phone"]
    assert body["case_type"] == {"code": "2", "label": "承诺件"}


def test_unknown_item_is_404_with_error_body(client):
    response = client.get("/api/v1/items/NOPE")
    assert response.status_code == 404
    assert response.json() == {"code": "item_not_found", "message": "未找到该事项或事项未发布"}


def test_invalid_query_parameters_get_field_level_chinese_errors(client):
    response = client.get("/api/v1/items", {"page": "abc", "online_depth": 9, "audience": "7"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_failed"
    assert body["fields"]["page"] == ["须为整数"]
    assert body["fields"]["online_depth"] == ["不能大于 4"]
    assert body["fields"]["audience"][0].startswith("取值须为以下之一")


def test_departments_are_listed(client):
    make_department(code="tax", name="示范市税务局")
    body = client.get("/api/v1/departments").json()
    assert {"code": "tax", "name": "示范市税务局"}.items() <= body[0].items()


def test_bundle_detail_merges_the_form_and_unions_the_materials(client):
    shared = {"name": "居民身份证", "source": codes.MaterialSource.LICENCE, "licence_type_code": "LT-ID"}
    a = make_item(
        name="企业设立登记",
        promised_limit_days=1,
        statutory_limit_days=3,
        materials=[dict(shared), {"name": "公司章程"}],
    )
    b = make_item(name="印章刻制备案", promised_limit_days=1, materials=[dict(shared)])
    c = make_item(
        name="发票领用", promised_limit_days=1, materials=[dict(shared), {"name": "发票专用章印模"}]
    )
    bundle = make_bundle(
        a, b, c, requires={1: [0], 2: [0]}, code="qykb", name="企业开办", promised_limit_days=2
    )
    bundle_publish(bundle=bundle)

    listing = client.get("/api/v1/bundles").json()
    assert [(x["code"], x["member_count"]) for x in listing] == [("qykb", 3)]
    body = client.get("/api/v1/bundles/qykb").json()
    assert [m["item"]["name"] for m in body["members"]] == ["企业设立登记", "印章刻制备案", "发票领用"]
    assert body["members"][1]["requires"] == [{"item": a.item.code, "handover_fields": [], "note": ""}]
    assert sorted(body["form_schema"]["properties"]) == ["applicant_name", "applicant_phone"]
    names = [m["material"]["name"] for m in body["materials"]]
    assert names.count("居民身份证") == 1 and len(names) == 3
    id_card = next(m for m in body["materials"] if m["material"]["name"] == "居民身份证")
    assert id_card["needed_by"] == ["企业设立登记", "印章刻制备案", "发票领用"]
    assert body["critical_path_days"] == 2


def test_unpublished_bundle_is_404(client):
    bundle = make_bundle(make_item(), make_item(), code="draft-bundle")
    assert client.get(f"/api/v1/bundles/{bundle.code}").status_code == 404


def test_openapi_document_is_generated(client):
    body = client.get("/api/v1/openapi.json").json()
    assert {
        "/api/v1/items",
        "/api/v1/items/{code}",
        "/api/v1/bundles",
        "/api/v1/bundles/{code}",
        "/api/v1/departments",
    } <= set(body["paths"])
