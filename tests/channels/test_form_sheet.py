"""申请表（空白 / 填写示例）: an item's JSON Schema laid out as the rows of a paper form, blank or sample."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from tests.factories import make_item
from yiwang.catalog.models import ItemVersion

pytestmark = pytest.mark.django_db


def sheet(client: Any, schema: dict[str, Any], *, sample: bool) -> str:
    version = make_item(form_schema=schema)
    name = "channels:item_form_sample" if sample else "channels:item_form_print"
    response = client.get(reverse(name, args=[version.item.code]))
    assert response.status_code == 200
    return response.content.decode()


def row(html: str, title: str) -> str:
    """The table row of the field titled `title`."""
    rows = re.findall(r"<tr class=\"sheet-[^>]*>.*?</tr>", html, flags=re.S)
    return next(r for r in rows if re.search(rf">(<span[^>]*>\*</span>)?{title}</th>", r))


def test_blank_sheet_has_no_examples(client):
    schema = {
        "type": "object",
        "properties": {"name": {"type": "string", "title": "姓名", "examples": ["张明"]}},
    }

    html = sheet(client, schema, sample=False)

    assert 'class="sheet-row sheet-text"' in row(html, "姓名")
    assert "张明" not in html


def test_sample_uses_the_first_example(client):
    schema = {
        "type": "object",
        "properties": {"name": {"type": "string", "title": "姓名", "examples": ["张明", "李华"]}},
    }

    html = sheet(client, schema, sample=True)

    assert '<span class="example">张明</span>' in row(html, "姓名")
    assert "李华" not in html


def test_labelled_choices_come_from_one_of_const_and_title(client):
    schema = {
        "type": "object",
        "properties": {
            "sex": {
                "type": "string",
                "title": "性别",
                "oneOf": [{"const": "1", "title": "男"}, {"const": "2", "title": "女"}],
                "examples": ["2"],
            }
        },
    }

    shown = row(sheet(client, schema, sample=True), "性别")

    assert '<span class="option"><span class="box" aria-hidden="true">☐</span>男' in shown
    assert '<span class="option checked"><span class="box" aria-hidden="true">☑</span>女' in shown


def test_nested_object_is_a_group_whose_fields_take_the_parent_example(client):
    schema = {
        "type": "object",
        "required": ["contact"],
        "properties": {
            "contact": {
                "type": "object",
                "title": "联系人",
                "examples": [{"phone": "13900139000"}],
                "properties": {"phone": {"type": "string", "title": "电话"}},
            }
        },
    }

    html = sheet(client, schema, sample=True)

    group = row(html, "联系人")
    assert 'class="sheet-group indent-0"' in group and 'aria-label="必填">*</span>' in group
    phone = row(html, "电话")
    assert 'class="indent-1"' in phone and '<span class="example">13900139000</span>' in phone


def test_multi_select_array_ticks_every_example_value(client):
    schema = {
        "type": "object",
        "properties": {
            "scope": {
                "type": "array",
                "title": "经营项目",
                "items": {"enum": ["热食", "冷食", "饮品"]},
                "examples": [["热食", "饮品"]],
            }
        },
    }

    shown = row(sheet(client, schema, sample=True), "经营项目")

    assert 'class="sheet-row sheet-multi"' in shown
    assert re.findall(r"([☐☑])</span>(\w+)", shown) == [("☑", "热食"), ("☐", "冷食"), ("☑", "饮品")]


def test_long_text_and_dates_get_their_own_kinds(client):
    schema = {
        "type": "object",
        "properties": {
            "scope": {"type": "string", "title": "经营范围", "maxLength": 2000},
            "day": {"type": "string", "title": "出生日期", "format": "date"},
            "agree": {"type": "boolean", "title": "同意"},
        },
    }

    html = sheet(client, schema, sample=False)

    assert 'class="sheet-row sheet-long"' in row(html, "经营范围")
    assert 'class="sheet-row sheet-date"' in row(html, "出生日期") and "blank-date" in row(html, "出生日期")
    agree = row(html, "同意")
    assert 'class="sheet-row sheet-choice"' in agree
    assert re.findall(r"☐</span>(\w+)", agree) == ["是", "否"]


def test_a_list_of_records_is_printed_as_numbered_rows_of_its_fields(client):
    schema = {
        "type": "object",
        "properties": {
            "shareholders": {
                "type": "array",
                "title": "股东信息",
                "items": {
                    "type": "object",
                    "title": "股东",
                    "properties": {"name": {"type": "string", "title": "股东姓名"}},
                },
                "examples": [[{"name": "林创业"}]],
            }
        },
    }

    blank = sheet(client, schema, sample=False)
    sample = sheet(client, schema, sample=True)

    assert 'class="sheet-group indent-0"' in row(blank, "股东信息")
    assert [row(blank, f"股东 {n}") for n in (1, 2, 3)]  # room for three on the blank form
    assert blank.count(">股东姓名</th>") == 3
    assert '<span class="example">林创业</span>' in row(sample, "股东姓名")


def test_a_schema_without_fields_has_no_rows(client):
    for schema in ({}, {"type": "object", "properties": "broken"}):
        version = make_item()
        # Publishing refuses such a form; one stored before that check still prints.
        ItemVersion.objects.filter(pk=version.pk).update(form_schema=schema)

        response = client.get(reverse("channels:item_form_print", args=[version.item.code]))

        assert "本申请表没有需要填写的栏目。" in response.content.decode()
