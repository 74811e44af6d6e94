"""Test data for the 好差评 and 咨询投诉 pages: ended cases of a citizen, the rating link the SMS and
the inbox carry, a 差评 the department has rectified, requests at each stage."""

from __future__ import annotations

from typing import Any

from tests.factories import make_citizen, make_department, make_item, make_staff
from tests.kiosk.helpers import apply
from yiwang.accounts.models import User
from yiwang.accounts.roles import StaffRole
from yiwang.cases.actions.dispatch import case_act
from yiwang.cases.models import Case
from yiwang.cases.notify import rate_link
from yiwang.catalog.models import Department
from yiwang.feedback import desk, intake, rectification
from yiwang.feedback.models import Rating, ServiceRequest, Stage

DEPARTMENT = "示范市市场监督管理局"
LONG_NAME = "食品经营许可证核发（仅销售预包装食品）备案及变更登记"


def ended_case(citizen: Any = None, *, name: str = LONG_NAME, finish: bool = True, **item: Any) -> Case:
    """A case of `citizen` (a new one if none) accepted, approved and 办结 by the department's officer;
    `finish=False` stops after acceptance (still running)."""
    citizen = citizen or make_citizen(name="张示范")
    department = Department.objects.filter(name=DEPARTMENT).first() or make_department(
        name=DEPARTMENT, short_name="市场监管局"
    )
    version = make_item(department=department, name=name, **item)
    officer = officer_of_department(department)
    application = apply(citizen, version)
    case = application.cases.get()
    for action in ("accept", "start_review", "approve", "complete") if finish else ("accept",):
        case_act(actor=officer, number=case.number, action=action, body={})
    return Case.objects.select_related("application", "item_version", "department").get(pk=case.pk)


def officer_of_department(department: Department) -> Any:
    """The department's officer (also its head, so that it may appeal), made once."""
    found = User.objects.filter(department=department, kind="staff").order_by("pk").first()
    return found or make_staff(StaffRole.OFFICER, StaffRole.DEPARTMENT_HEAD, department=department)


def officer_of(case: Case) -> Any:
    return officer_of_department(case.department)


def link(case: Case) -> str:
    """The rating link of the 办结 SMS and inbox message: /rate/<number>/?t=<token>."""
    return rate_link(case.number)


def rectify(rating: Rating, *, result: str = "已约谈经办人，今后按承诺时限办结") -> None:
    """The department calls the rater back and reports its 整改."""
    assert rating.case is not None
    officer = officer_of(rating.case)
    task = rating.task
    rectification.task_callback(actor=officer, task_id=task.pk, note="已电话联系申请人核实情况")
    rectification.task_rectify(actor=officer, task_id=task.pk, outcome="immediate", result=result)


def answered_request(*, type: str = "complaint", submitter: Any = None, **extra: Any) -> tuple[Any, str]:
    """A request the department has answered (待回访), and its 查询码. Wherever the classifier sent it,
    an officer of that department answers; from the pool, the dispatcher routes it first."""
    made = intake.request_create(
        type=type,
        text="小区门口道路破损已经三个月，雨天积水严重，希望尽快修复。",
        channel="portal",
        submitter=submitter,
        **extra,
    )
    found = made.request
    if found.stage == Stage.RECEIVED:
        dispatcher = make_staff(StaffRole.DISPATCHER, department=make_department())
        department = make_department(name="示范市住房和城乡建设局", code="zjj")
        desk.request_route(actor=dispatcher, number=found.number, department_code=department.code)
        found.refresh_from_db()
    officer = make_staff(StaffRole.OFFICER, department=found.department)
    desk.request_sign(actor=officer, number=found.number)
    desk.request_answer(actor=officer, number=found.number, answer="已安排施工队于本周五前完成路面修补。")
    return ServiceRequest.objects.get(pk=found.pk), made.tracking_code
