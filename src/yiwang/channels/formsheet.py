"""An item's application form (its JSON Schema) laid out as rows of a printable paper form.

The blank form leaves a line (or boxes to tick) for each field; the sample fills each field with
the first of its `examples`, so the two are always in step with the schema the system validates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LONG_TEXT_LENGTH = 200  # fields that may hold this many characters get a taller box
MAX_DEPTH = 4  # nested objects deeper than this are printed as one line


@dataclass(frozen=True)
class Option:
    label: str
    checked: bool = False


@dataclass(frozen=True)
class SheetRow:
    name: str
    title: str
    kind: str  # text | long | date | choice | multi | group
    required: bool = False
    description: str = ""
    options: list[Option] = field(default_factory=list)
    example: str = ""  # the sample's value; "" on the blank form or when the schema gives none
    depth: int = 0

    @property
    def has_example(self) -> bool:
        return bool(self.example) or any(option.checked for option in self.options)


def _first_example(prop: dict[str, Any]) -> Any:
    examples = prop.get("examples")
    if isinstance(examples, list) and examples:
        return examples[0]
    return None


def _choices(prop: dict[str, Any]) -> list[tuple[Any, str]]:
    """(value, label) pairs from `enum`, or from `oneOf`/`anyOf` of `const` + `title`."""
    if isinstance(prop.get("enum"), list):
        return [(value, str(value)) for value in prop["enum"] if value is not None]
    pairs = []
    for option in prop.get("oneOf") or prop.get("anyOf") or []:
        if isinstance(option, dict) and "const" in option:
            pairs.append((option["const"], str(option.get("title") or option["const"])))
    return pairs


def _text(value: Any) -> str:
    if value is None:
        return ""
    if value is True:
        return "是"
    if value is False:
        return "否"
    if isinstance(value, list):
        return "、".join(_text(v) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{k}：{_text(v)}" for k, v in value.items())
    return str(value)


def _main_type(prop: dict[str, Any]) -> str:
    kind = prop.get("type", "string")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    return str(kind)


def sheet_rows(schema: dict[str, Any], *, sample: bool) -> list[SheetRow]:
    rows: list[SheetRow] = []
    _add_rows(rows, schema if isinstance(schema, dict) else {}, sample=sample, depth=0, parent_example=None)
    return rows


def _add_rows(
    rows: list[SheetRow], schema: dict[str, Any], *, sample: bool, depth: int, parent_example: Any
) -> None:
    properties = schema.get("properties")
    if not isinstance(properties, dict):
        return
    required = set(schema.get("required") or [])
    for name, prop in properties.items():
        if not isinstance(prop, dict):
            continue
        example = _first_example(prop)
        if example is None and isinstance(parent_example, dict):
            example = parent_example.get(name)
        if not sample:
            example = None
        common = {
            "name": name,
            "title": str(prop.get("title") or name),
            "required": name in required,
            "description": str(prop.get("description") or ""),
            "depth": depth,
        }
        kind = _main_type(prop)
        if kind == "object" and isinstance(prop.get("properties"), dict) and depth < MAX_DEPTH:
            rows.append(SheetRow(kind="group", **common))
            _add_rows(rows, prop, sample=sample, depth=depth + 1, parent_example=example)
            continue
        choices = _choices(prop)
        if kind == "array" and isinstance(prop.get("items"), dict) and _choices(prop["items"]):
            picked = example if isinstance(example, list) else []
            options = [Option(label, value in picked) for value, label in _choices(prop["items"])]
            rows.append(SheetRow(kind="multi", options=options, **common))
        elif choices:
            rows.append(
                SheetRow(
                    kind="choice",
                    options=[Option(label, value == example) for value, label in choices],
                    **common,
                )
            )
        elif kind == "boolean":
            rows.append(
                SheetRow(
                    kind="choice",
                    options=[Option("是", example is True), Option("否", example is False)],
                    **common,
                )
            )
        elif prop.get("format") in {"date", "date-time"}:
            rows.append(SheetRow(kind="date", example=_text(example), **common))
        elif kind in {"array", "object"} or int(prop.get("maxLength") or 0) >= LONG_TEXT_LENGTH:
            rows.append(SheetRow(kind="long", example=_text(example), **common))
        else:
            rows.append(SheetRow(kind="text", example=_text(example), **common))
