"""Masking of personal identifiers wherever they would be shown or logged in clear."""

from __future__ import annotations

import re
from typing import Any

# Boundaries are "not a digit" rather than \b so an ID inside Chinese text ("身份证号110105…") is found too.
ID_NUMBER_RE = re.compile(r"(?<![0-9])([1-9][0-9]{5})([0-9]{8})([0-9]{3}[0-9Xx])(?![0-9Xx])")
MOBILE_RE = re.compile(r"(?<![0-9])(1[3-9][0-9])([0-9]{4})([0-9]{4})(?![0-9])")


def mask_id_number(value: str) -> str:
    """`110105194912310021` → `110105********0021`: region stays (it is not personal), birth date goes."""
    if len(value) != 18:
        return "*" * len(value)
    return f"{value[:6]}{'*' * 8}{value[-4:]}"


def mask_mobile(value: str) -> str:
    """`13812345678` → `138****5678`."""
    if len(value) != 11:
        return "*" * len(value)
    return f"{value[:3]}****{value[-4:]}"


def mask_text(text: str) -> str:
    """Mask every ID number and mobile number that appears anywhere in free text."""
    text = ID_NUMBER_RE.sub(lambda m: f"{m.group(1)}{'*' * 8}{m.group(3)}", text)
    return MOBILE_RE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)


def mask_json(value: Any) -> Any:
    """Every string inside JSON-like data (keys too) with its identifiers masked."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, dict):
        return {mask_text(str(key)): mask_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [mask_json(item) for item in value]
    return value
