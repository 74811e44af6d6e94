"""An application form's JSON Schema laid out as the rows of a paper form."""

from __future__ import annotations

from yiwang.channels.formsheet import Option, sheet_rows


def test_blank_sheet_has_no_examples():
    schema = {
        "type": "object",
        "properties": {"name": {"type": "string", "title": "姓名", "examples": ["张明"]}},
    }

    (row,) = sheet_rows(schema, sample=False)

    assert (row.title, row.kind, row.example) == ("姓名", "text", "")


def test_sample_uses_the_first_example():
    schema = {
        "type": "object",
        "properties": {"name": {"type": "string", "title": "姓名", "examples": ["张明", "李华"]}},
    }

    (row,) = sheet_rows(schema, sample=True)

    assert row.example == "张明"


def test_labelled_choices_come_from_one_of_const_and_title():
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

    (row,) = sheet_rows(schema, sample=True)

    assert row.options == [Option("男", False), Option("女", True)]


def test_nested_object_is_a_group_whose_fields_take_the_parent_example():
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

    group, phone = sheet_rows(schema, sample=True)

    assert (group.kind, group.required) == ("group", True)
    assert (phone.title, phone.depth, phone.example) == ("电话", 1, "13900139000")


def test_multi_select_array_ticks_every_example_value():
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

    (row,) = sheet_rows(schema, sample=True)

    assert row.kind == "multi"
    assert [o.checked for o in row.options] == [True, False, True]


def test_long_text_and_dates_get_their_own_kinds():
    schema = {
        "type": "object",
        "properties": {
            "scope": {"type": "string", "title": "经营范围", "maxLength": 2000},
            "day": {"type": "string", "title": "出生日期", "format": "date"},
            "agree": {"type": "boolean", "title": "同意"},
        },
    }

    rows = sheet_rows(schema, sample=False)

    assert [r.kind for r in rows] == ["long", "date", "choice"]
    assert [o.label for o in rows[2].options] == ["是", "否"]


def test_a_schema_without_properties_has_no_rows():
    assert sheet_rows({}, sample=True) == []
    assert sheet_rows({"type": "object", "properties": "broken"}, sample=True) == []
