"""Which notices (文书) an application has, from what happened to its cases."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from yiwang.cases.models import Application, Case, CaseEvent, SupplementRequest
from yiwang.cases.states import Action

NOTICE_TITLES = {
    "acceptance": "受理通知书",
    "refusal": "不予受理通知书",
    "supplement": "补正材料一次性告知书",
    "extension": "延长审批期限告知书",
    "completion": "办结通知书",
}


def notice_kinds(application: Application, cases: list[Case]) -> list[str]:
    actions = set(CaseEvent.objects.filter(case__in=cases).values_list("action", flat=True))
    kinds = []
    if actions & {Action.ACCEPT, Action.DEEMED_ACCEPT}:
        kinds.append("acceptance")
    if Action.REFUSE in actions:
        kinds.append("refusal")
    if SupplementRequest.objects.filter(case__in=cases).exists():
        kinds.append("supplement")
    if Action.EXTEND in actions:
        kinds.append("extension")
    if Action.COMPLETE in actions:
        kinds.append("completion")
    return kinds


def available_notices(application: Application, cases: list[Case]) -> list[dict[str, Any]]:
    return [
        {
            "kind": kind,
            "title": NOTICE_TITLES[kind],
            "url": reverse("api-v1:application_notice", kwargs={"number": application.number, "kind": kind}),
        }
        for kind in notice_kinds(application, cases)
    ]
