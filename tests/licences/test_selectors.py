"""Reads other contexts rely on: a material provided as a licence, a holder's valid licence, revocation."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import make_citizen
from tests.licences.conftest import TYPE_CODE, make_licence
from yiwang.licences.models import LicenceStatus
from yiwang.licences.selectors import licence_find_valid, licence_satisfying
from yiwang.licences.services import licence_change_status

pytestmark = pytest.mark.django_db


def test_a_licence_satisfies_a_material_for_its_holder_only():
    citizen, other = make_citizen(), make_citizen()
    licence = make_licence(citizen)
    kwargs = {"licence_type_code": TYPE_CODE, "identifier": licence.identifier}
    assert licence_satisfying(holder=citizen.id_number, **kwargs) == licence.identifier
    assert licence_satisfying(holder=other.id_number, **kwargs) is None


def test_a_licence_of_another_type_or_not_valid_does_not_satisfy():
    citizen = make_citizen()
    licence = make_licence(citizen, issued_on=date(2025, 1, 1))
    holder = citizen.id_number
    assert (
        licence_satisfying(holder=holder, licence_type_code="OTHER001", identifier=licence.identifier) is None
    )
    assert (
        licence_satisfying(
            holder=holder, licence_type_code=TYPE_CODE, identifier=licence.identifier, today=date(2031, 1, 1)
        )
        is None
    )
    licence_change_status(licence=licence, status=LicenceStatus.SUSPENDED, reason="暂扣")
    assert (
        licence_satisfying(holder=holder, licence_type_code=TYPE_CODE, identifier=licence.identifier) is None
    )


def test_a_malformed_or_unknown_identifier_satisfies_nothing():
    citizen = make_citizen()
    assert licence_satisfying(holder=citizen.id_number, licence_type_code=TYPE_CODE, identifier="abc") is None


def test_the_latest_valid_licence_of_a_type_is_found():
    citizen = make_citizen()
    make_licence(citizen, issued_on=date(2018, 1, 1))  # expired 2023
    current = make_licence(citizen, issued_on=date(2024, 1, 1))
    found = licence_find_valid(holder_code=citizen.id_number, type_code=TYPE_CODE, today=date(2026, 1, 1))
    assert found == current
