"""An application form's values: as posted (`Raw`, kept as typed), as data (typed per the schema), and back.

`read_raw` takes what was typed or ticked, nothing converted or dropped, so a page shown again after
an error, or resumed from a draft, loses nothing — not even a value that is not valid yet. `to_data`
makes the JSON object the case engine validates; `from_data` lays data (answers, or the schema's
examples) back into fields for the paper sheet.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from yiwang.channels.application_form import kinds
from yiwang.channels.application_form.fields import (
    PREFIX,
    ROWS_SHOWN_MIN,
    FormField,
    Raw,
    build_fields,
    row_indexes,
    walk,
)

MAX_VALUE_LENGTH = 5000  # a posted value is cut here before it is kept (the schema's own limits are smaller)


def read_raw(post: Any, schema: Mapping[str, Any]) -> Raw:
    """What was typed or ticked for each field of the form, as posted (no conversion, nothing dropped)."""
    # Every posted row of a list of records is read, however many the page had shown.
    posted = {key[len(PREFIX) :]: str(post.get(key)) for key in post if key.startswith(PREFIX)}
    raw: Raw = {}
    for field_ in walk(build_fields(schema, raw=posted)):
        if field_.kind in kinds.CONTAINER_KINDS:
            continue
        if field_.kind == "checkboxes":
            known = {value for value, _ in field_.options}
            raw[field_.path] = [v for v in post.getlist(field_.html_name) if v in known]
        else:
            raw[field_.path] = str(post.get(field_.html_name, ""))[:MAX_VALUE_LENGTH]
    return raw


def to_data(
    schema: Mapping[str, Any], raw: Mapping[str, str | list[str]], *, _prefix: str = ""
) -> dict[str, Any]:
    """The form data to submit: typed per the schema; empty answers are left out (so `required` can say so).

    A value that cannot be converted (letters in a number box) is passed on as typed, for the engine
    to report next to its field.
    """
    data: dict[str, Any] = {}
    depth = _prefix.count(".")
    for name, prop in kinds.properties_of(schema).items():
        path = f"{_prefix}{name}"
        kind = kinds.field_kind(prop, depth)
        if kind == "group":
            nested = to_data(prop, raw, _prefix=f"{path}.")
            if nested:
                data[name] = nested
            continue
        if kind == "rows":
            records = [to_data(prop["items"], raw, _prefix=f"{path}.{i}.") for i in row_indexes(raw, path)]
            if any(records):
                data[name] = [r for r in records if r]
            continue
        value = raw.get(path)
        if kind == "checkboxes":
            chosen = value if isinstance(value, list) else []
            by_text = {kinds.choice_text(v): v for v, _ in kinds.choices(prop["items"])}
            picked = [by_text[text] for text in by_text if text in chosen]
            if picked:
                data[name] = picked
            continue
        text = (value if isinstance(value, str) else "").strip()
        if not text:
            continue
        converted = _convert(prop, kind, text)
        if converted is not None:
            data[name] = converted
    return data


def _convert(prop: Mapping[str, Any], kind: str, text: str) -> Any:
    if kind in ("radio", "select"):
        for value, _label in kinds.choices(prop):
            if kinds.choice_text(value) == text:
                return value
        return text
    if kind == "boolean":
        return {"true": True, "false": False}.get(text)
    if kind == "integer":
        return int(text) if re.fullmatch(r"[+-]?\d{1,15}", text) else text
    if kind == "number":
        if re.fullmatch(r"[+-]?\d{1,15}", text):
            return int(text)
        try:
            number = float(text)
        except ValueError:
            return text
        return number if math.isfinite(number) else text
    if kind == "textarea" and kinds.main_type(prop) == "array":
        return [line.strip() for line in text.splitlines() if line.strip()]
    return text


def from_data(schema: Mapping[str, Any], data: Mapping[str, Any], *, _prefix: str = "") -> Raw:
    """Form data laid back into the fields' values (the inverse of `to_data`)."""
    raw: Raw = {}
    depth = _prefix.count(".")
    for name, prop in kinds.properties_of(schema).items():
        value = data.get(name)
        if value is None:
            continue
        path = f"{_prefix}{name}"
        kind = kinds.field_kind(prop, depth)
        if kind == "group":
            raw.update(from_data(prop, value if isinstance(value, dict) else {}, _prefix=f"{path}."))
        elif kind == "rows":
            for index, record in enumerate(value if isinstance(value, list) else []):
                if isinstance(record, dict):
                    raw.update(from_data(prop["items"], record, _prefix=f"{path}.{index}."))
        elif kind == "checkboxes":
            raw[path] = [kinds.choice_text(v) for v in value] if isinstance(value, list) else []
        elif kind == "boolean":
            raw[path] = "true" if value is True else "false" if value is False else ""
        elif kind == "textarea" and isinstance(value, list):
            raw[path] = "\n".join(_text(v) for v in value)
        else:
            raw[path] = _text(value)
    return raw


def _text(value: Any) -> str:
    if isinstance(value, dict):
        return "；".join(f"{k}：{_text(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "、".join(_text(v) for v in value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return kinds.choice_text(value)


def example_data(schema: Mapping[str, Any]) -> dict[str, Any]:
    """Each field's first example as form data; a group's fields also take the group's own example."""
    data: dict[str, Any] = {}
    for name, prop in kinds.properties_of(schema).items():
        example = kinds.first_example(prop)
        if kinds.main_type(prop) == "object" and isinstance(prop.get("properties"), dict):
            nested = {**(example if isinstance(example, dict) else {}), **example_data(prop)}
            if nested:
                data[name] = nested
        elif example is not None:
            data[name] = example
    return data


def sheet_rows(
    schema: Mapping[str, Any], *, data: Mapping[str, Any] | None = None, blank_rows: int = ROWS_SHOWN_MIN
) -> list[FormField]:
    """The form as the rows of a paper sheet, depth first: blank, or filled in with `data`.

    A list of records prints its filled rows and no spare one, but at least `blank_rows`.
    """
    fields = build_fields(schema, raw=from_data(schema, data or {}), rows_min=blank_rows, rows_spare=0)
    return list(walk(fields))
