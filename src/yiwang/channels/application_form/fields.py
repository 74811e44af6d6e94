"""The fields of an application form, built once from its JSON Schema for the page or the paper.

A field carries what every place needs: the portal and the desk read its input type, HTML limits,
hint and errors; the paper sheet reads its paper kind and the answer as written. Values come in as
typed (`Raw`, see `values`), so a page shown again after an error loses nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from yiwang.cases.applicant_fields import CHECKED, bound_fields
from yiwang.channels.application_form import kinds

PREFIX = "f."  # posted names are `f.<path>`, so a form field never collides with the page's own
# A list of records (股东): at least this many rows on a page, and one empty row more than filled;
# empty rows are left out of the data. No script needed to add a row.
ROWS_SHOWN_MIN = 3
ROWS_MAX = 50

Raw = dict[str, "str | list[str]"]


@dataclass(frozen=True)
class Choice:
    value: str  # as posted
    label: str
    checked: bool


@dataclass
class FormField:
    path: str  # "name", "parent.child" inside a group, "rows.0.child" inside a list of records
    title: str
    kind: str  # see kinds.field_kind
    json_type: str = "string"
    format: str = ""
    depth: int = 0  # how far a paper row is indented
    required: bool = False
    description: str = ""
    example: str = ""  # the schema's first example when it is a plain value
    attrs: dict[str, str] = field(default_factory=dict)
    options: list[tuple[str, str]] = field(default_factory=list)  # (value as posted, label)
    children: list[FormField] = field(default_factory=list)
    value: str | list[str] = ""
    errors: list[str] = field(default_factory=list)
    used_by: list[str] = field(default_factory=list)  # bundle: the member items that ask for this field
    version_ids: list[int] = field(default_factory=list)
    only_for: list[str] = field(default_factory=list)  # bundle: asked only when these members are ticked

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
    def choices(self) -> list[Choice]:
        chosen = set(self.values)
        return [Choice(value, label, value in chosen) for value, label in self.options]

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
    def placeholder(self) -> str:
        typed = self.kind in ("text", "textarea", "tel", "email", "number", "integer")
        return f"例：{self.example}" if typed and self.example else ""

    @property
    def hint(self) -> str:
        """The description, and how to type what the input itself does not say."""
        notes = [self.description]
        if self.kind == "date":  # a date box has no placeholder: the format and the example go here
            notes.append(f"格式：年-月-日{f'，例：{self.example}' if self.example else ''}")
        if self.kind == "textarea" and self.json_type == "array":
            notes.append("每行一项。")
        return " ".join(note for note in notes if note)

    @property
    def described_by(self) -> str:
        ids = []
        if self.hint:
            ids.append(f"{self.html_id}-hint")
        if self.errors:
            ids.append(f"{self.html_id}-error")
        return " ".join(ids)

    @property
    def paper_kind(self) -> str:
        """On the paper sheet: group | multi | choice | date | long | text."""
        if self.kind in kinds.CONTAINER_KINDS:
            return "group"
        if self.kind == "checkboxes":
            return "multi"
        if self.kind in kinds.CHOICE_KINDS:
            return "choice"
        if self.format in ("date", "date-time"):
            return "date"
        return "long" if self.kind == "textarea" else "text"

    @property
    def text(self) -> str:
        """The answer as written on paper; a list one item after another."""
        if self.kind == "textarea" and self.json_type == "array" and isinstance(self.value, str):
            return "、".join(line.strip() for line in self.value.splitlines() if line.strip())
        return "、".join(self.values)

    @property
    def filled(self) -> bool:
        return bool(self.text) or any(choice.checked for choice in self.choices)


def build_fields(
    schema: Mapping[str, Any],
    *,
    raw: Mapping[str, str | list[str]] | None = None,
    owners: Mapping[str, list[tuple[int, str]]] | None = None,
    rows_min: int = ROWS_SHOWN_MIN,
    rows_spare: int = 1,
) -> list[FormField]:
    """The fields of `schema` in its order, filled with `raw`; `owners` names a bundle's members.

    A list of records shows its filled rows, then `rows_spare` empty ones, at least `rows_min` in all.
    """
    return _build(schema, raw or {}, owners or {}, (rows_min, rows_spare), depth=0, prefix="")


def _build(
    schema: Mapping[str, Any],
    raw: Mapping[str, str | list[str]],
    owners: Mapping[str, list[tuple[int, str]]],
    rows: tuple[int, int],
    *,
    depth: int,
    prefix: str,
) -> list[FormField]:
    required = set(schema.get("required") or [])
    fields = []
    for name, prop in kinds.properties_of(schema).items():
        path = f"{prefix}{name}"
        kind = kinds.field_kind(prop, depth)
        item_choices = kinds.choices(prop["items"]) if kind == "checkboxes" else []
        example = kinds.first_example(prop)
        field_ = FormField(
            path=path,
            title=str(prop.get("title") or name),
            kind=kind,
            json_type=kinds.main_type(prop),
            format=str(prop.get("format") or ""),
            depth=depth,
            required=name in required,
            description=str(prop.get("description") or ""),
            example=kinds.number_text(example) if _plain_value(example) else "",
            attrs=kinds.input_attrs(prop, kind),
            options=[(kinds.choice_text(v), label) for v, label in item_choices or kinds.choices(prop)],
            value=raw.get(path, [] if kind == "checkboxes" else ""),
        )
        if kind == "boolean":
            field_.options = [("true", "是"), ("false", "否")]
        if kind == "group":
            field_.children = _build(prop, raw, {}, rows, depth=depth + 1, prefix=f"{path}.")
        if kind == "rows":
            field_.children = _rows(prop, raw, path, rows, depth)
        if depth == 0 and name in owners:
            field_.version_ids = [version_id for version_id, _ in owners[name]]
            field_.used_by = [label for _, label in owners[name]]
        fields.append(field_)
    return fields


def _plain_value(value: Any) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def row_indexes(raw: Mapping[str, Any], path: str) -> list[int]:
    """The row numbers that hold a value under `path` (`path.<i>.<field>`), in order."""
    found = set()
    for key in raw:
        rest = key[len(path) + 1 :] if key.startswith(f"{path}.") else ""
        head = rest.split(".", 1)[0]
        if head.isdigit() and int(head) < ROWS_MAX and raw[key]:
            found.add(int(head))
    return sorted(found)


def _rows(
    prop: Mapping[str, Any], raw: Mapping[str, Any], path: str, rows: tuple[int, int], depth: int
) -> list[FormField]:
    """A list of records as numbered groups: the filled rows, then empty ones to fill."""
    items = prop["items"]
    rows_min, rows_spare = rows
    limit = min(int(prop.get("maxItems") or ROWS_MAX), ROWS_MAX)
    filled = row_indexes(raw, path)
    shown = min(max(len(filled) + rows_spare, rows_min), limit)
    fresh = range(max(filled, default=-1) + 1, ROWS_MAX)
    groups = []
    for number, index in enumerate([*filled, *fresh][:shown], start=1):
        group = FormField(
            path=f"{path}.{index}",
            title=f"{items.get('title') or '第'} {number}",
            kind="group",
            depth=depth + 1,
        )
        group.children = _build(items, raw, {}, rows, depth=depth + 2, prefix=f"{path}.{index}.")
        for child in group.children:
            child.required = False  # a row left empty is not sent; the engine checks the rows that are
        groups.append(group)
    return groups


def walk(fields: Iterable[FormField]) -> Iterable[FormField]:
    """Every field, groups and their members, depth first (the order of the rows on paper)."""
    for field_ in fields:
        yield field_
        yield from walk(field_.children)


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


def _plain(target: FormField, message: str) -> str:
    """The engine's terse “必填” as a sentence that names the field."""
    if message == "必填":
        return f"请{'选择' if target.kind in kinds.CHOICE_KINDS else '填写'}{target.title}"
    return message


def hold_applicant_fields(fields: list[FormField], schema: dict[str, Any]) -> None:
    """The applicant's name, ID number and USCC (`x-applicant`) come from the account: shown, not edited."""
    bound = bound_fields(schema)
    for f in fields:
        if bound.get(f.path) in CHECKED and f.value:
            f.attrs["readonly"] = "readonly"
            f.description = f.description or "与申请人账号一致，不可修改"


def prefilled(schema: Mapping[str, Any], known: Mapping[str, str]) -> Raw:
    """Answers already known (the applicant's name, number…) for the top-level fields the schema has."""
    properties = kinds.properties_of(schema)
    return {name: value for name, value in known.items() if name in properties and value}


def subset_schema(schema: Mapping[str, Any], names: set[str]) -> dict[str, Any]:
    """The schema with only the top-level fields `names` (a bundle without its unticked optional members)."""
    properties = {k: v for k, v in (schema.get("properties") or {}).items() if k in names}
    return {
        **schema,
        "properties": properties,
        "required": [k for k in schema.get("required") or [] if k in properties],
    }
