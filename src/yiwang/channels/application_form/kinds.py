"""What each property of an application form's JSON Schema is asked as: the one set of rules.

A property becomes a text box, a date, choices, ticks, a group of fields, or numbered rows of a list
of records; the portal, the window's desk and the paper sheet all take the kind from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

MAX_DEPTH = 3  # nested objects deeper than this are asked as one text box
LONG_TEXT_LENGTH = 200  # strings that may be this long get a text area (a taller box on paper)
RADIO_MAX_OPTIONS = 4  # up to this many choices are radio buttons; more are a drop-down list

CHOICE_KINDS = ("radio", "select", "checkboxes", "boolean")
CONTAINER_KINDS = ("group", "rows")


def main_type(prop: Mapping[str, Any]) -> str:
    """The JSON type of a property; of `["string", "null"]`, the one that is not null."""
    kind = prop.get("type", "string")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    return str(kind)


def choices(prop: Mapping[str, Any]) -> list[tuple[Any, str]]:
    """(value, label) from `enum`, or from `oneOf`/`anyOf` entries of `const` + `title`."""
    if isinstance(prop.get("enum"), list):
        return [(value, str(value)) for value in prop["enum"] if value is not None]
    pairs = []
    for option in prop.get("oneOf") or prop.get("anyOf") or []:
        if isinstance(option, dict) and "const" in option:
            pairs.append((option["const"], str(option.get("title") or option["const"])))
    return pairs


def first_example(prop: Mapping[str, Any]) -> Any:
    examples = prop.get("examples")
    if isinstance(examples, list) and examples:
        return examples[0]
    return prop.get("example")


def number_text(value: Any) -> str:
    """A value as a form shows and posts it: 100.0 as "100", a choice's value as its text."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def choice_text(value: Any) -> str:
    return value if isinstance(value, str) else number_text(value)


def is_group(prop: Mapping[str, Any], depth: int) -> bool:
    return main_type(prop) == "object" and isinstance(prop.get("properties"), dict) and depth < MAX_DEPTH


def field_kind(prop: Mapping[str, Any], depth: int) -> str:
    """text | textarea | tel | email | number | integer | date | radio | select | checkboxes | boolean
    | group | rows — for a property `depth` levels down the form."""
    kind = main_type(prop)
    if is_group(prop, depth):
        return "group"
    if kind == "array":
        items = prop.get("items")
        if isinstance(items, dict) and choices(items):
            return "checkboxes"
        if isinstance(items, dict) and isinstance(items.get("properties"), dict) and depth < MAX_DEPTH - 1:
            return "rows"
        return "textarea"
    if choices(prop):
        return "radio" if len(choices(prop)) <= RADIO_MAX_OPTIONS else "select"
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


def input_attrs(prop: Mapping[str, Any], kind: str) -> dict[str, str]:
    """The schema's limits as HTML attributes that help the applicant (the engine still checks them)."""
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
                attrs[name[:3]] = number_text(prop[name])
        attrs["step"] = "1" if kind == "integer" else "any"
        attrs["inputmode"] = "numeric" if kind == "integer" else "decimal"
    return attrs


def properties_of(schema: Any) -> dict[str, dict[str, Any]]:
    """The schema's properties that are themselves schemas, in order ({} for anything else)."""
    properties = schema.get("properties") if isinstance(schema, Mapping) else None
    if not isinstance(properties, dict):
        return {}
    return {str(name): prop for name, prop in properties.items() if isinstance(prop, dict)}
