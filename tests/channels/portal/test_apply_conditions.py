"""What an application asks for depends on the case: 邮寄送达 needs a mailing address (JSON Schema
`if`/`then`), and a photo taken at the window (现场采集) is never demanded online."""

from __future__ import annotations

import copy
import uuid

import pytest
from jsonschema import Draft202012Validator

from tests.cases.helpers import ApiUser
from tests.channels.portal.conftest import form_post
from tests.factories import FORM_SCHEMA, make_citizen, make_item
from yiwang.cases.formcheck import form_errors
from yiwang.cases.models import Application
from yiwang.catalog import codes
from yiwang.catalog.services import item_version_publish
from yiwang.core.errors import DomainError
from yiwang.demo.catalog_data import demo_items

pytestmark = pytest.mark.django_db

MAILED_MESSAGE = "证件领取方式为“邮寄送达”时必填"
ADDRESS_WHEN_MAILED = {  # as the demo forms say it
    "if": {"properties": {"delivery_method": {"const": "邮寄送达"}}, "required": ["delivery_method"]},
    "then": {"required": ["address"]},
}
ON_SITE_PHOTO = {
    "name": "近期正面免冠彩色照片",
    "source": codes.MaterialSource.ONSITE,
    "required": False,
    "required_note": "窗口现场采集",
}


def mail_or_collect_schema() -> dict:
    schema = copy.deepcopy(FORM_SCHEMA)
    schema["properties"]["delivery_method"] = {
        "type": "string",
        "title": "证件领取方式",
        "enum": ["窗口领取", "邮寄送达"],
    }
    schema["properties"]["address"] = {"type": "string", "title": "联系地址", "maxLength": 200}
    schema["required"] = [*schema["required"], "delivery_method"]
    schema["allOf"] = [copy.deepcopy(ADDRESS_WHEN_MAILED)]
    return schema


@pytest.fixture
def id_card_renewal():
    return make_item(
        name="居民身份证换领", form_schema=mail_or_collect_schema(), materials=[dict(ON_SITE_PHOTO)]
    )


def fields(**extra: str) -> dict[str, str]:
    return {"applicant_name": "张三", "applicant_phone": "13800000000", **extra}


def test_mail_delivery_without_an_address_is_refused_at_the_address(client, id_card_renewal):
    citizen = ApiUser(client, make_citizen())

    response = citizen.post(
        "/applications",
        {
            "item": id_card_renewal.item.code,
            "channel": "web",
            "form": fields(delivery_method="邮寄送达"),
            "materials": [],
        },
    )

    assert response.status_code == 422
    assert response.json()["fields"] == {"form.address": [MAILED_MESSAGE]}


def test_collecting_at_the_window_needs_no_address(client, id_card_renewal):
    citizen = ApiUser(client, make_citizen())

    response = citizen.post(
        "/applications",
        {
            "item": id_card_renewal.item.code,
            "channel": "web",
            "form": fields(delivery_method="窗口领取"),
            "materials": [],
        },
    )

    assert response.status_code == 201, response.json()


def test_the_apply_page_shows_the_address_message_next_to_the_address_field(client, id_card_renewal):
    client.force_login(make_citizen())

    response = client.post(
        f"/apply/item/{id_card_renewal.item.code}/",
        form_post(fields=fields(delivery_method="邮寄送达"), key=str(uuid.uuid4())),
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert (
        f'<p class="field-error" id="f-address-error"><span class="visually-hidden">错误：</span>{MAILED_MESSAGE}</p>'
        in html
    )
    assert not Application.objects.exists()


def test_the_apply_page_says_the_photo_is_taken_at_the_window_and_does_not_demand_it(client, id_card_renewal):
    client.force_login(make_citizen())
    url = f"/apply/item/{id_card_renewal.item.code}/"

    page = client.get(url).content.decode()
    response = client.post(url, form_post(fields=fields(delivery_method="窗口领取"), key=str(uuid.uuid4())))

    assert "近期正面免冠彩色照片" in page and "窗口现场采集" in page
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Application.objects.get().materials.count() == 0


def test_publishing_refuses_a_material_collected_on_site_that_is_marked_required():
    draft = make_item(materials=[{**ON_SITE_PHOTO, "required": True}], publish=False)

    with pytest.raises(DomainError) as refused:
        item_version_publish(version=draft)

    assert "近期正面免冠彩色照片" in str(refused.value.fields)
    assert "现场采集" in str(refused.value.fields)


# ---- the demo city ---------------------------------------------------------------------------


def demo_versions() -> list[dict]:
    return [row["versions"][0] for row in demo_items()]


def test_every_demo_form_with_mail_delivery_requires_an_address_when_mailed():
    forms = [v["form_schema"] for v in demo_versions() if "delivery_method" in v["form_schema"]["properties"]]

    assert forms
    for schema in forms:
        Draft202012Validator.check_schema(schema)
        assert "form.address" in form_errors(schema, {"delivery_method": "邮寄送达"})
        if "address" not in schema["required"]:  # some forms ask for the address anyway
            assert "form.address" not in form_errors(schema, {"delivery_method": "窗口领取"})


def test_no_demo_material_collected_on_site_is_demanded_online():
    on_site = [
        (v["name"], m)
        for v in demo_versions()
        for m in v["materials"]
        if "现场采集" in m["name"] + m["source_note"] or m["source"] == codes.MaterialSource.ONSITE
    ]

    assert on_site
    for name, material in on_site:
        assert material["source"] == codes.MaterialSource.ONSITE, name
        assert not material["required"] and material["required_note"] == "窗口现场采集", name
