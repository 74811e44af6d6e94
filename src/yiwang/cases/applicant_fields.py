"""申请人身份字段: form fields that state who applies, bound to the applicant by the schema keyword
`"x-applicant"` — `name`, `id_number`, `uscc`, `legal_representative`, `legal_representative_id_number`.

An existing applicant's name, ID number and USCC come from the account (or, at a window, from the
identity the clerk checked): a missing field is filled in, a different value refused — nobody
applies in another person's name from their own account. For a company that does not exist yet
(企业开办), the same fields are where the company-to-be is named.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from yiwang.core.masking import mask_id_number

APPLICANT_KEYWORD = "x-applicant"


class Binding(StrEnum):
    NAME = "name"
    ID_NUMBER = "id_number"
    USCC = "uscc"
    LEGAL_REPRESENTATIVE = "legal_representative"
    LEGAL_REPRESENTATIVE_ID_NUMBER = "legal_representative_id_number"


# What an account fixes; the legal representative may change (变更登记), so it is not checked.
CHECKED = frozenset({Binding.NAME, Binding.ID_NUMBER, Binding.USCC})


def bound_fields(schema: dict[str, Any]) -> dict[str, Binding]:
    """Field name → what it states about the applicant, for the fields the schema binds."""
    found: dict[str, Binding] = {}
    for name, prop in (schema.get("properties") or {}).items():
        value = prop.get(APPLICANT_KEYWORD) if isinstance(prop, dict) else None
        if isinstance(value, str) and value in Binding.__members__.values():
            found[name] = Binding(value)
    return found


def _same(binding: Binding, a: str, b: str) -> bool:
    if binding in (Binding.NAME, Binding.LEGAL_REPRESENTATIVE):
        return a.strip() == b.strip()
    return a.strip().upper() == b.strip().upper()


def bind_to_applicant(
    schema: dict[str, Any], form: dict[str, Any], known: dict[Binding, str]
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The form with the applicant's identity filled in, and a problem per field that names someone else.

    `known`: what the applicant's identity says (an empty value is not checked).
    """
    filled = dict(form)
    problems: dict[str, list[str]] = {}
    for name, binding in bound_fields(schema).items():
        expected = known.get(binding, "") if binding in CHECKED else ""
        if not expected:
            continue
        given = filled.get(name)
        if given is None or given == "":
            filled[name] = expected
        elif not isinstance(given, str) or not _same(binding, given, expected):
            shown = mask_id_number(expected) if binding == Binding.ID_NUMBER else expected
            problems.setdefault(f"form.{name}", []).append(
                f"须与申请人一致（{shown}）：只能以本人（本单位）名义申请，代他人申请请到综合窗口办理"
            )
    return filled, problems


def stated(schema: dict[str, Any], form: dict[str, Any]) -> dict[Binding, str]:
    """What the form states about the applicant: for a company-to-be, its name and legal representative."""
    values: dict[Binding, str] = {}
    for name, binding in bound_fields(schema).items():
        value = form.get(name)
        if isinstance(value, str) and value.strip() and binding not in values:
            values[binding] = value.strip()
    return values
