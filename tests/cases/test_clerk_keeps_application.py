"""一窗受理 keeps what it takes in: the window that accepts an online application, or issues its 补正
notice, keeps seeing it once it has left the intake queue every window sees — through the API and on
the workbench pages. A clerk who lost the race to take it in is told so (409), never "not found"."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from tests.cases.helpers import ApiUser
from tests.factories import (
    make_bundle,
    make_department,
    make_document,
    make_item,
    make_service_point,
    make_staff,
)
from yiwang.accounts.roles import StaffRole
from yiwang.cases.models import Application, Case
from yiwang.catalog.services import bundle_publish

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def on(day: str):
    return time_machine.travel(dt.datetime.fromisoformat(day).replace(hour=10, tzinfo=SHANGHAI), tick=False)


def submitted(world) -> dict:
    response = world.apply()
    assert response.status_code == 201, response.content
    return response.json()


def clerk_sees(client, world, application: dict) -> None:
    """The clerk reads the application and each of its cases by API and on the workbench."""
    number = application["number"]
    assert world.clerk.get(f"/applications/{number}").status_code == 200
    client.force_login(world.clerk.user)
    assert client.get(reverse("workbench:application", args=[number])).status_code == 200
    for case in application["cases"]:
        assert world.clerk.get(f"/cases/{case['number']}").status_code == 200
        assert client.get(reverse("workbench:case", args=[case["number"]])).status_code == 200


def supplement_items(world) -> list[dict]:
    return [{"material": world.item.materials.order_by("order").first().id, "reason": "复印件不清晰"}]


@pytest.fixture
def bundle_application(world) -> dict:
    """An online bundle of two departments' items, the second waiting for the first."""
    first = make_item(department=world.department, name="食品经营许可（一件事）")
    second = make_item(
        department=make_department(code="fire", name="示范市消防救援支队"), name="消防安全检查"
    )
    bundle = make_bundle(first, second, requires={1: [0]}, code="kyc", name="开餐馆")
    bundle_publish(bundle=bundle)
    detail = world.citizen.client.get("/api/v1/bundles/kyc").json()
    document = make_document(world.citizen.user)
    response = world.citizen.post(
        "/applications",
        {
            "bundle": "kyc",
            "channel": "mobile",
            "form": {"applicant_name": world.citizen.user.name, "applicant_phone": "13800000000"},
            "materials": [
                {"material": m["material"]["id"], "document": str(document.id)} for m in detail["materials"]
            ],
        },
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_the_window_that_accepts_an_online_application_keeps_it(client, world):
    application = submitted(world)

    accepted = world.clerk.act_application(application["number"], "accept")

    assert accepted.status_code == 200, accepted.content
    clerk_sees(client, world, application)
    assert Application.objects.get(number=application["number"]).service_point == world.point


def test_the_window_that_accepts_an_online_bundle_keeps_it_and_its_waiting_member(
    client, world, bundle_application
):
    accepted = world.clerk.act_application(bundle_application["number"], "accept")

    assert accepted.status_code == 200, accepted.content
    assert [c["status"]["code"] for c in accepted.json()["cases"]] == ["accepted", "waiting"]
    clerk_sees(client, world, bundle_application)


def test_the_window_that_issues_the_supplement_notice_keeps_the_application(client, world):
    application = submitted(world)

    notice = world.clerk.act_application(
        application["number"], "request_supplement", items=supplement_items(world)
    )

    assert notice.status_code == 200, notice.content
    assert notice.json()["status"]["code"] == "supplement_requested"
    clerk_sees(client, world, application)


def test_an_application_deemed_accepted_after_a_window_notice_stays_with_that_window(client, world):
    with on("2025-09-01"):
        application = submitted(world)
        case = application["cases"][0]["number"]
        world.clerk.act(case, "request_supplement", items=supplement_items(world))
        material = supplement_items(world)[0]["material"]
        document = make_document(world.citizen.user)
        supplemented = world.citizen.act(
            case, "supplement", materials=[{"material": material, "document": str(document.id)}]
        )
        assert supplemented.status_code == 200, supplemented.content
    with on("2025-09-15"):  # no word from any window for five working days after the supplement
        call_command("sweep_cases", stdout=io.StringIO())

        assert Case.objects.get(number=case).deemed_accepted
        clerk_sees(client, world, application)


def test_a_clerks_accept_found_past_the_notice_deadline_keeps_the_bundle_at_their_window(
    client, world, bundle_application
):
    Case.objects.filter(application__number=bundle_application["number"]).update(
        received_on=dt.date(2025, 9, 1), supplement_deadline=dt.date(2025, 9, 8)
    )

    accepted = world.clerk.act_application(bundle_application["number"], "accept")

    assert accepted.status_code == 200, accepted.content
    assert (
        Case.objects.filter(application__number=bundle_application["number"], deemed_accepted=True).count()
        == 2
    )
    clerk_sees(client, world, bundle_application)


def test_an_online_application_deemed_accepted_without_any_window_is_the_departments_alone(world):
    with on("2025-09-01"):
        application = submitted(world)
    with on("2025-09-15"):
        call_command("sweep_cases", stdout=io.StringIO())

        assert world.officer.get(f"/applications/{application['number']}").status_code == 200
        assert world.clerk.get(f"/applications/{application['number']}").status_code == 404


def test_taking_in_an_online_application_does_not_let_the_window_withdraw_it_for_the_applicant(world):
    application = submitted(world)
    case = application["cases"][0]["number"]
    world.clerk.act_application(application["number"], "accept")

    assert "withdraw" not in world.clerk.get(f"/cases/{case}").json()["allowed_actions"]
    assert world.clerk.act_application(application["number"], "withdraw").status_code == 403
    assert world.citizen.act_application(application["number"], "withdraw").status_code == 200


def test_a_clerk_at_another_window_is_told_the_bundle_was_taken_not_that_it_vanished(
    client, world, bundle_application
):
    elsewhere = ApiUser(client, make_staff(StaffRole.WINDOW_CLERK, service_point=make_service_point()))
    world.clerk.act_application(bundle_application["number"], "accept")

    late = elsewhere.act_application(bundle_application["number"], "accept")
    case = bundle_application["cases"][0]["number"]

    assert late.status_code == 409
    assert late.json()["code"] == "case_changed"
    assert "已被其他工作人员受理或处理" in late.json()["message"]
    assert elsewhere.act(case, "accept").status_code == 409
    # Reading it is still the other window's business.
    assert elsewhere.get(f"/applications/{bundle_application['number']}").status_code == 404
