"""The demo city answers what people asked in their own words (issue 17): through `GET /api/v1/items`
and `GET /api/v1/bundles`. The rules themselves are tested on small catalogs in
tests/catalog/test_search_words.py."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def item_names(client, q: str) -> list[str]:
    return [i["name"] for i in client.get("/api/v1/items", {"q": q}).json()["items"]]


def bundle_names(client, q: str = "") -> list[str]:
    return [b["name"] for b in client.get("/api/v1/bundles", {"q": q}).json()]


def test_the_demo_city_answers_the_questions_people_asked_in_their_own_words(client):
    assert item_names(client, "身份证换证")[0] == "居民身份证换领"
    assert "企业设立登记" in item_names(client, "营业证")
    assert "企业设立登记" in item_names(client, "我要办营业证")
    assert bundle_names(client, "退休")[0] == "退休一件事"
