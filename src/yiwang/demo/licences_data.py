"""示范市电子证照库: the 17 licence types the demo catalog asks for or issues, every department's
signing key, and a realistic library for the demo citizen (张示范) and company (示范市云帆科技有限公司),
from `data/licences.json`.

A licence type's `data_fields` name the 照面信息 of the type; `from` lists the application-form fields
(demo catalog) a case's data fills them from. Validity terms follow the commonly published rules and are
set per type (居民身份证 depends on age, so it has none and each card carries its own). A type code is the
defining agency's USCC (made up: region 100000, organisation codes starting "YW", both GB 32100 check
characters valid) plus a 3-digit sequence. Everything is fictional; loading it twice changes nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from yiwang.catalog.models import Department
from yiwang.demo.data_files import demo_data
from yiwang.licences.models import Licence, LicenceType
from yiwang.licences.services import LONG_TERM, department_keys_ensure, licence_create

LICENCES_FILE = "licences.json"


def licence_type_rows() -> list[dict[str, Any]]:
    """The demo's licence types (电子证照目录), as `LicenceType` field values."""
    rows: list[dict[str, Any]] = demo_data(LICENCES_FILE)["licence_types"]
    return rows


def _valid_until(entry: dict[str, Any]) -> Any:
    if entry.get("long_term"):
        return LONG_TERM  # long-term even though the type normally expires
    return date.fromisoformat(entry["valid_until"]) if entry.get("valid_until") else None


@transaction.atomic
def demo_licences_load() -> dict[str, int]:
    """Licence types, signing keys and the demo library; only what is missing is added."""
    document = demo_data(LICENCES_FILE)
    types = 0
    for row in document["licence_types"]:
        _, created = LicenceType.objects.get_or_create(code=row["code"], defaults=row)
        types += created
    keys = department_keys_ensure()
    licences = 0
    for entry in document["licences"]:
        if Licence.objects.filter(
            licence_type__code=entry["type"], holder_code=entry["holder_code"]
        ).exists():
            continue
        licence_create(
            licence_type=LicenceType.objects.get(code=entry["type"]),
            issuer=Department.objects.get(code=entry["issuer"]),
            holder_name=entry["holder_name"],
            holder_code=entry["holder_code"],
            holder_code_type=entry["holder_code_type"],
            data=entry["data"],
            number=entry["number"],
            issued_on=date.fromisoformat(entry["issued_on"]),
            valid_until=_valid_until(entry),
        )
        licences += 1
    return {"licence_types": types, "signing_keys": keys, "licences": licences}
