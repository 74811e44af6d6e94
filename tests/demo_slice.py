"""One bundle of the demo city, as `make run` loads it, without the rest: its departments, its member
items with their real forms and materials, the licence types, and the departments' signing keys."""

from __future__ import annotations

from typing import Any

from yiwang.accounts.models import User
from yiwang.catalog.models import Bundle, Department
from yiwang.catalog.transfer.importing import catalog_import
from yiwang.demo.catalog_data import demo_catalog
from yiwang.demo.licences_data import licence_type_rows
from yiwang.licences.models import Licence, LicenceType
from yiwang.licences.services import department_key_ensure, licence_create

LICENCE_TYPE_CODES = {row["name"]: row["code"] for row in licence_type_rows()}
ID_CARD = LICENCE_TYPE_CODES["居民身份证"]
BUSINESS_LICENCE = LICENCE_TYPE_CODES["营业执照"]


def load_demo_bundle(code: str) -> Bundle:
    document: dict[str, Any] = demo_catalog()
    bundle = next(b for b in document["bundles"] if b["code"] == code)
    wanted = {member["item"] for member in bundle["members"]}
    items = [item for item in document["items"] if item["code"] in wanted]
    departments = {item["department"] for item in items} | {bundle["lead_department"]}
    catalog_import(
        {
            **document,
            "departments": [d for d in document["departments"] if d["code"] in departments],
            "service_points": [],
            "items": items,
            "bundles": [bundle],
        }
    )
    for row in licence_type_rows():
        LicenceType.objects.get_or_create(code=row["code"], defaults=row)
    for department in Department.objects.filter(code__in=departments):
        department_key_ensure(department)
    return Bundle.objects.get(code=code)


def give_id_licence(person: User) -> Licence:
    """The person's 居民身份证 in the library, as the demo's public security bureau issued it."""
    return licence_create(
        licence_type=LicenceType.objects.get(code=ID_CARD),
        issuer=Department.objects.get(code="scjg"),
        holder_name=person.name,
        holder_code=person.id_number or "",
        holder_code_type="111",
        data={"name": person.name, "id_number": person.id_number or ""},
    )
