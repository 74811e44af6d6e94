"""A service's refusal on a page's form: each field error of a DomainError under the form field it names."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms

from yiwang.core.errors import DomainError


def field_errors_onto(form: forms.Form, exc: DomainError, *, rename: Mapping[str, str] | None = None) -> bool:
    """Puts each of `exc`'s field errors under the form field it names (through `rename` where the service
    and the form call a field differently), or among the form's own errors when no field has that name.
    False when `exc` named no field: its message is for the caller to show."""
    placed = False
    for name, problems in exc.fields.items():
        target = (rename or {}).get(name, name)
        for problem in problems:
            form.add_error(target if target in form.fields else None, problem)
            placed = True
    return placed
