"""使用电子证照（免提交）: which of the applicant's valid e-licences can stand in for a material.

The licence library (`yiwang.licences`) is optional. The option is offered only when the library is
installed, the case engine can accept a licence (its `licence_satisfying` hook exists — the engine
imports it from the library when a submission names a licence), and the applicant holds a valid
licence of the material's type. The engine checks the licence again when the application is
submitted; this only decides what the page offers.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.apps import apps


@dataclass(frozen=True)
class LicenceOffer:
    identifier: str
    name: str
    number: str
    issuer: str
    valid_until: date | None


def _library() -> Any:
    """The licence library's selectors module if it is installed and connected to the engine, else None."""
    if not apps.is_installed("yiwang.licences"):
        return None
    try:
        selectors = importlib.import_module("yiwang.licences.selectors")
    except ImportError:
        return None
    wanted = ("holder_code_of", "licence_find_valid", "licence_satisfying")
    return selectors if all(hasattr(selectors, name) for name in wanted) else None


def licences_available() -> bool:
    return _library() is not None


def licence_offers(user: Any, type_codes: Iterable[str]) -> dict[str, LicenceOffer]:
    """The user's currently valid licence for each type code they hold one of (one query per type)."""
    codes = sorted({code for code in type_codes if code})
    library = _library() if codes else None
    if library is None:
        return {}
    holder = library.holder_code_of(user)
    if not holder:
        return {}
    offers = {}
    for code in codes:
        licence = library.licence_find_valid(holder_code=holder, type_code=code)
        if licence is not None:
            offers[code] = LicenceOffer(
                identifier=licence.identifier,
                name=licence.name,
                number=licence.number,
                issuer=getattr(licence.issuer, "name", ""),
                valid_until=licence.valid_until,
            )
    return offers
