"""Access scoping: applicants see their own, staff their department's, clerks their window's,
supervisors everything read-only; what one may not see is 404."""

from __future__ import annotations

import pytest

from tests.cases.helpers import ApiUser
from tests.factories import make_citizen, make_document, make_service_point, make_staff
from yiwang.accounts.roles import StaffRole

pytestmark = pytest.mark.django_db


def window_case(world, clerk: ApiUser) -> str:
    document = make_document(clerk.user)
    body = {
        "item": world.item.item.code,
        "channel": "window",
        "applicant": {"kind": "person", "name": "王五", "id_number": "11010519491231002X"},
        "form": {"applicant_name": "王五", "applicant_phone": "13800000000"},
        "materials": [{"material": m.id, "document": str(document.id)} for m in world.item.materials.all()],
    }
    response = clerk.post("/applications", body)
    assert response.status_code == 201, response.json()
    return response.json()["cases"][0]["number"]


def test_officer_of_another_department_gets_404(world):
    case = world.apply().json()["cases"][0]["number"]
    assert world.other_officer.get(f"/cases/{case}").status_code == 404
    response = world.other_officer.act(case, "accept")
    assert response.status_code == 404
    assert response.json() == {"code": "case_not_found", "message": "未找到该办件"}
    assert world.other_officer.get("/cases").json()["count"] == 0


def test_applicant_sees_only_their_own_applications(client, world):
    submitted = world.apply().json()
    number, case = submitted["number"], submitted["cases"][0]["number"]
    stranger = ApiUser(client, make_citizen())
    assert stranger.get(f"/applications/{number}").status_code == 404
    assert stranger.get(f"/cases/{case}").json()["code"] == "case_not_found"
    assert world.citizen.get(f"/cases/{case}").status_code == 200
    assert stranger.get("/applications").json()["count"] == 0
    assert world.citizen.get("/applications").json()["count"] == 1


def test_department_officer_sees_their_department_queue(world):
    case = world.apply().json()["cases"][0]["number"]
    assert [c["number"] for c in world.officer.get("/cases").json()["items"]] == [case]


def test_clerk_sees_online_applications_waiting_for_intake(world):
    online = world.apply().json()["cases"][0]["number"]
    assert world.clerk.get(f"/cases/{online}").status_code == 200
    assert world.clerk.act(online, "accept").status_code == 200
    assert world.clerk.get(f"/cases/{online}").json()["status"]["code"] == "accepted", (
        "accepted at their point"
    )


def test_clerk_sees_what_was_taken_in_at_their_window_only(client, world):
    online = world.apply().json()["cases"][0]["number"]
    world.officer.act(online, "accept")  # taken in by the department, not at any window
    mine = window_case(world, world.clerk)
    elsewhere_clerk = ApiUser(client, make_staff(StaffRole.WINDOW_CLERK, service_point=make_service_point()))
    theirs = window_case(world, elsewhere_clerk)
    visible = {c["number"] for c in world.clerk.get("/cases").json()["items"]}
    assert mine in visible and theirs not in visible and online not in visible
    assert world.clerk.get(f"/cases/{theirs}").status_code == 404


def test_supervisor_sees_all_but_cannot_act(world):
    case = world.apply().json()["cases"][0]["number"]
    assert world.supervisor.get(f"/cases/{case}").status_code == 200
    assert world.supervisor.get(f"/cases/{case}").json()["allowed_actions"] == []
    response = world.supervisor.act(case, "accept")
    assert response.status_code == 403


def test_applicant_cannot_take_staff_actions_on_their_own_case(world):
    case = world.apply().json()["cases"][0]["number"]
    response = world.citizen.act(case, "accept")
    assert response.status_code == 403
    assert response.json()["code"] == "action_forbidden"


def test_case_list_filters_validate_their_values(world):
    response = world.officer.get("/cases", {"status": "lost", "warning": "purple"})
    assert response.status_code == 422
    assert set(response.json()["fields"]) == {"status", "warning"}


def test_revoked_token_is_refused(world):
    assert world.citizen.post("/auth/revoke", {}).status_code == 204
    assert world.citizen.get("/applications").status_code == 401


def test_expired_token_is_refused(world, settings):
    import datetime as dt

    import time_machine

    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=settings.YIWANG_API_TOKEN_SECONDS + 60)
    with time_machine.travel(later, tick=False):
        assert world.citizen.get("/applications").status_code == 401
