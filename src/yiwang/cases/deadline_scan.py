"""临期预警: the daily deadline scan. On working days, from YIWANG_DEADLINE_SCAN_HOUR, every running case
at or past its yellow date warns the officers of its department (黄灯), and every case past its promised
date warns them again (红灯); each department head gets one summary of the department's red and yellow
cases. Each message has a key (case, level, due date, person; department, day, person), so running the
scan again, or on two workers at once, writes nothing twice."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from yiwang.accounts.models import User
from yiwang.accounts.roles import StaffRole
from yiwang.accounts.selectors import department_staff
from yiwang.calendar.selectors import is_working_day
from yiwang.cases.models import Case
from yiwang.cases.states import CLOCK_RUNNING
from yiwang.notifications.models import Message, MessageKind
from yiwang.notifications.services import notify

SUMMARY_LISTED = 10  # cases named in a head's summary; the count covers all


@dataclass(frozen=True)
class ScanResult:
    ran: bool
    yellow: int = 0
    red: int = 0
    messages: int = 0


def deadline_scan(*, now: datetime | None = None) -> ScanResult:
    now = now or timezone.now()
    local = timezone.localtime(now)
    today = local.date()
    if local.hour < settings.YIWANG_DEADLINE_SCAN_HOUR or not is_working_day(today):
        return ScanResult(ran=False)
    warned = list(
        Case.objects.filter(status__in=CLOCK_RUNNING)
        .filter(Q(yellow_on__lte=today) | Q(promised_due__lt=today))
        .select_related("item_version", "department")
        .order_by("promised_due", "id")
    )
    staff = department_staff({c.department_id for c in warned}, StaffRole.OFFICER, StaffRole.DEPARTMENT_HEAD)
    officers, heads = staff[StaffRole.OFFICER], staff[StaffRole.DEPARTMENT_HEAD]
    written = 0
    red = {c.pk for c in warned if c.promised_due is not None and c.promised_due < today}
    for case in warned:
        level = MessageKind.DEADLINE_RED if case.pk in red else MessageKind.DEADLINE_YELLOW
        keys = {
            o.pk: f"deadline:{case.number}:{level}:{case.promised_due}:{o.pk}"
            for o in officers[case.department_id]
        }
        done = set(Message.objects.filter(key__in=keys.values()).values_list("key", flat=True))
        for officer in officers[case.department_id]:
            if keys[officer.pk] in done:
                continue
            with transaction.atomic():
                written += _warn(case, level=level, officer=officer, key=keys[officer.pk], today=today)
    by_department: dict[int, list[Case]] = defaultdict(list)
    for case in warned:
        by_department[case.department_id].append(case)
    for department_id, cases in by_department.items():
        for head in heads[department_id]:
            with transaction.atomic():
                written += _summarise(cases, red=red, head=head, today=today)
    return ScanResult(ran=True, yellow=len(warned) - len(red), red=len(red), messages=written)


def _warn(case: Case, *, level: str, officer: User, key: str, today: date) -> int:
    due = case.promised_due
    if level == MessageKind.DEADLINE_RED:
        title = f"超期：{case.number}"
        body = f"{case.item_version.name}（{case.number}）承诺办结日期 {due} 已过，请尽快办理。"
    else:
        title = f"临期：{case.number}"
        body = f"{case.item_version.name}（{case.number}）将于 {due} 到期，请抓紧办理。"
    message = notify(
        kind=level,
        recipient=officer,
        title=title,
        body=body,
        link=f"/workbench/cases/{case.number}/",
        subject=case.number,
        key=key,
    )
    return 1 if message else 0


def _summarise(cases: list[Case], *, red: set[int], head: User, today: date) -> int:
    reds = [c for c in cases if c.pk in red]
    listed = "；".join(
        f"{c.number}（{c.item_version.name}，{c.promised_due} 到期）" for c in cases[:SUMMARY_LISTED]
    )
    more = f"等 {len(cases)} 件" if len(cases) > SUMMARY_LISTED else ""
    message = notify(
        kind=MessageKind.DAILY_SUMMARY,
        recipient=head,
        title=f"{today} 预警汇总：红灯 {len(reds)} 件，黄灯 {len(cases) - len(reds)} 件",
        body=f"本部门今日红灯 {len(reds)} 件、黄灯 {len(cases) - len(reds)} 件：{listed}{more}。",
        link="/workbench/queue/",
        key=f"summary:{head.department_id}:{today}:{head.pk}",
    )
    return 1 if message else 0
