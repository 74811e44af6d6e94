"""Chinese, field-level messages for request validation errors (Pydantic's are English)."""

from __future__ import annotations

from typing import Any

_MESSAGES = {
    "missing": "必填",
    "string_too_long": "长度不能超过 {max_length} 个字符",
    "string_too_short": "长度不能少于 {min_length} 个字符",
    "greater_than_equal": "不能小于 {ge}",
    "less_than_equal": "不能大于 {le}",
    "greater_than": "须大于 {gt}",
    "less_than": "须小于 {lt}",
    "int_parsing": "须为整数",
    "int_type": "须为整数",
    "int_from_float": "须为整数",
    "bool_parsing": "须为 true 或 false",
    "bool_type": "须为 true 或 false",
    "string_type": "须为字符串",
    "string_pattern_mismatch": "格式不正确",
    "too_long": "不能超过 {max_length} 项",
    "too_short": "不能少于 {min_length} 项",
    "uuid_parsing": "须为 UUID",
    "uuid_type": "须为 UUID",
    "float_type": "须为数字",
    "int_parsing_size": "数值超出范围",
    "literal_error": "取值须为以下之一：{expected}",
    "enum": "取值须为以下之一：{expected}",
    "dict_type": "须为 JSON 对象",
    "model_type": "须为 JSON 对象",
    "model_attributes_type": "须为 JSON 对象",
    "list_type": "须为数组",
    "json_invalid": "不是合法的 JSON",
    "date_from_datetime_parsing": "须为 YYYY-MM-DD 格式的日期",
    "date_parsing": "须为 YYYY-MM-DD 格式的日期",
    "datetime_parsing": "须为 ISO 8601 格式的时间",
    "decimal_parsing": "须为数字",
    "float_parsing": "须为数字",
    "extra_forbidden": "不允许的字段",
    # Pydantic writes these messages in English ("Value error, …"): never passed through.
    "value_error": "取值无效",
}

# Ninja prefixes the location with where the value came from; callers know their fields by name.
_SOURCES = {"query", "path", "body", "header", "form", "file", "cookie"}
_ARGUMENTS = {"payload", "filters"}


def _path(loc: list[Any]) -> str:
    """The field path as the services and the text check write it: `materials[0].document`."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def field_errors(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        loc = list(error.get("loc", ()))
        # Drop where the value came from, then ninja's name of the schema argument; keep the field path.
        if loc and loc[0] in _SOURCES:
            loc = loc[1:]
        if loc and loc[0] in _ARGUMENTS:
            loc = loc[1:]
        name = _path(loc) or "__all__"
        template = _MESSAGES.get(error.get("type", ""), "取值无效")
        ctx = {
            k: (str(v).replace("'", "") if k == "expected" else v)
            for k, v in (error.get("ctx") or {}).items()
        }
        ctx.setdefault("msg", error.get("msg", "取值无效"))
        try:
            message = template.format(**ctx)
        except (KeyError, IndexError):
            message = "取值无效"
        fields.setdefault(name, []).append(message)
    return fields
