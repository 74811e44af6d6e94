"""The item guide promises only what the platform does: its ways (window, online application, kiosk,
results by post), no booking and no online payment; fees printed once, in words people use."""

from __future__ import annotations

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from tests.factories import make_item
from yiwang.catalog import codes, presenters

pytestmark = pytest.mark.django_db

ID_FEE_BASIS = (
    "《国家发展改革委 财政部关于第二代居民身份证收费标准及有关问题的通知》（发改价格〔2003〕2322号）"
)


def guide(client, version):
    return client.get(reverse("channels:item_guide", args=[version.item.code]))


def id_card_renewal(**overrides):
    values = dict(
        name="居民身份证换领",
        channels="1^2^3^4",
        online_depth=codes.OnlineDepth.III,
        supports_booking=True,
        bookings_per_day=200,
        booking_rules="可提前1至7个工作日预约",
        supports_online_payment=True,
        supports_courier=True,
        supports_kiosk=True,
        charges_fee=True,
        fee_basis=ID_FEE_BASIS,
        fees=[{"name": "居民身份证工本费", "amount": "20.00", "unit": "元/证", "basis": ID_FEE_BASIS}],
    )
    values.update(overrides)
    return make_item(**values)


def test_guide_lists_the_ways_the_platform_offers(client):
    response = guide(client, id_card_renewal())

    for way in ("窗口办理：", "网上申请：", "自助终端：", "邮寄送达："):
        assertContains(response, way)


def test_guide_never_offers_booking_or_online_payment(client):
    response = guide(client, id_card_renewal())

    for promise in ("预约", "网上支付：支持", "在线支付", "快递申请"):
        assertNotContains(response, promise)
    assertContains(response, "现场缴费")


def test_guide_lists_no_kiosk_or_post_for_an_item_without_them(client):
    version = id_card_renewal(
        channels="1", online_depth=codes.OnlineDepth.I, supports_courier=False, supports_kiosk=False
    )

    response = guide(client, version)

    assertContains(response, "窗口办理：")
    for way in ("网上申请：", "自助终端：", "邮寄送达："):
        assertNotContains(response, way)


def test_guide_describes_online_depth_ii_without_booking(client):
    response = guide(client, id_card_renewal(online_depth=codes.OnlineDepth.II))

    assertContains(response, "Ⅱ级 在线预审")
    assertNotContains(response, "网上预约")


def test_the_api_guide_keeps_the_national_booking_and_payment_fields(client):
    version = id_card_renewal()

    body = client.get(f"/api/v1/items/{version.item.code}").json()

    assert body["supports_booking"] is True and body["bookings_per_day"] == 200
    assert body["supports_online_payment"] is True
    assert [c["code"] for c in body["channels"]] == ["1", "2", "3", "4"]


def test_a_fee_unit_that_already_says_yuan_is_not_given_another(client):
    response = guide(client, id_card_renewal())

    assertContains(response, "<strong>20 元/证</strong>", html=False)
    assertNotContains(response, "元/元")


def test_a_fee_unit_without_yuan_gets_it(client):
    version = id_card_renewal(
        fees=[{"name": "普通护照", "amount": "120.00", "unit": "本", "basis": ID_FEE_BASIS}]
    )

    assertContains(guide(client, version), "<strong>120 元/本</strong>", html=False)


@pytest.mark.parametrize(
    ("amount", "unit", "text"),
    [
        ("20.00", "元/证", "20 元/证"),
        ("12.50", "本", "12.5 元/本"),
        ("60", "", "60 元"),
        ("10", "/副", "10 元/副"),
    ],
)
def test_fee_text_says_yuan_once(amount, unit, text):
    assert presenters.fee_text(amount, unit) == text


def test_a_fee_basis_shared_by_the_item_and_its_fees_is_printed_once(client):
    version = id_card_renewal(fee_basis=f"{ID_FEE_BASIS}；城市低保对象首次申领的免收。")

    response = guide(client, version)

    assertContains(response, ID_FEE_BASIS, count=1)
    assertContains(response, "城市低保对象首次申领的免收")


def test_fees_with_different_bases_each_show_their_own(client):
    version = id_card_renewal(
        fee_basis="见各收费项目",
        fees=[
            {"name": "机动车号牌工本费", "amount": "100", "unit": "元/副", "basis": "发改价格〔2004〕2831号"},
            {"name": "机动车行驶证工本费", "amount": "10", "unit": "元/本", "basis": "价费字〔1992〕240号"},
        ],
    )

    response = guide(client, version)

    assertContains(response, "发改价格〔2004〕2831号", count=1)
    assertContains(response, "价费字〔1992〕240号", count=1)
    assertContains(response, "收费依据：见各收费项目")


def test_a_material_collected_on_site_is_marked_so(client):
    version = make_item(
        materials=[
            {
                "name": "近期正面免冠彩色照片",
                "source": codes.MaterialSource.ONSITE,
                "required": False,
                "required_note": "窗口现场采集",
            }
        ]
    )

    response = guide(client, version)

    assertContains(response, '<span class="badge badge-blue">现场采集</span>', html=False)
    assertNotContains(response, "容缺")
