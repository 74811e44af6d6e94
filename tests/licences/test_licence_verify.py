"""A stored licence verifies; any change to its signed data in the database makes verification fail."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import make_citizen, make_department
from tests.licences.conftest import make_licence
from yiwang.licences.identifiers import parse_identifier
from yiwang.licences.models import Licence, LicenceStatus
from yiwang.licences.services import department_key_ensure, licence_change_status, licence_verify

pytestmark = pytest.mark.django_db


def _reloaded(licence: Licence) -> Licence:
    return Licence.objects.select_related("licence_type", "issuer", "key__department").get(pk=licence.pk)


def test_an_issued_licence_verifies_and_is_valid():
    licence = make_licence(make_citizen(), issued_on=date(2026, 1, 5))
    result = licence_verify(_reloaded(licence), today=date(2026, 6, 1))
    assert result.valid_signature and result.verdict == "ok"
    assert result.status == LicenceStatus.VALID and result.currently_valid
    assert licence.valid_until == date(2031, 1, 5)  # the type's five years
    assert str(parse_identifier(licence.identifier)) == licence.identifier
    assert licence.identifier.split(".")[6] == licence.issuer.uscc


@pytest.mark.parametrize(
    "change",
    [
        {
            "data": {
                "operator_name": "王五",
                "business_items": "预包装食品销售",
                "address": "示范市文华路88号",
            }
        },
        {"holder_code": "110105194912310021"},
        {"holder_name": "王五"},
        {"number": "X0001"},
        {"valid_until": date(2099, 1, 1)},
        {"issued_on": date(2020, 1, 1)},
        {"version": 2},
    ],
)
def test_a_change_to_signed_data_in_the_database_fails_verification(change):
    licence = make_licence(make_citizen())
    Licence.objects.filter(pk=licence.pk).update(**change)
    result = licence_verify(_reloaded(licence))
    assert not result.valid_signature
    assert result.verdict == "tampered"


def test_one_changed_character_of_the_face_data_fails_verification():
    licence = make_licence(make_citizen())
    data = dict(licence.data)
    data["address"] = data["address"].replace("88", "89")
    Licence.objects.filter(pk=licence.pk).update(data=data)
    assert not licence_verify(_reloaded(licence)).valid_signature


def test_a_recomputed_digest_does_not_help_a_forger():
    licence = make_licence(make_citizen())
    forged = _reloaded(licence)
    forged.data = {**forged.data, "business_items": "危险化学品经营"}
    from yiwang.core.digests import sm3_hex
    from yiwang.licences.services import signed_payload
    from yiwang.licences.signing import canonical_bytes

    forged.digest = sm3_hex(canonical_bytes(signed_payload(forged)))
    forged.save()
    result = licence_verify(_reloaded(licence))
    assert not result.valid_signature and result.problem == "签名验证未通过"


def test_a_licence_re_pointed_at_another_departments_key_fails():
    licence = make_licence(make_citizen())
    Licence.objects.filter(pk=licence.pk).update(key=department_key_ensure(make_department()))
    result = licence_verify(_reloaded(licence))
    assert not result.valid_signature and result.problem == "签名密钥不属于颁发机构"


def test_the_status_is_not_signed_so_a_revocation_keeps_the_signature_valid():
    licence = make_licence(make_citizen())
    licence_change_status(licence=licence, status=LicenceStatus.REVOKED, reason="以欺骗手段取得许可")
    result = licence_verify(_reloaded(licence))
    assert result.valid_signature
    assert result.verdict == "inactive" and result.status_label == "吊销/撤销"


def test_an_expired_licence_verifies_but_is_not_currently_valid():
    licence = make_licence(make_citizen(), issued_on=date(2015, 1, 1))
    result = licence_verify(_reloaded(licence), today=date(2026, 6, 1))
    assert result.valid_signature and not result.currently_valid and result.verdict == "inactive"


def test_a_person_holder_name_is_masked_an_organisation_name_is_not():
    from tests.factories import make_company

    person = licence_verify(make_licence(make_citizen(name="张示范")))
    company = licence_verify(make_licence(make_company(name="示范市云帆科技有限公司")))
    assert person.holder_name_masked == "张**"
    assert company.holder_name_masked == "示范市云帆科技有限公司"
