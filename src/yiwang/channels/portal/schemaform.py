"""An item's application form (its JSON Schema) as HTML form fields, and the posted values back as data.

Presentation only: the schema decides which inputs a page shows (text, number, date, choices, ticks)
and which HTML attributes help the applicant (maxlength, pattern, min/max, the first example as a
placeholder). Whether the data is acceptable is decided by the case engine, which validates it
against the same schema (`cases.formcheck`) and reports every problem as `form.<field>`.

Posted values are kept as typed (`raw`), so a page shown again after an error, or resumed from a
draft, loses nothing — not even a value that is not valid yet.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import format_html_join
from django.utils.safestring import SafeString

PREFIX = "f."
MAX_DEPTH = 3  # nested objects deeper than this are asked as one text box
MAX_VALUE_LENGTH = 5000  # a posted value is cut here before it is kept (the schema's own limits are smaller)
LONG_TEXT_LENGTH = 200  # strings that may be this long get a text area
RADIO_MAX_OPTIONS = 4  # up to this many choices are radio buttons; more are a drop-down list
# A list of records (股东): at least this many rows on the page, and one empty row more than filled;
# empty rows are left out of the data. No script needed to add a row.
ROWS_SHOWN_MIN = 3
ROWS_MAX = 50

Raw = dict[str, "str | list[str]"]


@dataclass
class FormField:
    path: str  # "name", or "parent.child" inside a group
    title: str
    kind: str  # text | textarea | tel | email | number | integer | date | radio | select | checkboxes | boolean | group | rows
    required: bool = False
    description: str = ""
    placeholder: str = ""
    attrs: dict[str, str] = field(default_factory=dict)
    options: list[tuple[str, str]] = field(default_factory=list)  # (value as posted, label)
    children: list[FormField] = field(default_factory=list)
    value: str | list[str] = ""
    errors: list[str] = field(default_factory=list)
    used_by: list[str] = field(default_factory=list)  # bundle: the member items that ask for this field
    version_ids: list[int] = field(default_factory=list)
    only_for: list[str] = field(
        default_factory=list
    )  # bundle: asked only when these optional members are ticked

    @property
    def html_name(self) -> str:
        return PREFIX + self.path

    @property
    def html_id(self) -> str:
        return "f-" + self.path.replace(".", "-")

    @property
    def values(self) -> list[str]:
        return self.value if isinstance(self.value, list) else [self.value] if self.value else []

    @property
    def input_type(self) -> str:
        return {"integer": "number", "number": "number", "date": "date", "tel": "tel", "email": "email"}.get(
            self.kind, "text"
        )

    @property
    def attrs_html(self) -> SafeString:
        """The schema's limits as HTML attributes (escaped), e.g. ` maxlength="50" pattern="…"`."""
        return format_html_join("", ' {}="{}"', sorted(self.attrs.items()))

    @property
    def versions_attr(self) -> str:
        return " ".join(str(v) for v in self.version_ids)

    @property
    def described_by(self) -> str:
        ids = []
        if self.description:
            ids.append(f"{self.html_id}-hint")
        if self.errors:
            ids.append(f"{self.html_id}-error")
        return " ".join(ids)


def _main_type(prop: Mapping[str, Any]) -> str:
    kind = prop.get("type", "string")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    return str(kind)


def _choices(prop: Mapping[str, Any]) -> list[tuple[Any, str]]:
    """(value, label) from `enum`, or from `oneOf`/`anyOf` entries of `const` + `title`."""
    if isinstance(prop.get("enum"), list):
        return [(value, str(value)) for value in prop["enum"] if value is not None]
    pairs = []
    for option in prop.get("oneOf") or prop.get("anyOf") or []:
        if isinstance(option, dict) and "const" in option:
            pairs.append((option["const"], str(option.get("title") or option["const"])))
    return pairs


def _example(prop: Mapping[str, Any]) -> Any:
    examples = prop.get("examples")
    if isinstance(examples, list) and examples:
        return examples[0]
    return prop.get("example")


def _number_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _kind(prop: Mapping[str, Any], depth: int) -> str:
    kind = _main_type(prop)
    if kind == "object" and isinstance(prop.get("properties"), dict) and depth < MAX_DEPTH:
        return "group"
    if kind == "array":
        items = prop.get("items")
        if isinstance(items, dict) and _choices(items):
            return "checkboxes"
        if isinstance(items, dict) and isinstance(items.get("properties"), dict) and depth < MAX_DEPTH - 1:
            return "rows"
        return "textarea"
    if _choices(prop):
        return "radio" if len(_choices(prop)) <= RADIO_MAX_OPTIONS else "select"
    if kind == "boolean":
        return "boolean"
    if kind in ("integer", "number"):
        return kind
    if kind == "object":
        return "textarea"
    fmt = prop.get("format", "")
    if fmt == "date":
        return "date"
    if fmt == "email":
        return "email"
    if str(prop.get("pattern", "")).lstrip("^").startswith("1[3-9]"):
        return "tel"
    if int(prop.get("maxLength") or 0) >= LONG_TEXT_LENGTH:
        return "textarea"
    return "text"


def _attrs(prop: Mapping[str, Any], kind: str) -> dict[str, str]:
    attrs: dict[str, str] = {}
    if kind in ("text", "textarea", "tel", "email"):
        if isinstance(prop.get("maxLength"), int):
            attrs["maxlength"] = str(prop["maxLength"])
        if isinstance(prop.get("minLength"), int) and prop["minLength"] > 1:
            attrs["minlength"] = str(prop["minLength"])
        if isinstance(prop.get("pattern"), str) and kind != "textarea":
            attrs["pattern"] = prop["pattern"]
    if kind == "tel":
        attrs.update(inputmode="tel", autocomplete="tel")
    if kind in ("integer", "number"):
        for name in ("minimum", "maximum"):
            if isinstance(prop.get(name), int | float) and not isinstance(prop.get(name), bool):
                attrs[name[:3]] = _number_text(prop[name])
        attrs["step"] = "1" if kind == "integer" else "any"
        attrs["inputmode"] = "numeric" if kind == "integer" else "decimal"
    return attrs


def _placeholder(prop: Mapping[str, Any], kind: str) -> str:
    example = _example(prop)
    if example is None or kind in ("radio", "select", "checkboxes", "boolean", "group", "rows", "date"):
        return ""
    if isinstance(example, list | dict):
        return ""
    return f"例：{_number_text(example)}"


def build_fields(
    schema: Mapping[str, Any],
    *,
    raw: Mapping[str, str | list[str]] | None = None,
    owners: Mapping[str, list[tuple[int, str]]] | None = None,
    _depth: int = 0,
    _prefix: str = "",
) -> list[FormField]:
    """The fields of `schema` in its order, filled with `raw` values; `owners` names a bundle's members."""
    raw = raw or {}
    properties = schema.get("properties") if isinstance(schema, Mapping) else None
    if not isinstance(properties, dict):
        return []
    required = set(schema.get("required") or [])
    fields = []
    for name, prop in properties.items():
        if not isinstance(prop, dict):
            continue
        path = f"{_prefix}{name}"
        kind = _kind(prop, _depth)
        item_choices = _choices(prop["items"]) if kind == "checkboxes" else []
        choices = item_choices or _choices(prop)
        field_ = FormField(
            path=path,
            title=str(prop.get("title") or name),
            kind=kind,
            required=name in required,
            description=str(prop.get("description") or ""),
            placeholder=_placeholder(prop, kind),
            attrs=_attrs(prop, kind),
            options=[(_number_text(v) if not isinstance(v, str) else v, label) for v, label in choices],
            value=raw.get(path, [] if kind == "checkboxes" else ""),
        )
        if kind == "boolean":
            field_.options = [("true", "是"), ("false", "否")]
        if kind == "date":
            # A date box has no placeholder: the format and the example go in the hint.
            example = _example(prop)
            note = f"格式：年-月-日{f'，例：{example}' if isinstance(example, str) else ''}"
            field_.description = f"{field_.description} {note}".strip()
        if kind == "group":
            field_.children = build_fields(prop, raw=raw, _depth=_depth + 1, _prefix=f"{path}.")
        if kind == "rows":
            field_.children = _row_fields(prop, raw, path, _depth)
        if owners and _depth == 0:
            field_.version_ids = [version_id for version_id, _ in owners.get(name, [])]
            field_.used_by = [label for _, label in owners.get(name, [])]
        fields.append(field_)
    return fields


def _row_indexes(raw: Mapping[str, Any], path: str) -> list[int]:
    """The row numbers that hold a value under `path` (`path.<i>.<field>`), in order."""
    found = set()
    for key in raw:
        rest = key[len(path) + 1 :] if key.startswith(f"{path}.") else ""
        head = rest.split(".", 1)[0]
        if head.isdigit() and int(head) < ROWS_MAX and raw[key]:
            found.add(int(head))
    return sorted(found)


def _row_fields(prop: Mapping[str, Any], raw: Mapping[str, Any], path: str, depth: int) -> list[FormField]:
    """A list of records as numbered groups: the filled rows, then empty ones to fill."""
    items = prop["items"]
    limit = min(int(prop.get("maxItems") or ROWS_MAX), ROWS_MAX)
    filled = _row_indexes(raw, path)
    shown = min(max(len(filled) + 1, ROWS_SHOWN_MIN), limit)
    rows = []
    for number, index in enumerate([*filled, *range(max(filled, default=-1) + 1, ROWS_MAX)][:shown], start=1):
        row = FormField(path=f"{path}.{index}", title=f"{items.get('title') or '第'} {number}", kind="group")
        row.children = build_fields(items, raw=raw, _depth=depth + 2, _prefix=f"{path}.{index}.")
        for child in row.children:
            child.required = False  # a row left empty is not sent; the engine checks the rows that are
        rows.append(row)
    return rows


def walk(fields: Iterable[FormField]) -> Iterable[FormField]:
    """Every field, groups and their members, depth first."""
    for field_ in fields:
        yield field_
        yield from walk(field_.children)


def read_raw(post: Any, fields: Iterable[FormField]) -> Raw:
    """What was typed or ticked for each field of the page, as posted (no conversion, nothing dropped)."""
    raw: Raw = {}
    for field_ in walk(fields):
        if field_.kind in ("group", "rows"):
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
    properties = schema.get("properties") if isinstance(schema, Mapping) else None
    if not isinstance(properties, dict):
        return data
    depth = _prefix.count(".")
    for name, prop in properties.items():
        if not isinstance(prop, dict):
            continue
        path = f"{_prefix}{name}"
        kind = _kind(prop, depth)
        if kind == "group":
            nested = to_data(prop, raw, _prefix=f"{path}.")
            if nested:
                data[name] = nested
            continue
        if kind == "rows":
            records = [to_data(prop["items"], raw, _prefix=f"{path}.{i}.") for i in _row_indexes(raw, path)]
            if any(records):
                data[name] = [r for r in records if r]
            continue
        value = raw.get(path)
        if kind == "checkboxes":
            chosen = value if isinstance(value, list) else []
            by_text = {
                (_number_text(v) if not isinstance(v, str) else v): v for v, _ in _choices(prop["items"])
            }
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
        for value, _label in _choices(prop):
            if (_number_text(value) if not isinstance(value, str) else value) == text:
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
    if kind == "textarea" and _main_type(prop) == "array":
        return [line.strip() for line in text.splitlines() if line.strip()]
    return text


def attach_errors(
    fields: list[FormField], errors: Mapping[str, list[str]], *, prefix: str = "form"
) -> list[str]:
    """Put each `form.<path>` message on its field (an array's `form.x.0` on `x`); return those that fit none."""
    by_path = {f.path: f for f in walk(fields)}
    unplaced: list[str] = []
    for key, messages in errors.items():
        if key != prefix and not key.startswith(prefix + "."):
            continue
        parts = key.split(".")[1:]
        target = None
        while parts:
            target = by_path.get(".".join(parts))
            if target is not None:
                break
            parts = parts[:-1]
        if target is None:
            unplaced.extend(messages)
        else:
            target.errors.extend(m for m in (_plain(target, m) for m in messages) if m not in target.errors)
    return unplaced


CHOICE_KINDS = ("radio", "select", "checkboxes", "boolean")


def _plain(target: FormField, message: str) -> str:
    """The engine's terse “必填” as a sentence that names the field."""
    if message == "必填":
        return f"请{'选择' if target.kind in CHOICE_KINDS else '填写'}{target.title}"
    return message


def subset_schema(schema: Mapping[str, Any], names: set[str]) -> dict[str, Any]:
    """The schema with only the top-level fields `names` (a bundle without its unticked optional members)."""
    properties = {k: v for k, v in (schema.get("properties") or {}).items() if k in names}
    return {
        **schema,
        "properties": properties,
        "required": [k for k in schema.get("required") or [] if k in properties],
    }
