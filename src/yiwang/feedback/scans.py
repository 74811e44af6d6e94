"""The worker's feedback jobs: overdue 回访 / 整改 and overdue requests warn the department's head (红牌,
once per item and day), answered requests nobody judged close, and — where the local rule has it — a
case not rated in its window is deemed 满意. Each is idempotent: a second run finds nothing left to do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from yiwang.accounts.roles import StaffRole
from yiwang.accounts.selectors import department_staff
from yiwang.feedback import desk, ratings, selectors
from yiwang.notifications.models import MessageKind
from yiwang.notifications.services import notify


@dataclass(frozen=True)
class ScanResult:
    warned: int
    closed: int
    deemed: int


def feedback_scan(*, now: datetime | None = None) -> ScanResult:
    now = now or timezone.now()
    today = timezone.localdate(now)
    tasks = list(selectors.overdue_tasks(today=today))
    requests = list(selectors.requests_overdue(today=today).filter(department__isnull=False))
    heads = department_staff(
        {t.department_id for t in tasks} | {r.department_id for r in requests if r.department_id},
        StaffRole.DEPARTMENT_HEAD,
    )[StaffRole.DEPARTMENT_HEAD]
    warned = 0
    for task in tasks:
        late = "回访" if task.status == "callback" and task.callback_due < today else "整改"
        for head in heads[task.department_id]:
            with transaction.atomic():
                warned += bool(
                    notify(
                        kind=MessageKind.FEEDBACK_OVERDUE,
                        recipient=head,
                        title=f"差评{late}超期：#{task.pk}",
                        body=f"差评整改任务 #{task.pk} 的{late}已超过期限（回访 {task.callback_due}，整改 {task.fix_due}），"
                        "已亮红牌，请尽快办理。",
                        link=f"/workbench/ratings/{task.pk}/",
                        key=f"overdue:task:{task.pk}:{late}:{today}:{head.pk}",
                    )
                )
    for request in requests:
        assert request.department_id is not None
        for head in heads[request.department_id]:
            with transaction.atomic():
                warned += bool(
                    notify(
                        kind=MessageKind.FEEDBACK_OVERDUE,
                        recipient=head,
                        title=f"诉求超期：{request.number}",
                        body=f"诉求 {request.number}（{request.get_type_display()}）已超过办理期限 {request.due}"
                        f"{'或签收期限 ' + str(request.sign_due) if request.stage == 'dispatched' else ''}，请尽快办理。",
                        link=f"/workbench/requests/{request.number}/",
                        subject=request.number,
                        key=f"overdue:request:{request.number}:{today}:{head.pk}",
                    )
                )
    closed = desk.requests_close_unjudged(now=now)
    deemed = ratings.ratings_deem(now=now)
    return ScanResult(warned=warned, closed=closed, deemed=deemed)
