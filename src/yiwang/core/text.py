"""Text that no field of ours can hold, found once at the edge with the path of the value holding it.

A lone UTF-16 surrogate (JSON allows the escape "\\ud800") cannot be encoded as UTF-8, so it fails in
whatever first encodes it (a digest, field encryption, the database driver); PostgreSQL cannot store
a NUL in text; and a string longer than any of our fields is never a real value. Each is refused
before a handler runs, so no service has to guard against them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

# Longer than any text field of ours (the longest free text is a few thousand characters); the
# fields' own limits are stated in the API's schemas and the items' form schemas.
MAX_TEXT_LENGTH = 20_000

# Only these escapes can put a NUL or a surrogate into parsed JSON (raw NULs and raw surrogate bytes
# are not valid JSON text); a body without them needs no walk unless it is long enough to hold an
# over-long string.
_SUSPECT_ESCAPE = re.compile(rb"\\u(?:0000|[dD][89a-fA-F])")
_SURROGATE = re.compile("[\ud800-\udfff]")


def text_problem(value: str, *, max_length: int | None = MAX_TEXT_LENGTH) -> str | None:
    """Why no field can hold `value`, in Chinese; None when it is acceptable text."""
    if "\x00" in value:
        return "不能含有空字符（NUL）"
    if _SURROGATE.search(value):
        return "含有无法以 UTF-8 编码的字符（不成对的代理项）"
    if max_length is not None and len(value) > max_length:
        return f"长度不能超过 {max_length} 个字符"
    return None


def printable(value: str) -> str:
    """`value` with each NUL or lone surrogate written as its escape: safe to echo in an answer."""
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", value).replace("\x00", "\\u0000")


def json_needs_check(body: bytes, *, max_length: int = MAX_TEXT_LENGTH) -> bool:
    """Whether a JSON body could hold a NUL, a lone surrogate or an over-long string at all."""
    return len(body) > max_length or _SUSPECT_ESCAPE.search(body) is not None


def json_text_problems(data: Any, *, max_length: int = MAX_TEXT_LENGTH) -> dict[str, list[str]]:
    """Every string of parsed JSON (object keys included) that no field can hold, keyed by its path
    as the API names fields (`form.a`, `items[0].reason`)."""
    problems: dict[str, list[str]] = {}
    stack: list[tuple[str, Any]] = [("", data)]  # a loop, not recursion: nesting depth is the client's
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            problem = text_problem(value, max_length=max_length)
            if problem:
                problems.setdefault(path or "__all__", []).append(problem)
        elif isinstance(value, dict):
            for key, child in value.items():
                child_path = f"{path}.{printable(key)}" if path else printable(key)
                problem = text_problem(key, max_length=max_length)
                if problem:
                    problems.setdefault(child_path, []).append(f"字段名{problem}")
                stack.append((child_path, child))
        elif isinstance(value, list):
            stack.extend((f"{path}[{index}]", child) for index, child in enumerate(value))
    return problems


def pairs_text_problems(
    pairs: Iterable[tuple[str, list[str]]], *, max_length: int | None = MAX_TEXT_LENGTH
) -> dict[str, list[str]]:
    """The same for form or query parameters (`QueryDict.lists()`), keyed by parameter name."""
    problems: dict[str, list[str]] = {}
    for name, values in pairs:
        key = printable(name) or "__all__"
        problem = text_problem(name, max_length=max_length)
        if problem:
            problems.setdefault(key, []).append(f"参数名{problem}")
        for value in values:
            problem = text_problem(value, max_length=max_length)
            if problem:
                problems.setdefault(key, []).append(problem)
    return problems
