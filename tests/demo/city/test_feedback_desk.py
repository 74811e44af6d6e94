"""The 12345-style desk through the API on the demo city's catalog and its classifier: routed
automatically, through the dispatcher, misrouted and returned, answered → rejected → 重办 → rejected →
督办; the SLA counted in working days over the National Day and Spring Festival holidays."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.cases.helpers import ApiUser
from tests.factories import make_citizen, make_staff
from yiwang.accounts.roles import StaffRole
from yiwang.catalog.models import Department
from yiwang.feedback.models import RequestEvent, ServiceRequest
from yiwang.notifications.models import Message, MessageKind

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass
class Desk:
    citizen: ApiUser
    hotline: ApiUser
    dispatcher: ApiUser
    amr: ApiUser  # 市场监管 officer
    amr_head: ApiUser
    tax: ApiUser  # 税务 officer
    supervisor: ApiUser


@pytest.fixture
def desk(client) -> Desk:
    centre, amr, tax = (Department.objects.get(code=c) for c in ("zwfw", "scjg", "swj"))
    return Desk(
        citizen=ApiUser(client, make_citizen()),
        hotline=ApiUser(client, make_staff(StaffRole.HOTLINE_OPERATOR, department=centre)),
        dispatcher=ApiUser(client, make_staff(StaffRole.DISPATCHER, department=centre)),
        amr=ApiUser(client, make_staff(StaffRole.OFFICER, department=amr)),
        amr_head=ApiUser(client, make_staff(StaffRole.OFFICER, StaffRole.DEPARTMENT_HEAD, department=amr)),
        tax=ApiUser(client, make_staff(StaffRole.OFFICER, department=tax)),
        supervisor=ApiUser(client, make_staff(StaffRole.SUPERVISOR, department=centre)),
    )


@pytest.fixture(autouse=True)
def _monday() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)) as traveller:
        yield traveller


def signed_in_again(desk: Desk) -> Desk:
    """New API tokens for everyone, after the clock moved past a token's life."""
    return Desk(**{name: ApiUser(who.client, who.user) for name, who in vars(desk).items()})


def submit(who: ApiUser, text: str, type: str = "complaint", **more) -> dict:
    response = who.post("/requests", {"type": type, "text": text, "channel": "portal", **more})
    assert response.status_code == 201, response.content
    return response.json()


def test_a_clear_complaint_is_routed_to_its_department_automatically(desk):
    made = submit(
        desk.citizen, "我家楼下新开的一家超市卖过期食品，买回来的酸奶都过期三天了，希望市场监管部门查一查"
    )
    assert made["auto_routed"] and made["department"] == "scjg"
    assert made["stage"] == "dispatched"
    assert made["sign_due"] == "2026-03-03" and made["due"] == "2026-03-09"  # 签收 1, 投诉 5 working days
    assert made["tracking_code"] and made["contact_name"]
    assert Message.objects.filter(kind=MessageKind.REQUEST_ASSIGNED, recipient=desk.amr.user).exists()


def test_an_unclear_request_waits_for_the_dispatcher_who_routes_it(desk):
    made = submit(desk.citizen, "你好，我有个事情想反映一下，麻烦有人联系我", type="consult")
    assert made["stage"] == "received" and made["department"] is None
    pool = desk.dispatcher.get("/requests", {"stage": "received"}).json()["items"]
    assert made["number"] in [r["number"] for r in pool]
    assert desk.amr.post(f"/requests/{made['number']}/dispatch", {"department": "scjg"}).status_code == 403
    routed = desk.dispatcher.post(f"/requests/{made['number']}/dispatch", {"department": "scjg"})
    assert routed.status_code == 200 and routed.json()["stage"] == "dispatched"
    assert not routed.json()["auto_routed"]


def test_a_misrouted_request_is_returned_with_a_reason_and_its_clock_does_not_restart(desk, _monday):
    made = submit(desk.citizen, "你好，我有个事情想反映一下，麻烦有人联系我")
    number, due = made["number"], made["due"]
    desk.dispatcher.post(f"/requests/{number}/dispatch", {"department": "swj"})
    _monday.move_to(datetime(2026, 3, 3, 10, 0, tzinfo=SHANGHAI))
    desk = signed_in_again(desk)
    assert desk.amr.post(f"/requests/{number}/return", {"reason": "x"}).status_code == 404  # not theirs
    bare = desk.tax.post(f"/requests/{number}/return", {"reason": " "})
    assert bare.status_code == 422 and "reason" in bare.json()["fields"]
    returned = desk.tax.post(f"/requests/{number}/return", {"reason": "反映的是食品安全问题，不属于税务职责"})
    assert returned.status_code == 200
    assert (returned.json()["stage"], returned.json()["department"], returned.json()["due"]) == (
        "received",
        None,
        due,
    )
    again = desk.dispatcher.post(f"/requests/{number}/dispatch", {"department": "scjg"}).json()
    assert again["due"] == due  # the clock did not restart
    assert desk.tax.get(f"/requests/{number}").status_code == 200  # who returned it still reads it


def test_answered_rejected_redone_rejected_again_goes_to_the_supervisor_as_supervision(desk, _monday):
    made = submit(desk.citizen, "小区门口的餐馆后厨卫生很差，老鼠到处跑，投诉好几次了", case="")
    number = made["number"]
    if made["stage"] == "received":
        desk.dispatcher.post(f"/requests/{number}/dispatch", {"department": "scjg"})
    early = desk.amr.post(f"/requests/{number}/answer", {"answer": "已处理"})
    assert early.status_code == 409  # 签收 first
    assert desk.amr.post(f"/requests/{number}/sign", {}).json()["stage"] == "handling"
    answered = desk.amr.post(
        f"/requests/{number}/answer", {"answer": "已派执法人员现场检查，责令停业整顿"}
    ).json()
    assert answered["stage"] == "answered"
    assert Message.objects.filter(kind=MessageKind.REQUEST_ANSWERED, recipient=desk.citizen.user).exists()

    vague = desk.citizen.post(f"/requests/{number}/judgement", {"satisfied": False})
    assert vague.status_code == 422 and "note" in vague.json()["fields"]
    _monday.move_to(datetime(2026, 3, 4, 10, 0, tzinfo=SHANGHAI))
    desk = signed_in_again(desk)
    redo = desk.citizen.post(
        f"/requests/{number}/judgement", {"satisfied": False, "note": "去看过了，还在营业"}
    ).json()
    assert (redo["stage"], redo["redone"], redo["department"]) == ("handling", True, "scjg")
    assert redo["due"] == "2026-03-11"  # a fresh SLA from the 重办 day
    desk.amr.post(f"/requests/{number}/answer", {"answer": "已查封后厨，吊销食品经营许可证"})
    escalated = desk.citizen.post(
        f"/requests/{number}/judgement", {"satisfied": False, "note": "还是没有解决"}
    ).json()
    assert escalated["stage"] == "supervised"
    assert Message.objects.filter(
        kind=MessageKind.REQUEST_SUPERVISED, recipient=desk.supervisor.user
    ).exists()
    too_soon = desk.supervisor.post(f"/requests/{number}/conclusion", {"conclusion": "督办完成"})
    assert too_soon.status_code == 409 and too_soon.json()["code"] == "not_answered"
    desk.amr_head.post(f"/requests/{number}/answer", {"answer": "经督办，已联合城管拆除违建后厨，店铺已关停"})
    closed = desk.supervisor.post(
        f"/requests/{number}/conclusion", {"conclusion": "经实地复核，问题已解决"}
    ).json()
    assert closed["stage"] == "closed"
    actions = list(RequestEvent.objects.filter(request__number=number).values_list("action", flat=True))
    assert actions[-6:] == ["answer", "redo", "answer", "supervise", "answer", "conclude"]


def test_a_satisfied_citizen_closes_it_on_time(desk):
    made = submit(desk.citizen, "你好，我有个事情想反映一下，麻烦有人联系我", type="consult")
    number = made["number"]
    desk.dispatcher.post(f"/requests/{number}/dispatch", {"department": "scjg"})
    desk.amr.post(f"/requests/{number}/sign", {})
    desk.amr.post(f"/requests/{number}/answer", {"answer": "已电话答复"})
    closed = desk.citizen.post(f"/requests/{number}/judgement", {"satisfied": True}).json()
    assert closed["stage"] == "closed" and closed["satisfied"]
    assert ServiceRequest.objects.get(number=number).closed_on_time


def test_an_extension_is_asked_once_and_approved_by_the_dispatcher(desk):
    made = submit(desk.citizen, "你好，我有个事情想反映一下，麻烦有人联系我", type="help")
    number = made["number"]
    desk.dispatcher.post(f"/requests/{number}/dispatch", {"department": "scjg"})
    desk.amr.post(f"/requests/{number}/sign", {})
    asked = desk.amr.post(f"/requests/{number}/extension", {"days": 5, "reason": "需要联合卫健部门检测"})
    assert asked.json()["extension"] == "pending"
    approved = desk.dispatcher.post(f"/requests/{number}/extension/decision", {"approve": True}).json()
    assert approved["extension"] == "approved" and approved["due"] == "2026-03-16"
    twice = desk.amr.post(f"/requests/{number}/extension", {"days": 3, "reason": "再延"})
    assert twice.status_code == 409 and twice.json()["code"] == "extension_used"


def test_a_report_hides_its_reporter_from_the_department_and_an_anonymous_one_is_followed_by_its_code(
    desk, client
):
    made = desk.hotline.post(
        "/requests",
        {
            "type": "report",
            "text": "举报某药店向不特定人员销售处方药不开处方",
            "contact_name": "钱先生",
            "contact_phone": "13911112222",
        },
    ).json()
    number = made["number"]
    assert desk.hotline.get(f"/requests/{number}").json()["contact_name"] == "钱先生"
    desk.dispatcher.post(f"/requests/{number}/dispatch", {"department": "scjg"})
    seen = desk.amr.get(f"/requests/{number}")
    assert (
        seen.json()["contact_name"] == ""
        and "钱" not in seen.content.decode()
        and "13911112222" not in seen.content.decode()
    )
    assert desk.supervisor.get(f"/requests/{number}").json()["contact_name"] == ""

    anonymous = client.post(
        "/api/v1/requests",
        {
            "type": "report",
            "text": "举报某饭店使用地沟油，每天晚上有人运油桶进来",
            "anonymous": True,
            "channel": "portal",
        },
        content_type="application/json",
    ).json()
    tracked = client.post(
        "/api/v1/requests/track", {"code": anonymous["tracking_code"]}, content_type="application/json"
    )
    assert tracked.status_code == 200 and tracked.json()["number"] == anonymous["number"]
    wrong = client.post("/api/v1/requests/track", {"code": "ABCDE-FGHJK"}, content_type="application/json")
    assert wrong.status_code == 404


@pytest.mark.parametrize(
    ("received", "type", "due"),
    [
        # 国庆 2026: 1–7 Oct off, Sat 10 Oct worked.
        (datetime(2026, 9, 30, 10, 0), "complaint", date(2026, 10, 13)),
        (datetime(2026, 9, 30, 10, 0), "consult", date(2026, 10, 8)),
        # 春节 2026: 15–23 Feb off, Sat 14 and Sat 28 Feb worked.
        (datetime(2026, 2, 13, 10, 0), "complaint", date(2026, 2, 27)),
        (datetime(2026, 2, 13, 10, 0), "report", date(2026, 3, 12)),
    ],
)
def test_sla_dates_count_working_days_over_national_day_and_spring_festival(
    desk, _monday, received, type, due
):
    _monday.move_to(received.replace(tzinfo=SHANGHAI))
    made = submit(desk.citizen, "你好，我有个事情想反映一下，麻烦有人联系我", type=type)
    assert made["due"] == due.isoformat()
