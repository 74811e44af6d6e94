"""部门办件: the queue by urgency with its lights, the case page, and only the actions the engine allows."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from tests.channels.workbench.conftest import look_up, start
from tests.factories import make_document
from yiwang.cases.actions import dispatch
from yiwang.cases.models import Application, Case, PledgeCheck
from yiwang.cases.states import CaseStatus

pytestmark = pytest.mark.django_db

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def at(day: str) -> time_machine.travel:
    return time_machine.travel(
        dt.datetime.fromisoformat(f"{day}T10:00:00").replace(tzinfo=SHANGHAI), tick=False
    )


def accepted_case(world, day: str | None = None) -> Case:
    """A citizen applies online and the officer accepts it, on `day` if given."""
    if day:
        with at(day):
            return accepted_case(world)
    response = world.apply()
    assert response.status_code == 201, response.content
    number = response.json()["cases"][0]["number"]
    return dispatch.case_act(actor=world.officer.user, number=number, action="accept", body={})


def actions_on(page: str) -> set[str]:
    return set(re.findall(r'name="action" value="([a-z_]+)"', page))


def test_officer_queue_is_sorted_by_urgency_and_shows_lights(client, world):
    # 10 promised working days; on 2025-06-20 the first is long overdue, the second due on the next working day.
    green = accepted_case(world, "2025-06-20")
    red = accepted_case(world, "2025-05-20")
    yellow = accepted_case(world, "2025-06-09")
    client.force_login(world.officer.user)

    with at("2025-06-20"):
        page = client.get(reverse("workbench:queue")).content.decode()

    positions = [page.index(c.number) for c in (red, yellow, green)]
    assert positions == sorted(positions)
    rows = page.split("<tbody>")[1]
    assert rows.index("红灯") < rows.index("黄灯") < rows.index("绿灯")
    assert "剩 1 个工作日" in rows and "超期" in rows
    assert re.search(r"红灯 · 超期</span><span class=\"stat-value\">1<", page)


def test_queue_filters_by_warning_and_status(client, world):
    accepted_case(world, "2025-05-20")
    accepted_case(world, "2025-06-20")
    client.force_login(world.officer.user)

    with at("2025-06-20"):
        red_only = client.get(reverse("workbench:queue"), {"warning": "red"}).content.decode()
        in_review = client.get(reverse("workbench:queue"), {"status": "in_review"}).content.decode()

    assert red_only.split("<tbody>")[1].count("<tr class=") == 1
    assert "没有符合条件的办件" in in_review


def test_officer_of_another_department_gets_404_for_case_page_and_document_preview(client, world):
    case = accepted_case(world)
    document = case.application.materials.first().document
    page_url = reverse("workbench:case", args=[case.number])
    preview_url = reverse("workbench:case_document", args=[case.number, document.id])

    client.force_login(world.other_officer.user)
    assert client.get(page_url).status_code == 404
    assert client.get(preview_url).status_code == 404

    client.force_login(world.officer.user)
    preview = client.get(preview_url)
    assert preview.status_code == 200
    assert preview["Content-Type"] == "application/pdf"
    assert preview["Content-Disposition"].startswith("inline")
    assert b"".join(preview.streaming_content).startswith(b"%PDF")
    assert preview_url in client.get(page_url).content.decode()


def test_a_document_not_attached_to_the_case_is_not_previewed_through_it(client, world):
    case = accepted_case(world)
    stranger = make_document(world.other_officer.user)
    client.force_login(world.officer.user)
    assert client.get(reverse("workbench:case_document", args=[case.number, stranger.id])).status_code == 404


def test_only_allowed_actions_are_rendered(client, world):
    case = accepted_case(world)
    url = reverse("workbench:case", args=[case.number])

    client.force_login(world.officer.user)
    officer_sees = actions_on(client.get(url).content.decode())
    client.force_login(world.head.user)
    head_sees = actions_on(client.get(url).content.decode())

    assert "accept" not in officer_sees and "accept" not in head_sees  # accepted already
    assert "extend" not in officer_sees  # 延长 needs a department head
    assert {"start_review", "suspend", "extend"} <= head_sees
    assert officer_sees == {"start_review", "suspend"}


def test_a_submitted_case_offers_intake_and_nothing_after_it(client, world):
    response = world.apply()
    number = response.json()["cases"][0]["number"]
    client.force_login(world.officer.user)

    seen = actions_on(client.get(reverse("workbench:case", args=[number])).content.decode())

    assert seen == {"accept", "refuse", "request_supplement"}


def test_officer_takes_a_case_from_review_to_completion(client, world):
    case = accepted_case(world)
    client.force_login(world.officer.user)
    url = reverse("workbench:case_act", args=[case.number])

    for action, extra in [
        ("start_review", {}),
        ("approve", {"reason": "符合条件"}),
        ("complete", {"number": "JY2025001"}),
    ]:
        case.refresh_from_db()
        response = client.post(url, {"action": action, "revision": case.revision, **extra})
        assert response.status_code == 302, response.content.decode()[:2000]

    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED
    assert case.result["number"] == "JY2025001"
    page = client.get(reverse("workbench:case", args=[case.number]) + "?printed=completion").content.decode()
    assert "打印办结通知书" in page
    assert actions_on(page) == set()


def test_a_validation_error_is_a_message_on_the_page_not_a_500(client, world):
    case = accepted_case(world)
    client.force_login(world.officer.user)
    url = reverse("workbench:case_act", args=[case.number])

    response = client.post(url, {"action": "suspend", "revision": case.revision, "kind": "", "reason": ""})

    assert response.status_code == 422
    page = response.content.decode()
    assert "特别程序种类须为" in page
    assert Case.objects.get(pk=case.pk).status == CaseStatus.ACCEPTED


def test_a_409_race_shows_a_message(client, world):
    case = accepted_case(world)
    client.force_login(world.officer.user)
    page = client.get(reverse("workbench:case", args=[case.number])).content.decode()
    revision = re.search(r'name="revision" value="(\d+)"', page)[1]
    dispatch.case_act(actor=world.head.user, number=case.number, action="start_review", body={})

    response = client.post(
        reverse("workbench:case_act", args=[case.number]), {"action": "start_review", "revision": revision}
    )

    assert response.status_code == 409
    body = response.content.decode()
    assert "刚被他人处理" in body
    assert "审查中" in body  # the page is redrawn from the current state


def test_an_action_the_state_no_longer_allows_is_a_message_too(client, world):
    case = accepted_case(world)
    dispatch.case_act(actor=world.head.user, number=case.number, action="start_review", body={})
    case.refresh_from_db()
    client.force_login(world.officer.user)

    response = client.post(
        reverse("workbench:case_act", args=[case.number]),
        {"action": "start_review", "revision": case.revision},
    )

    assert response.status_code == 409
    assert "不能审查" in response.content.decode()


def test_supervisors_see_counts_but_no_action_buttons(client, world):
    red = accepted_case(world, "2025-05-20")
    client.force_login(world.supervisor.user)

    with at("2025-06-20"):
        overview = client.get(reverse("workbench:overview")).content.decode()
        case_page = client.get(reverse("workbench:case", args=[red.number])).content.decode()
        act = client.post(
            reverse("workbench:case_act", args=[red.number]),
            {"action": "start_review", "revision": red.revision},
        )

    assert world.department.name in overview
    assert re.search(r'<span class="count count-red">1<', overview)
    assert actions_on(overview) == set() and actions_on(case_page) == set()
    assert "效能监察为只读视图" in case_page
    assert act.status_code == 403


def test_pledge_checks_are_listed_with_due_dates_and_concluded(client, world):
    _identity, premises = world.item.materials.order_by("order")
    document = make_document(world.citizen.user)
    identity = world.item.materials.order_by("order").first()
    response = world.apply(
        materials=[
            {"material": identity.id, "document": str(document.id)},
            {"material": premises.id, "pledge": True},
        ]
    )
    number = response.json()["cases"][0]["number"]
    dispatch.case_act(actor=world.officer.user, number=number, action="accept", body={})
    check = PledgeCheck.objects.get()
    client.force_login(world.officer.user)

    page = client.get(reverse("workbench:pledge_checks")).content.decode()
    assert "经营场所证明" in page and f"核查期限 {check.due_on:%Y-%m-%d}" in page
    assert "如有不实愿承担法律责任" in page

    response = client.post(
        reverse("workbench:pledge_checks"),
        {
            "check": check.pk,
            f"c{check.pk}-truthful": "yes",
            f"c{check.pk}-method": "数据共享",
            f"c{check.pk}-note": "已核实租赁备案",
        },
    )

    assert response.status_code == 302
    check.refresh_from_db()
    assert check.status == "truthful"


def test_pledge_check_conclusion_needs_the_engines_method_and_note(client, world):
    _identity, premises = world.item.materials.order_by("order")
    identity = world.item.materials.order_by("order").first()
    document = make_document(world.citizen.user)
    response = world.apply(
        materials=[
            {"material": identity.id, "document": str(document.id)},
            {"material": premises.id, "pledge": True},
        ]
    )
    dispatch.case_act(
        actor=world.officer.user, number=response.json()["cases"][0]["number"], action="accept", body={}
    )
    check = PledgeCheck.objects.get()
    client.force_login(world.officer.user)

    response = client.post(
        reverse("workbench:pledge_checks"), {"check": check.pk, f"c{check.pk}-truthful": "no"}
    )

    assert response.status_code == 422
    assert "核查方式须为" in response.content.decode()
    check.refresh_from_db()
    assert check.status == "pending"


def test_completing_a_prerequisite_asks_for_the_data_later_members_need(client, world, newborn):
    client.force_login(world.clerk.user)
    look_up(client)
    start(
        client,
        reverse("workbench:desk_start_bundle", args=["newborn"]),
        newborn["versions"],
        {"applicant_name": "张三", "applicant_phone": "13800000000"},
    )
    application = Application.objects.get()
    dispatch.application_act(actor=world.clerk.user, number=application.number, action="accept", body={})
    certificate = application.cases.get(item_version=newborn["versions"][0])
    officer = newborn["health_officer"]
    for action in ("start_review", "approve"):
        dispatch.case_act(actor=officer, number=certificate.number, action=action, body={})
    client.force_login(officer)
    page = client.get(reverse("workbench:case", args=[certificate.number])).content.decode()
    assert "后续事项需要的办理结果数据" in page and 'name="data_certificate_number"' in page

    certificate.refresh_from_db()
    missing = client.post(
        reverse("workbench:case_act", args=[certificate.number]),
        {"action": "complete", "revision": certificate.revision},
    )
    assert missing.status_code == 422
    html = missing.content.decode()
    assert "后续事项需要“出生医学证明编号”，请填写" in html, "named by its title, not its key"
    assert "：certificate_number" not in html

    invalid = client.post(
        reverse("workbench:case_act", args=[certificate.number]),
        {"action": "complete", "revision": certificate.revision, "data_certificate_number": "12345"},
    )
    assert invalid.status_code == 422, "checked by the field's rule before it reaches the waiting member"
    assert "出生医学证明编号：格式不正确" in invalid.content.decode()

    done = client.post(
        reverse("workbench:case_act", args=[certificate.number]),
        {"action": "complete", "revision": certificate.revision, "data_certificate_number": "Q330100001"},
    )
    assert done.status_code == 302
    registration = application.cases.get(item_version=newborn["versions"][1])
    assert registration.status == CaseStatus.ACCEPTED
    assert registration.data["certificate_number"] == "Q330100001"
