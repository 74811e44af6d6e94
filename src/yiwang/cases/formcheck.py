"""Validate application form data against an item's JSON Schema, with Chinese field messages."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError as SchemaViolation

from yiwang.core.identifiers import IdentifierError, normalize_id_number, normalize_uscc

_FORMATS = FormatChecker(formats=["date", "email"])
# Identifier formats of our forms: the national check rules, not a pattern that any 18 digits pass.
ID_NUMBER_FORMAT = "id-number"  # 公民身份号码, GB 11643
USCC_FORMAT = "uscc"  # 统一社会信用代码, GB 32100


@_FORMATS.checks(ID_NUMBER_FORMAT, raises=IdentifierError)
def _is_id_number(value: object) -> bool:
    return not isinstance(value, str) or bool(normalize_id_number(value))


@_FORMATS.checks(USCC_FORMAT, raises=IdentifierError)
def _is_uscc(value: object) -> bool:
    return not isinstance(value, str) or bool(normalize_uscc(value))


def _message(error: SchemaViolation) -> str:
    schema = error.schema if isinstance(error.schema, dict) else {}
    match error.validator:
        case "required":
            return "必填"
        case "type":
            names = {
                "string": "文字",
                "number": "数字",
                "integer": "整数",
                "boolean": "是或否",
                "array": "列表",
                "object": "对象",
            }
            expected = schema.get("type")
            return f"应为{names.get(expected, expected)}" if isinstance(expected, str) else "类型不正确"
        case "maxLength":
            return f"长度不能超过 {schema.get('maxLength')} 个字符"
        case "minLength":
            return (
                "必填" if schema.get("minLength") == 1 else f"长度不能少于 {schema.get('minLength')} 个字符"
            )
        case "pattern":
            return "格式不正确"
        case "format":
            if isinstance(error.cause, IdentifierError):
                return error.cause.message
            return {
                "date": "应为 YYYY-MM-DD 格式的日期",
                "date-time": "应为 ISO 8601 时间",
                "email": "邮箱格式不正确",
            }.get(schema.get("format", ""), "格式不正确")
        case "enum":
            return "须为以下之一：" + "、".join(str(v) for v in schema.get("enum", []))
        case "minimum":
            return f"不能小于 {schema.get('minimum')}"
        case "maximum":
            return f"不能大于 {schema.get('maximum')}"
        case "additionalProperties":
            return "含有表单未定义的字段"
    return "取值无效"


def form_errors(schema: dict[str, Any], data: Any, *, prefix: str = "form") -> dict[str, list[str]]:
    """Every problem of `data`, keyed `form.<field>`; fields the schema does not define are refused too."""
    if not isinstance(data, dict):
        return {prefix: ["应为 JSON 对象"]}
    errors: dict[str, list[str]] = {}
    known = set((schema.get("properties") or {}).keys())
    for name in sorted(set(data) - known):
        errors.setdefault(f"{prefix}.{name}", []).append("不是该申请表的字段")
    validator = Draft202012Validator(schema, format_checker=_FORMATS)
    for error in validator.iter_errors(data):
        path = [str(p) for p in error.absolute_path]
        if error.validator == "required":
            missing = error.message.split("'")[1] if "'" in error.message else ""
            path = [*path, missing] if missing else path
        if error.validator == "additionalProperties":
            continue  # reported above, field by field
        key = ".".join([prefix, *path]) if path else prefix
        message = _message(error)
        if error.validator == "required":
            message = _required_when(schema, error) + message
        errors.setdefault(key, []).append(message)
    return errors


def _required_when(schema: dict[str, Any], error: SchemaViolation) -> str:
    """For a field required only in a case (`if`/`then`), the case: “证件领取方式为“邮寄送达”时”.

    A plain “必填” next to a field the form marks optional would leave the applicant guessing why.
    """
    steps = list(error.absolute_schema_path)
    if len(steps) < 2 or steps[-2] != "then":
        return ""
    node: Any = schema
    fields = schema.get("properties") or {}
    for step in steps[:-2]:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return ""
        if isinstance(node, dict) and isinstance(node.get("properties"), dict):
            fields = node["properties"]
    condition = node.get("if") if isinstance(node, dict) else None
    if not isinstance(condition, dict):
        return ""
    cases = [
        f"{(fields.get(name) or {}).get('title') or name}为“{rule['const']}”"
        for name, rule in (condition.get("properties") or {}).items()
        if isinstance(rule, dict) and "const" in rule
    ]
    return f"{'且'.join(cases)}时" if cases else ""
