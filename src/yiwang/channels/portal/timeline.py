"""办理过程: a case's events told in plain Chinese for the applicant, newest last.

The applicant sees what happened and why (reasons are theirs to read), but not which officer acted:
departments act, people inside them are not named on the public side.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from yiwang.cases.models import Case, CaseEvent, Channel, SuspensionKind
from yiwang.cases.states import Action

CHANNELS = dict(Channel.choices)
SUSPENSIONS = dict(SuspensionKind.choices)


@dataclass(frozen=True)
class Step:
    at: datetime
    item: str  # the item's name when the application has several cases, else ""
    text: str
    detail: str = ""
    tone: str = ""  # "" | "good" | "warn" | "bad": the dot's colour


def _by_applicant(event: CaseEvent) -> bool:
    return event.actor_role == "applicant"


def _sentence(event: CaseEvent, case: Case) -> tuple[str, str, str]:
    """(what happened, the detail worth reading, tone) of one event."""
    dept = case.department.name
    data: dict[str, Any] = event.data or {}
    reason = event.reason.strip()
    match event.action:
        case Action.SUBMIT:
            via = CHANNELS.get(event.channel, "")
            who = "您" if _by_applicant(event) else "综合窗口工作人员为您"
            return f"{who}提交了申请{f'（{via}）' if via else ''}", "", ""
        case Action.PRE_REVIEW:
            return f"申请已送达{dept}，进入预审", "", ""
        case Action.ACCEPT:
            return f"{dept}已受理您的申请，开始计算办理时限", "", "good"
        case Action.DEEMED_ACCEPT:
            return "依法视为受理", reason, "good"
        case Action.REFUSE:
            return f"{dept}决定不予受理", f"理由：{reason}" if reason else "", "bad"
        case Action.REQUEST_SUPPLEMENT:
            items = data.get("items") or []
            names = "、".join(str(i.get("name", "")) for i in items if isinstance(i, dict))
            return f"{dept}一次性告知需补正 {len(items)} 项材料", names, "warn"
        case Action.SUPPLEMENT:
            names = "、".join(str(n) for n in data.get("materials") or [])
            return "您已补正材料，申请重新进入预审", names, ""
        case Action.WAIT:
            return "等待前置事项办结后开始办理", reason, ""
        case Action.START:
            return "前置事项已办结，开始办理并计算时限", "", ""
        case Action.START_REVIEW:
            return f"{dept}开始审查", "", ""
        case Action.SUSPEND:
            kind = SUSPENSIONS.get(str(data.get("kind", "")), "特别程序")
            return f"进入{kind}，所需时间不计入办理时限", reason, "warn"
        case Action.RESUME:
            return "特别程序结束，恢复计算办理时限", reason, ""
        case Action.EXTEND:
            days = data.get("working_days")
            return (
                f"经批准延长办理期限{f' {days} 个工作日' if days else ''}",
                f"理由：{reason}" if reason else "",
                "warn",
            )
        case Action.APPROVE:
            return f"{dept}作出准予决定", reason, "good"
        case Action.DENY:
            return f"{dept}作出不予许可决定", f"理由：{reason}" if reason else "", "bad"
        case Action.COMPLETE:
            result = case.result or {}
            name, number = result.get("name") or "", result.get("number") or ""
            detail = "；".join(p for p in (name, f"编号 {number}" if number else "") if p)
            return "办结", detail, "good"
        case Action.WITHDRAW:
            who = "您" if _by_applicant(event) else "综合窗口工作人员按您的要求"
            return f"{who}撤回了申请", f"说明：{reason}" if reason else "", ""
        case Action.REVOKE:
            return "因告知承诺不实，终止办理或撤销决定", reason, "bad"
    return str(Action(event.action).label) if event.action in Action.values else event.action, reason, ""


def timeline(cases: list[Case]) -> list[Step]:
    """Every event of the application's cases in time order, each as a sentence."""
    by_id = {case.pk: case for case in cases}
    many = len(cases) > 1
    events = CaseEvent.objects.filter(case_id__in=list(by_id)).order_by("at", "id")
    steps: list[Step] = []
    seen: dict[tuple[datetime, str, str], int] = {}
    for event in events:
        case = by_id[event.case_id]
        text, detail, tone = _sentence(event, case)
        at = timezone.localtime(event.at)
        item = case.item_version.name if many else ""
        same = seen.get((at, text, detail))
        if same is not None:
            # The same thing happened to several cases at once (a bundle submitted or withdrawn): say it once.
            first = steps[same]
            steps[same] = Step(at, f"{first.item}、{item}" if item else "", text, detail, tone)
            continue
        seen[(at, text, detail)] = len(steps)
        steps.append(Step(at=at, item=item, text=text, detail=detail, tone=tone))
    return steps
