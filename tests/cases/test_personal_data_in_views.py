"""Clear ID and phone numbers inside forms and case data go only to the applicant and the posts
that handle the case; oversight (效能监察) sees them masked, in the API and on the workbench."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_officer_handling_the_case_sees_the_contact_phone(world):
    number = world.apply().json()["number"]
    case = world.citizen.get(f"/applications/{number}").json()["cases"][0]["number"]

    assert world.officer.get(f"/applications/{number}").json()["form"]["applicant_phone"] == "13800000000"
    assert world.officer.get(f"/cases/{case}").json()["data"]["applicant_phone"] == "13800000000"
    assert world.citizen.get(f"/applications/{number}").json()["form"]["applicant_phone"] == "13800000000"


def test_the_supervisor_sees_the_contact_phone_masked(world, client):
    number = world.apply().json()["number"]
    case = world.citizen.get(f"/applications/{number}").json()["cases"][0]["number"]

    assert world.supervisor.get(f"/applications/{number}").json()["form"]["applicant_phone"] == "138****0000"
    assert world.supervisor.get(f"/cases/{case}").json()["data"]["applicant_phone"] == "138****0000"
    client.force_login(world.supervisor.user)
    page = client.get(f"/workbench/cases/{case}/").content.decode()
    assert "138****0000" in page and "13800000000" not in page
