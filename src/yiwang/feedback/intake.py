"""受理: a request comes in — checked, numbered, given its 查询码 (stored only as a digest), and routed:
to the case's department when it names a case, else by the classifier when it is sure enough, else (and
every 举报) to the dispatcher's pool. Also the 查询码 lookup, under a throttle."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from yiwang.accounts.models import User, UserKind
from yiwang.accounts.throttle import Rule, throttle_check, throttle_fail, throttle_key
from yiwang.cases.access import visible_cases
from yiwang.cases.models import Case
from yiwang.catalog.models import Department, ServiceItem
from yiwang.core.errors import Conflict, ValidationFailed
from yiwang.core.identifiers import IdentifierError, normalize_mobile
from yiwang.feedback import routing, rules
from yiwang.feedback.desk import TEXT_MAX, dispatch_to, dispatchers_tell, event_add
from yiwang.feedback.models import (
    RequestChannel,
    RequestType,
    ServiceRequest,
    Stage,
    tracking_digest,
)

TRACKING_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read out over the phone


def _tracking_code() -> str:
    raw = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


@dataclass(frozen=True)
class Intake:
    request: ServiceRequest
    tracking_code: str  # shown once to the submitter; the desk keeps only its digest


def request_create(
    *,
    type: Any,
    text: Any,
    channel: str,
    submitter: User | None = None,
    taken_by: User | None = None,
    contact_name: Any = "",
    contact_phone: Any = "",
    anonymous: bool = False,
    item_code: Any = "",
    case_number: Any = "",
    now: datetime | None = None,
) -> Intake:
    """受理: store the request and route it — to the case's department when it names a case, else by the
    classifier when it is confident, else to the dispatcher's pool."""
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    if type not in RequestType.values:
        errors["type"] = ["请选择诉求类型：咨询、求助、投诉、建议或举报"]
    if not isinstance(text, str) or len(text) < 5 or not text.strip():
        errors["text"] = ["请写明诉求内容（至少 5 个字）"]
    elif len(text) > TEXT_MAX:
        errors["text"] = [f"诉求内容不超过 {TEXT_MAX} 字"]
    if channel not in RequestChannel.values:
        errors["channel"] = ["未知的渠道"]
    name = contact_name.strip() if isinstance(contact_name, str) else ""
    phone = contact_phone.strip() if isinstance(contact_phone, str) else ""
    if len(name) > 50:
        errors["contact_name"] = ["联系人姓名不超过 50 字"]
    if phone and not _is_landline(phone):
        try:
            phone = normalize_mobile(phone)
        except IdentifierError:
            errors["contact_phone"] = ["请填写正确的手机号码或固定电话"]
    if submitter is not None and not anonymous:
        name = name or submitter.name
        phone = phone or str(submitter.mobile or "")
    if anonymous:
        name, phone = "", ""
    item = None
    if item_code:
        item = ServiceItem.objects.filter(code=str(item_code)).select_related("department").first()
        if item is None:
            errors["item"] = ["未找到该事项"]
    case = None
    if case_number:
        case = _case_named(str(case_number), submitter, taken_by)
        if case is None:
            errors["case"] = ["未找到该办件，请核对办件编号"]
    if errors:
        raise ValidationFailed(errors)
    text = text.strip()
    region = (case.application.region_code if case else "") or _region_default()
    code = _tracking_code()
    request = ServiceRequest(
        tracking_digest=tracking_digest(code),
        type=type,
        channel=channel,
        title=_title(text),
        text=text,
        submitter=submitter if submitter is not None and submitter.kind != UserKind.STAFF else None,
        taken_by=taken_by,
        contact_name=name,
        contact_phone=phone,
        anonymous=anonymous,
        item=item or (case.item_version.item if case else None),
        case=case,
        region_code=region,
        received_at=now,
        received_on=timezone.localdate(now),
        due=rules.due_after(timezone.localdate(now), region, type),
    )
    department, confident = _route(request, case, item)
    if type == RequestType.REPORT:
        confident = False  # 举报 may name the very unit the classifier picks: a person routes it
    with transaction.atomic():
        _save_numbered(request, now)
        event_add(request, "receive", actor=taken_by or submitter, note=RequestChannel(channel).label, at=now)
        if department is not None and confident:
            dispatch_to(request, department, actor=None, auto=True, now=now)
        else:
            dispatchers_tell(request)
    return Intake(request, code)


def _is_landline(phone: str) -> bool:
    """0571-87281010 or 87281010: a fixed line (a mobile number is checked by its own rule)."""
    digits = phone.replace("-", "")
    return digits.isdigit() and (digits.startswith("0") or len(digits) in (7, 8)) and 7 <= len(digits) <= 12


def _region_default() -> str:
    department = Department.objects.order_by("pk").only("region_code").first()
    return department.region_code if department else ""


def _title(text: str) -> str:
    first = text.splitlines()[0] if text else ""
    return first[:30] + ("…" if len(first) > 30 else "")


def _case_named(number: str, submitter: User | None, taken_by: User | None) -> Case | None:
    """The case a request concerns: an applicant names their own; the hotline any (the caller says it)."""
    cases = Case.objects.select_related("application", "item_version__item")
    if submitter is not None and taken_by is None:
        cases = visible_cases(submitter).select_related("application", "item_version__item")
    elif taken_by is None:
        return None  # anonymous: a case number alone does not say the case is theirs
    return cases.filter(number=number).first()


def _route(
    request: ServiceRequest, case: Case | None, item: ServiceItem | None
) -> tuple[Department | None, bool]:
    """The department the request goes to and whether that is sure enough to send it there at once."""
    if case is not None:
        request.suggested = [
            {"department": case.department.code, "item": case.item_version.item.code, "score": 1.0}
        ]
        return case.department, True
    if item is not None:  # the submitter named the service: its department, no need to guess
        request.suggested = [{"department": item.department.code, "item": item.code, "score": 1.0}]
        return item.department, True
    suggestions = routing.router(routing_history, past_stamp=routing_history_stamp()).suggest(
        request.text, k=3
    )
    request.suggested = [
        {"department": s.department, "item": s.item, "score": round(s.score, 3)} for s in suggestions
    ]
    if not suggestions:
        return None, False
    best = suggestions[0]
    if best.item and request.item is None:
        request.item = ServiceItem.objects.filter(code=best.item).first()
    department = Department.objects.filter(code=best.department).first()
    return department, best.score >= settings.YIWANG_FEEDBACK_AUTO_ROUTE


HISTORY = 2000  # the most recent closed requests the classifier learns from
RETRAIN_EVERY = 200  # closed requests between two trainings of a process's classifier


def routing_history() -> list[routing.Example]:
    """Recent closed requests and the department that finally handled them (a misrouted one counts where
    it was returned to, not where it was first sent): what the classifier learns from besides the
    catalog. Departments only: an item on a past request may be the classifier's own guess."""
    rows = (
        ServiceRequest.objects.filter(stage=Stage.CLOSED, department__isnull=False)
        .order_by("-pk")
        .values_list("text", "department__code")[:HISTORY]
    )
    return [routing.Example(text, department) for text, department in rows]


def routing_history_stamp() -> int:
    """Changes once per RETRAIN_EVERY closed requests: the history moves on without a retraining on
    each intake."""
    return ServiceRequest.objects.filter(stage=Stage.CLOSED).count() // RETRAIN_EVERY


def _save_numbered(request: ServiceRequest, now: datetime) -> None:
    """诉求编号: the day and a random six digits (a sequence would tell how many complaints a day brings)."""
    for _ in range(20):
        request.number = f"{timezone.localdate(now):%Y%m%d}{secrets.randbelow(10**6):06d}"
        try:
            with transaction.atomic():
                request.save()
            return
        except IntegrityError:
            continue
    raise Conflict("number_exhausted", "诉求编号分配失败，请重试")


def request_track(*, code: str, client_address: str) -> ServiceRequest | None:
    """查询码 lookup under the throttle: failed guesses count against the client address, as /track/ does."""
    rule = Rule(
        limit=settings.YIWANG_TRACK_FAILURES_PER_ADDRESS,
        window=timedelta(minutes=settings.YIWANG_TRACK_WINDOW_MINUTES),
    )
    key = throttle_key("feedback:track", client_address)
    throttle_check([(key, rule)], refusal="查询失败次数过多", code="track_throttled")
    cleaned = code.replace("-", "").replace(" ", "").strip().upper() if isinstance(code, str) else ""
    request = None
    if len(cleaned) == 10 and all(c in TRACKING_ALPHABET for c in cleaned):
        request = (
            ServiceRequest.objects.filter(tracking_digest=tracking_digest(cleaned))
            .select_related("department")
            .first()
        )
    if request is None:
        throttle_fail(key, rule)
    return request
