"""文书: an application's notices as A4 PDF, rendered from Django templates by WeasyPrint.

Five kinds (notices_catalog.NOTICE_TITLES): 受理通知书, 不予受理通知书, 补正材料一次性告知书,
延长审批期限告知书 and 办结通知书. Each is drawn from the stored case records (events, supplement
request, result, due dates), dated by the event it reports rather than by the download, so
downloading it again gives the same paper unless the case itself changed (an extension or a special
procedure moves the dues shown on the 受理通知书, and says so). Every notice carries a QR code of the
public tracking page, so whoever holds the paper can check it.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from yiwang.cases.models import (
    ONLINE_CHANNELS,
    ApplicantKind,
    Application,
    Case,
    CaseEvent,
    Channel,
    SupplementRequest,
)
from yiwang.cases.notices_catalog import NOTICE_TITLES, notice_kinds
from yiwang.cases.selectors import limit_text
from yiwang.cases.states import Action, CaseStatus
from yiwang.core.errors import NotFound
from yiwang.core.masking import mask_id_number

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "cases" / "notices"

# 文号 prefix of each kind: 受〔2026〕330100-20260506-00000042号.
NUMBER_PREFIX = {
    "acceptance": "受",
    "refusal": "不予受",
    "supplement": "补",
    "extension": "延",
    "completion": "结",
}

# Keys under which an issued e-licence's identifier may appear in a case result.
LICENCE_KEYS = ("licence_identifier", "licence")

USCC_ID_TYPE = "001"


@dataclass(frozen=True)
class Notice:
    """What a notice says beyond the common header: the cases it covers and their rows."""

    cases: list[Case]
    rows: list[dict[str, Any]]
    issued_on: date
    extra: dict[str, Any]


def notice_pdf(application: Application, kind: str) -> tuple[str, bytes]:
    """文书: the notice `kind` of the application as (file name, PDF bytes); 404 if it has none yet."""
    if kind not in NOTICE_TITLES:
        raise NotFound("没有这种文书", code="notice_not_found")
    cases = list(
        application.cases.select_related("item_version", "department", "service_point").order_by("number")
    )
    if kind not in notice_kinds(application, cases):
        raise NotFound("该申办尚无此文书", code="notice_not_found")
    events = _events(cases)
    notice = BUILDERS[kind](application, cases, events)
    context = {**_common(application, kind, notice), **notice.extra, "rows": notice.rows}
    html = render_to_string(f"cases/notices/{kind}.html", context)
    # Everything a notice shows is inline (the product runs offline, in an intranet): fetch nothing else.
    fetcher = URLFetcher(allowed_protocols={"data"})
    pdf = HTML(string=html, base_url=str(TEMPLATE_DIR), url_fetcher=fetcher).write_pdf(
        font_config=_font_config()
    )
    return f"{NOTICE_TITLES[kind]}-{application.number}.pdf", pdf


# ---- the four kinds ---------------------------------------------------------------------------


def _acceptance(application: Application, cases: list[Case], events: dict[int, list[CaseEvent]]) -> Notice:
    accepted = _with_last(events, cases, Action.ACCEPT, Action.DEEMED_ACCEPT)
    rows = []
    for case, event in accepted:
        waiting = case.status == CaseStatus.WAITING
        rows.append(
            {
                "case": case,
                "accepted_on": case.accepted_on or _local(event.at),
                "deemed": case.deemed_accepted,
                "waiting": waiting,
                "instant": case.item_version.is_instant,
                "promised_due": None if waiting else case.promised_due,
                "statutory_due": None if waiting else case.statutory_due,
                "point": case.service_point,
            }
        )
    return Notice(
        [case for case, _event in accepted],
        rows,
        max(_local(event.at) for _case, event in accepted),
        {"any_deemed": any(case.deemed_accepted for case, _event in accepted)},
    )


def _refusal(application: Application, cases: list[Case], events: dict[int, list[CaseEvent]]) -> Notice:
    refused = _with_last(events, cases, Action.REFUSE)
    rows = [{"case": case, "reason": event.reason, "refused_on": _local(event.at)} for case, event in refused]
    return Notice(
        [case for case, _event in refused], rows, max(_local(event.at) for _case, event in refused), {}
    )


def _supplement(application: Application, cases: list[Case], events: dict[int, list[CaseEvent]]) -> Notice:
    requests = {r.case_id: r for r in SupplementRequest.objects.filter(case__in=cases)}
    asked = [c for c in cases if c.pk in requests]
    rows = []
    for case in asked:
        request = requests[case.pk]
        rows.append(
            {
                "case": case,
                "items": request.items,
                "note": request.note,
                "issued_on": _local(request.issued_at),
                "answered_on": _local(request.answered_at) if request.answered_at else None,
            }
        )
    point = application.service_point or next((c.service_point for c in asked if c.service_point_id), None)
    return Notice(
        asked,
        rows,
        max(_local(r.issued_at) for r in requests.values()),
        {
            "online": application.channel in ONLINE_CHANNELS,
            "point": point,
            "places": list(dict.fromkeys(c.item_version.place for c in asked if c.item_version.place)),
            "item_count": sum(len(r.items) for r in requests.values()),
        },
    )


def _extension(application: Application, cases: list[Case], events: dict[int, list[CaseEvent]]) -> Notice:
    """§42: the reason for the extension, and each extended case's dues before and after it, as its
    event recorded them on the day (actions.review.case_extend) — a later suspension does not rewrite them."""
    extended = _with_last(events, cases, Action.EXTEND)
    rows = []
    for case, event in extended:
        data: dict[str, Any] = event.data if isinstance(event.data, dict) else {}
        days = int(data.get("working_days") or case.extension_days)
        rows.append(
            {
                "case": case,
                "extended_on": _local(event.at),
                "reason": event.reason,
                "working_days": days,
                "promised_limit": limit_text(case.promised_days, days),
                "statutory_limit": limit_text(case.statutory_days, days),
                "promised_due_before": _day(data.get("promised_due_before")),
                "promised_due_after": _day(data.get("promised_due_after")) or case.promised_due,
                "statutory_due_before": _day(data.get("statutory_due_before")),
                "statutory_due_after": _day(data.get("statutory_due_after")) or case.statutory_due,
            }
        )
    issued = max(_local(event.at) for _case, event in extended)
    return Notice([case for case, _event in extended], rows, issued, {})


def _completion(application: Application, cases: list[Case], events: dict[int, list[CaseEvent]]) -> Notice:
    completed = _with_last(events, cases, Action.COMPLETE)
    rows = []
    for case, event in completed:
        result = case.result or {}
        approved = result.get("decision") == "approved"
        deny = None if approved else _last(events, case, Action.DENY)
        licence = next((str(result[k]) for k in LICENCE_KEYS if result.get(k)), "")
        rows.append(
            {
                "case": case,
                "approved": approved,
                "result_name": result.get("name") or "",
                "result_number": result.get("number") or "",
                "note": result.get("note") or "",
                "completed_on": _local(case.completed_at or event.at),
                "deny_reason": deny.reason if deny else "",
                "licence": licence,
                "place": case.item_version.place,
            }
        )
    return Notice(
        [case for case, _event in completed],
        rows,
        max(_local(case.completed_at or event.at) for case, event in completed),
        {"any_denied": any(not r["approved"] for r in rows)},
    )


BUILDERS = {
    "acceptance": _acceptance,
    "refusal": _refusal,
    "supplement": _supplement,
    "extension": _extension,
    "completion": _completion,
}


# ---- common parts ------------------------------------------------------------------------------


def _common(application: Application, kind: str, notice: Notice) -> dict[str, Any]:
    region = settings.YIWANG_REGION_NAME
    organ = _issuing_organ(application, notice.cases)
    track_url = f"{settings.SITE_URL.rstrip('/')}/track/{application.number}/"
    legal = application.applicant_kind == ApplicantKind.LEGAL
    id_number = application.applicant_id_number
    return {
        "kind": kind,
        "title": NOTICE_TITLES[kind],
        "region": region,
        "organ": organ,
        "header": organ if organ.startswith(region) else f"{region}{organ}",
        "notice_number": f"{NUMBER_PREFIX[kind]}〔{notice.issued_on.year}〕{application.number}号",
        "issued_on": notice.issued_on,
        "application": application,
        "applicant": {
            "name": application.applicant_name,
            "legal": legal,
            "id_label": "统一社会信用代码"
            if application.applicant_id_type == USCC_ID_TYPE
            else "公民身份号码",
            "id_number": (id_number or "拟设立，设立登记办结时赋码")
            if application.applicant_id_type == USCC_ID_TYPE
            else mask_id_number(id_number),
            "representative": application.legal_representative,
            "agent": application.agent_name,
            "agent_id_number": mask_id_number(application.agent_id_number)
            if application.agent_id_number
            else "",
        },
        "submitted_on": _local(application.created_at),
        "channel": dict(Channel.choices).get(application.channel, application.channel),
        "contacts": _contacts(notice.cases),
        "track_url": track_url,
        "qr_data_uri": _qr_data_uri(track_url),
        "site_url": settings.SITE_URL.rstrip("/"),
    }


def _issuing_organ(application: Application, cases: list[Case]) -> str:
    """One department issues the notice: the cases' own, or for a bundle spanning several, its lead."""
    departments = list(dict.fromkeys(c.department.name for c in cases))
    if len(departments) == 1:
        return departments[0]
    bundle = application.bundle
    if bundle is not None and bundle.lead_department_id:
        return bundle.lead_department.name
    return departments[0]


def _contacts(cases: list[Case]) -> list[dict[str, str]]:
    seen: dict[str, dict[str, str]] = {}
    for case in cases:
        version = case.item_version
        seen.setdefault(
            case.department.name,
            {
                "department": case.department.name,
                "enquiry": version.enquiry_phone or case.department.enquiry_phone,
                "complaint": version.complaint_phone or case.department.complaint_phone,
            },
        )
    return list(seen.values())


def _events(cases: list[Case]) -> dict[int, list[CaseEvent]]:
    by_case: dict[int, list[CaseEvent]] = {c.pk: [] for c in cases}
    wanted = [Action.ACCEPT, Action.DEEMED_ACCEPT, Action.REFUSE, Action.EXTEND, Action.DENY, Action.COMPLETE]
    for event in CaseEvent.objects.filter(case__in=cases, action__in=wanted).order_by("at", "id"):
        by_case[event.case_id].append(event)
    return by_case


def _last(events: dict[int, list[CaseEvent]], case: Case, *actions: str) -> CaseEvent | None:
    return next((e for e in reversed(events[case.pk]) if e.action in actions), None)


def _with_last(
    events: dict[int, list[CaseEvent]], cases: list[Case], *actions: str
) -> list[tuple[Case, CaseEvent]]:
    """The cases that went through one of `actions`, each with the latest such event."""
    pairs = []
    for case in cases:
        event = _last(events, case, *actions)
        if event is not None:
            pairs.append((case, event))
    return pairs


def _local(moment: Any) -> date:
    return timezone.localdate(moment)


def _day(value: Any) -> date | None:
    """A date kept in an event's JSON data (ISO text), or None if the event predates keeping it."""
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def _qr_data_uri(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=1)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode("ascii")


@lru_cache(maxsize=1)
def _font_config() -> FontConfiguration:
    return FontConfiguration()
