"""Catalog search answers a question in people's words, through `GET /api/v1/items?q=` and the engine
both the search box and the assistant use."""

from __future__ import annotations

import pytest

from tests.factories import make_bundle, make_item
from yiwang.assistant.selectors import search
from yiwang.catalog.services import bundle_publish, item_version_new_draft, item_version_publish

pytestmark = pytest.mark.django_db


def item_names(client, q: str) -> list[str]:
    return [i["name"] for i in client.get("/api/v1/items", {"q": q}).json()["items"]]


def test_a_homophone_typed_by_mistake_still_finds_the_item(client):
    make_item(name="居民身份证补领", keywords="身份证丢了")
    make_item(name="住房公积金提取", keywords="取公积金")

    assert item_names(client, "身分证丢了怎么办") == ["居民身份证补领"]
    assert item_names(client, "公基金怎么取出来")[0] == "住房公积金提取"


def test_a_situation_finds_the_item_through_the_synonym_table(client):
    make_item(name="居民身份证补领", keywords="")
    make_item(name="居民身份证换领", keywords="")

    assert item_names(client, "身份证丢了")[0] == "居民身份证补领"
    assert item_names(client, "身份证过期了")[0] == "居民身份证换领"


def test_a_publication_is_searchable_at_once_without_a_restart(client):
    make_item(name="普通护照签发")
    assert item_names(client, "无犯罪记录证明") == []

    version = make_item(name="无犯罪记录证明开具", publish=False)
    assert item_names(client, "无犯罪记录证明") == []
    item_version_publish(version=version)

    assert item_names(client, "无犯罪记录证明") == ["无犯罪记录证明开具"]


def test_a_new_version_is_found_by_its_new_words(client):
    version = make_item(name="特种设备使用登记", keywords="电梯登记")
    assert item_names(client, "锅炉投用") == []

    draft = item_version_new_draft(item=version.item)
    draft.keywords = "电梯登记 锅炉投用"
    draft.save()
    item_version_publish(version=draft)

    assert item_names(client, "锅炉投用") == ["特种设备使用登记"]


def test_a_life_event_ranks_its_bundle_beside_the_items():
    death = make_item(name="死亡登记", keywords="")
    cancel = make_item(name="户口注销", keywords="销户")
    bundle_publish(
        bundle=make_bundle(death, cancel, code="after-death", name="身后一件事", summary="亲人离世后一次办")
    )

    found = [(h.entry.kind, h.entry.name) for h in search("家里老人去世了要办什么")]

    assert ("bundle", "身后一件事") in found[:2]
    assert ("item", "死亡登记") in found[:2]


def test_a_question_the_catalog_does_not_cover_finds_nothing(client):
    make_item(name="普通护照签发", keywords="出国 办护照")

    assert item_names(client, "今天天气怎么样") == []
    assert item_names(client, "怎么办狩猎证") == []


def test_a_catalog_word_inside_a_longer_name_still_counts():
    setup = make_item(name="企业设立登记", keywords="", recipients="2")
    social = make_item(
        name="社会保险登记",
        keywords="",
        recipients="2",
        summary="新设立的用人单位办理参保登记，企业开办时同步办理",
    )
    bundle_publish(bundle=make_bundle(setup, social, code="qykb", name="企业开办一件事", recipients="2"))

    assert search("我想开个公司")[0].entry.name == "企业设立登记"
