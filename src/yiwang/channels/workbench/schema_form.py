"""An item's application form (its JSON Schema, or a bundle's merged one) as a Django form.

The Django form only turns posted text into JSON values (dates, numbers, lists, yes/no) and marks
required fields for the browser; the case engine (`cases.formcheck`) is the one validator, and its
`form.<field>` messages are put back on the fields they name.
"""

from __future__ import annotations

from typing import Any

from django import forms

LONG_TEXT = 500
MAX_DEPTH = 3
SEP = "__"
ROWS_SHOWN_MIN = 3  # a list of records (股东): rows on the page, one empty row more than filled
ROWS_MAX = 50


def _main_type(prop: dict[str, Any]) -> str:
    kind = prop.get("type", "string")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    return str(kind)


def _choices(prop: dict[str, Any]) -> list[tuple[Any, str]]:
    if isinstance(prop.get("enum"), list):
        return [(v, str(v)) for v in prop["enum"] if v is not None]
    return [
        (o["const"], str(o.get("title") or o["const"]))
        for o in (prop.get("oneOf") or prop.get("anyOf") or [])
        if isinstance(o, dict) and "const" in o
    ]


def _placeholder(prop: dict[str, Any]) -> str:
    examples = prop.get("examples")
    if isinstance(examples, list) and examples and isinstance(examples[0], str | int | float):
        return f"例：{examples[0]}"
    return ""


def _typed_choice(pairs: list[tuple[Any, str]], *, multiple: bool, **common: Any) -> forms.Field:
    by_text = {str(value): value for value, _label in pairs}
    options = [(str(value), label) for value, label in pairs]
    if multiple:
        return forms.TypedMultipleChoiceField(
            choices=options, coerce=by_text.__getitem__, widget=forms.CheckboxSelectMultiple, **common
        )
    if len(options) <= 3:
        return forms.TypedChoiceField(
            choices=options, coerce=by_text.__getitem__, widget=forms.RadioSelect, empty_value=None, **common
        )
    return forms.TypedChoiceField(
        choices=[("", "请选择")] + options, coerce=by_text.__getitem__, empty_value=None, **common
    )


def field_for(prop: dict[str, Any], *, required: bool) -> forms.Field:
    common: dict[str, Any] = {
        "label": str(prop.get("title") or ""),
        "required": required,
        "help_text": str(prop.get("description") or ""),
    }
    kind = _main_type(prop)
    choices = _choices(prop)
    if kind == "array" and isinstance(prop.get("items"), dict) and _choices(prop["items"]):
        return _typed_choice(_choices(prop["items"]), multiple=True, **common)
    if choices:
        return _typed_choice(choices, multiple=False, **common)
    if kind == "boolean":
        return _typed_choice([(True, "是"), (False, "否")], multiple=False, **common)
    if kind == "integer":
        return forms.IntegerField(min_value=prop.get("minimum"), max_value=prop.get("maximum"), **common)
    if kind == "number":
        return forms.FloatField(min_value=prop.get("minimum"), max_value=prop.get("maximum"), **common)
    placeholder = _placeholder(prop)
    if prop.get("format") == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    max_length = prop.get("maxLength")
    attrs = {"placeholder": placeholder} if placeholder else {}
    if kind == "array":
        common["help_text"] = (common["help_text"] + " 每行一项。").strip()
    if kind in ("array", "object") or (isinstance(max_length, int) and max_length >= LONG_TEXT):
        attrs["rows"] = "3"
        widget: forms.Widget = forms.Textarea(attrs=attrs)
    else:
        widget = forms.TextInput(attrs=attrs)
    return forms.CharField(
        max_length=max_length if isinstance(max_length, int) else None,
        widget=widget,
        strip=True,
        **common,
    )


class SchemaForm(forms.Form):
    """Fields named by their JSON path (`a__b` for `a.b`); `form_data()` gives the JSON object back."""

    def __init__(self, schema: dict[str, Any], *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "form")
        super().__init__(*args, **kwargs)
        self.paths: dict[str, list[str]] = {}
        self.groups: dict[str, str] = {}
        self.kinds: dict[str, str] = {}
        self._add(schema if isinstance(schema, dict) else {}, [], "")

    def _add(self, schema: dict[str, Any], path: list[str], group: str) -> None:
        required = set(schema.get("required") or [])
        for name, prop in (schema.get("properties") or {}).items():
            if not isinstance(prop, dict):
                continue
            here = [*path, str(name)]
            if (
                _main_type(prop) == "object"
                and isinstance(prop.get("properties"), dict)
                and len(here) < MAX_DEPTH
            ):
                self._add(prop, here, str(prop.get("title") or name))
                continue
            items = prop.get("items")
            if (
                _main_type(prop) == "array"
                and isinstance(items, dict)
                and isinstance(items.get("properties"), dict)
            ):
                self._add_rows(prop, items, here)
                continue
            key = SEP.join(here)
            field = field_for(prop, required=name in required)
            field.label = field.label or str(name)
            self.fields[key] = field
            self.paths[key] = here
            self.groups[key] = group
            self.kinds[key] = _main_type(prop)

    def _add_rows(self, prop: dict[str, Any], items: dict[str, Any], here: list[str]) -> None:
        """A list of records as numbered rows of fields (`name__<i>__field`); empty rows are left out."""
        start = f"{self.prefix}-{SEP.join(here)}{SEP}" if self.prefix else f"{SEP.join(here)}{SEP}"
        filled = set()
        for key, value in (self.data or {}).items():
            head = key[len(start) :].split(SEP)[0] if key.startswith(start) else ""
            if value and head.isdigit() and int(head) < ROWS_MAX:
                filled.add(int(head))
        limit = min(int(prop.get("maxItems") or ROWS_MAX), ROWS_MAX)
        shown = min(max(len(filled) + 1, ROWS_SHOWN_MIN, max(filled, default=-1) + 2), limit)
        title = str(prop.get("title") or here[-1])
        for index in range(shown):
            for name, child in (items.get("properties") or {}).items():
                if not isinstance(child, dict):
                    continue
                key = SEP.join([*here, str(index), str(name)])
                field = field_for(child, required=False)  # a row left empty is not sent
                field.label = field.label or str(name)
                self.fields[key] = field
                self.paths[key] = [*here, str(index), str(name)]
                self.groups[key] = f"{title} {index + 1}"
                self.kinds[key] = _main_type(child)

    def form_data(self) -> dict[str, Any]:
        """The cleaned values as the JSON object the schema describes; empty optional fields left out."""
        data: dict[str, Any] = {}
        for key, path in self.paths.items():
            value = self.cleaned_data.get(key)
            if value is None or value == "" or value == []:
                continue
            if hasattr(value, "isoformat"):
                value = value.isoformat()
            elif self.kinds[key] == "array" and isinstance(value, str):
                value = [line.strip() for line in value.splitlines() if line.strip()]
            target = data
            for part in path[:-1]:
                target = target.setdefault(part, {})
            target[path[-1]] = value
        return _lists(data)

    def add_engine_errors(self, fields: dict[str, list[str]]) -> None:
        """Put the engine's `form.<path>` messages on their fields; others become form-wide errors."""
        for key, messages in fields.items():
            if not key.startswith("form"):
                continue
            name = SEP.join(key.split(".")[1:])
            for message in messages:
                if name in self.fields:
                    self.add_error(name, message)
                else:
                    self.add_error(None, f"申请表：{message}")


def _lists(value: Any) -> Any:
    """Rows kept by number (`{"0": {...}, "2": {...}}`) as the list the schema describes, in order."""
    if not isinstance(value, dict):
        return value
    if value and all(key.isdigit() for key in value):
        return [_lists(value[key]) for key in sorted(value, key=int)]
    return {key: _lists(item) for key, item in value.items()}
