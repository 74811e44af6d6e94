"""The demo city's e-licence library: every type the catalog uses, keys for every department, signed licences."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from yiwang.catalog.models import Department, ItemVersion, Material
from yiwang.core.identifiers import normalize_uscc
from yiwang.demo.accounts import DEMO_PASSWORD
from yiwang.demo.data_files import demo_data
from yiwang.demo.licences_data import licence_type_rows
from yiwang.licences.models import DepartmentKey, Licence, LicenceType
from yiwang.licences.selectors import licence_find_valid
from yiwang.licences.services import licence_verify

pytestmark = pytest.mark.django_db

CITIZEN_ID = "330102199003071230"  # 张示范, the demo citizen
COMPANY_USCC = "91330106MA2B3C4D11"  # 示范市云帆科技有限公司, the demo company


def test_every_licence_type_the_catalog_names_is_in_the_catalogue():
    named = set(
        ItemVersion.objects.exclude(result_licence_type="").values_list("result_licence_type", flat=True)
    )
    named |= set(Material.objects.exclude(licence_type_code="").values_list("licence_type_code", flat=True))
    assert named <= set(LicenceType.objects.values_list("code", flat=True))
    assert LicenceType.objects.count() == len(licence_type_rows()) == 17


def test_every_department_has_one_active_signing_key():
    assert DepartmentKey.objects.filter(active=True).count() == Department.objects.count()


def test_the_demo_citizen_and_company_hold_valid_signed_licences():
    citizen = set(Licence.objects.filter(holder_code=CITIZEN_ID).values_list("name", flat=True))
    company = set(Licence.objects.filter(holder_code=COMPANY_USCC).values_list("name", flat=True))
    assert citizen == {"居民身份证", "居民户口簿", "结婚证", "机动车驾驶证", "社会保障卡"}
    assert company == {"营业执照", "食品经营许可证"}
    for licence in Licence.objects.select_related("licence_type", "issuer", "key__department"):
        result = licence_verify(licence)
        assert result.valid_signature and result.currently_valid, licence
    assert Licence.objects.get(name="结婚证").issuer.code == "mzj"
    assert Licence.objects.get(name="营业执照").valid_until is None  # long-term


def test_the_demo_library_answers_a_valid_licence_lookup():
    business = LicenceType.objects.get(name="营业执照")
    assert licence_find_valid(holder_code=COMPANY_USCC, type_code=business.code) is not None
    assert licence_find_valid(holder_code=CITIZEN_ID, type_code=business.code) is None


def test_loading_the_demo_again_adds_no_licence_or_key():
    before = (
        list(Licence.objects.order_by("pk").values_list("identifier", "signature")),
        list(DepartmentKey.objects.order_by("pk").values_list("fingerprint", flat=True)),
    )
    call_command("load_demo", stdout=io.StringIO())
    after = (
        list(Licence.objects.order_by("pk").values_list("identifier", "signature")),
        list(DepartmentKey.objects.order_by("pk").values_list("fingerprint", flat=True)),
    )
    assert after == before


def test_the_demo_citizen_reads_their_id_card_through_the_api(client):
    token = client.post(
        "/api/v1/auth/token",
        {"username": "citizen", "password": DEMO_PASSWORD},
        content_type="application/json",
    ).json()["token"]
    identifier = Licence.objects.get(holder_code=CITIZEN_ID, name="居民身份证").identifier
    response = client.get(f"/api/v1/licences/{identifier}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert {r["name"]: r["value"] for r in response.json()["data"]}["address"] == "示范市上城区平安里12号"


def test_every_demo_licence_type_code_is_its_defining_agencys_uscc_and_a_sequence():
    for licence_type in LicenceType.objects.all():
        agency, sequence = licence_type.code[:18], licence_type.code[18:]
        assert normalize_uscc(agency) == agency == licence_type.defining_agency_code, licence_type.name
        assert sequence.isdigit() and len(sequence) == 3, licence_type.name


def test_every_demo_licence_in_the_data_file_names_its_type_as_the_catalogue_does():
    names = {row["code"]: row["name"] for row in licence_type_rows()}
    for entry in demo_data("licences.json")["licences"]:
        assert names[entry["type"]] == entry["type_name"], entry["number"]
