from __future__ import annotations

from typing import Any

import pytest

from tests.factories import make_department
from yiwang.licences.models import LicenceType
from yiwang.licences.services import licence_create

# A made-up defining agency code (not a real USCC) and type sequence 901.
TYPE_CODE = "11100000YW000099XF901"


def make_licence_type(**overrides: Any) -> LicenceType:
    values: dict[str, Any] = {
        "code": TYPE_CODE,
        "name": "测试经营许可证",
        "category": "permit",
        "defining_agency": "测试部",
        "defining_agency_code": TYPE_CODE[:18],
        "holder_kind": "person",
        "validity_years": 5,
        "data_fields": [
            {"name": "operator_name", "title": "经营者名称", "from": ["applicant_name"]},
            {"name": "business_items", "title": "经营项目"},
            {"name": "address", "title": "经营场所", "from": ["business_address"]},
        ],
    }
    values.update(overrides)
    return LicenceType.objects.create(**values)


def make_licence(
    holder: Any, *, licence_type: LicenceType | None = None, issuer: Any = None, **overrides: Any
):
    """A signed licence held by `holder` (a person or company user)."""
    person = holder.kind == "person"
    values: dict[str, Any] = {
        "licence_type": licence_type
        or LicenceType.objects.filter(code=TYPE_CODE).first()
        or make_licence_type(),
        "issuer": issuer or make_department(),
        "holder_name": holder.name,
        "holder_code": holder.id_number if person else holder.uscc,
        "holder_code_type": "111" if person else "001",
        "data": {
            "operator_name": holder.name,
            "business_items": "预包装食品销售",
            "address": "示范市文华路88号",
        },
    }
    values.update(overrides)
    return licence_create(**values)


@pytest.fixture
def licence_type(db) -> LicenceType:
    return make_licence_type()
