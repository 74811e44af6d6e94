"""Catalog search matches a question by its words and by what people call an item (常用叫法/别名), and
finds the 一件事 a question is about: through `GET /api/v1/items`, `GET /api/v1/bundles` and the portal."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import make_bundle, make_item
from yiwang.catalog.services import bundle_publish
from yiwang.catalog.transfer.excel import catalog_to_xlsx
from yiwang.catalog.transfer.exporting import catalog_export

pytestmark = pytest.mark.django_db


def item_names(client, q: str) -> list[str]:
    return [i["name"] for i in client.get("/api/v1/items", {"q": q}).json()["items"]]


def bundle_names(client, q: str = "") -> list[str]:
    return [b["name"] for b in client.get("/api/v1/bundles", {"q": q}).json()]


# ---- the rules, on small catalogs ------------------------------------------------------------


def test_a_question_matches_by_its_words_not_as_one_string(client):
    make_item(name="居民身份证换领", keywords="身份证到期")

    assert item_names(client, "身份证到期了怎么办") == ["居民身份证换领"]
    assert item_names(client, "到期 身份证") == ["居民身份证换领"]


def test_items_with_more_of_the_words_come_first(client):
    make_item(name="居民身份证补领", keywords="身份证丢了")
    make_item(name="居民身份证换领", keywords="身份证换证 身份证到期")
    make_item(name="残疾人证换领", keywords="残疾证换证")

    assert item_names(client, "身份证换证") == ["居民身份证换领", "居民身份证补领", "残疾人证换领"]


def test_name_matches_rank_above_keyword_matches(client):
    make_item(name="往来港澳通行证签发", keywords="护照以外的出境证件")
    make_item(name="普通护照签发", keywords="出国")

    assert item_names(client, "护照") == ["普通护照签发", "往来港澳通行证签发"]


def test_a_single_character_ranks_answers_but_does_not_make_one(client):
    make_item(name="普通护照换发", keywords="换护照")
    make_item(name="居民身份证换领", keywords="换身份证")
    make_item(name="居民身份证首次申领", keywords="办身份证")

    # “换” alone is in half the catalog: it orders the 身份证 items, it does not bring in 护照.
    assert item_names(client, "我要换身份证") == ["居民身份证换领", "居民身份证首次申领"]


def test_a_bundle_matches_by_its_member_items_aliases(client):
    company = make_item(name="企业设立登记", keywords="营业证 开公司")
    seal = make_item(name="印章刻制备案", keywords="刻章")
    bundle_publish(bundle=make_bundle(company, seal, code="qykb", name="企业开办一件事", summary="一次办好"))
    bundle_publish(bundle=make_bundle(make_item(), make_item(), code="other", name="其他一件事"))

    assert bundle_names(client, "营业证") == ["企业开办一件事"]
    assert bundle_names(client, "刻章") == ["企业开办一件事"]
    assert sorted(bundle_names(client)) == ["企业开办一件事", "其他一件事"]


def test_a_bundle_named_by_the_question_comes_before_one_that_only_contains_it(client):
    retire = make_item(name="职工退休审批", keywords="办退休")
    pension = make_item(name="职工基本养老保险待遇申领", keywords="退休金")
    bundle_publish(
        bundle=make_bundle(retire, pension, code="care", name="养老服务一件事", summary="养老一次办", order=1)
    )
    bundle_publish(
        bundle=make_bundle(retire, pension, code="retire", name="退休一件事", summary="退休一次办", order=2)
    )

    assert bundle_names(client, "退休") == ["退休一件事", "养老服务一件事"]


def test_portal_search_shows_matching_bundles_above_the_items(client):
    retire = make_item(name="职工退休审批", keywords="办退休")
    pension = make_item(name="职工基本养老保险待遇申领", keywords="退休金")
    bundle_publish(bundle=make_bundle(retire, pension, code="retirement", name="退休一件事"))
    bundle_publish(
        bundle=make_bundle(make_item(name="出生登记"), make_item(), code="newborn", name="新生儿出生一件事")
    )

    html = client.get(reverse("channels:home"), {"q": "退休"}).content.decode()

    results = html[html.index('id="results"') :]
    assert "退休一件事" in results and "新生儿出生一件事" not in html
    assert results.index("退休一件事") < results.index("职工退休审批")
    assert re.search(r'<h3 class="item-name"><a [^>]*>职工退休审批</a>', results)


def test_aliases_are_edited_in_the_admin_and_travel_with_the_catalog(client):
    from django.contrib.auth.models import Permission

    from tests.factories import make_staff
    from yiwang.accounts.roles import StaffRole
    from yiwang.catalog.services import item_version_new_draft

    version = make_item(name="居民身份证换领", keywords="身份证换证 换身份证")
    draft = item_version_new_draft(item=version.item)
    admin = make_staff(StaffRole.CATALOG_ADMIN, is_staff=True)
    admin.user_permissions.set(Permission.objects.filter(content_type__app_label="catalog"))
    client.force_login(admin)

    page = client.get(reverse("admin:catalog_itemversion_change", args=[draft.pk])).content.decode()
    exported = catalog_export()
    sheet = load_workbook(io.BytesIO(catalog_to_xlsx(exported)))["事项版本"]

    assert "常用叫法/别名" in page and 'name="keywords" value="身份证换证 换身份证"' in page
    assert {v["keywords"] for i in exported["items"] for v in i["versions"]} == {"身份证换证 换身份证"}
    keys = [cell.value for cell in sheet[2]]
    assert sheet.cell(1, keys.index("keywords") + 1).value == "常用叫法/别名"
