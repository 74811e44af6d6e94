"""What an applicant is told when their case moves (受理, 不予受理, 补正, 延长, 办结), written by
`transition()` in the action's own transaction: an action that rolls back leaves no message."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core import signing

from yiwang.accounts.models import User, UserKind
from yiwang.cases.models import Application, Case
from yiwang.cases.states import Action
from yiwang.notifications.models import MessageKind
from yiwang.notifications.services import notify

KIND_OF_ACTION = {
    Action.ACCEPT: MessageKind.CASE_ACCEPTED,
    Action.DEEMED_ACCEPT: MessageKind.CASE_ACCEPTED,
    Action.REFUSE: MessageKind.CASE_REFUSED,
    Action.REQUEST_SUPPLEMENT: MessageKind.SUPPLEMENT_REQUESTED,
    Action.EXTEND: MessageKind.CASE_EXTENDED,
    Action.COMPLETE: MessageKind.CASE_COMPLETED,
}


RATE_SALT = "yiwang.rate"
RATED_KINDS = (MessageKind.CASE_COMPLETED, MessageKind.CASE_REFUSED)  # 好差评: ended cases are rated


def rate_token(case_number: str) -> str:
    """What the rating link carries: the case number, signed, so that the phone or inbox that got the
    link may rate the case without signing in."""
    return signing.dumps(case_number, salt=RATE_SALT)


def case_number_of_rate_token(token: str) -> str | None:
    try:
        value = signing.loads(
            token, salt=RATE_SALT, max_age=timedelta(days=settings.YIWANG_RATING_WINDOW_DAYS + 31)
        )
    except signing.BadSignature:
        return None
    return value if isinstance(value, str) else None


def rate_link(case_number: str) -> str:
    return f"/rate/{case_number}/?t={rate_token(case_number)}"


def masked_name(name: str) -> str:
    """张三丰 → 张**: the surname, as SMS templates address a person."""
    return name[:1] + "*" * (len(name) - 1) if name else ""


def _day(value: date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def case_event_notify(case: Case, *, action: str) -> None:
    """The applicant's (and 经办人's) message for `action` on `case`, with an SMS where they get one."""
    kind = KIND_OF_ACTION.get(action)  # type: ignore[call-overload]
    if kind is None:
        return
    application: Application = case.application
    # A bundle is accepted once: one message for the application, not one per member case.
    bundle = application.bundle if kind == MessageKind.CASE_ACCEPTED else None
    bundle_accepted = bundle is not None
    what = bundle.name if bundle is not None else case.item_version.name
    number = application.number if bundle_accepted else case.number
    occasion = "" if bundle_accepted else str(case.revision)  # a case may be asked to supplement twice
    result = ""
    if kind == MessageKind.CASE_COMPLETED:
        result = "准予" if (case.result or {}).get("decision") == "approved" else "不予许可"
    person = application.applicant_user is None or application.applicant_user.kind == UserKind.PERSON
    params = {
        "name": masked_name(application.applicant_name) if person else application.applicant_name,
        "item": what,
        "number": number,
        "due": _day(case.promised_due),
        "result": result,
        "rate": f"{settings.SITE_URL.rstrip('/')}{rate_link(case.number)}" if kind in RATED_KINDS else "",
    }
    title, body = _text(kind, params)
    recipients: list[User | None] = list(
        dict.fromkeys(u for u in (application.applicant_user, application.agent_user) if u is not None)
    ) or [None]
    phone = _phone(application)
    for index, recipient in enumerate(recipients):
        notify(
            kind=kind,
            recipient=recipient,
            title=title,
            body=body,
            # 办结: the result and its rating; 不予受理: the reasons first (the page offers the rating)
            link=rate_link(case.number)
            if kind == MessageKind.CASE_COMPLETED
            else f"/me/applications/{application.number}/",
            subject=number,
            phone=phone if index == 0 else "",  # one SMS per event, however many inboxes
            sms_params=params,
            key=f"case:{number}:{kind}:{occasion}:{recipient.pk if recipient else 0}",
        )


def _phone(application: Application) -> str:
    """The contact number the applicant gave on the form, else the account's mobile."""
    form_phone = (application.form or {}).get("applicant_phone")
    if isinstance(form_phone, str) and form_phone:
        return form_phone
    for user in (application.applicant_user, application.agent_user):
        if user is not None and user.mobile:
            return str(user.mobile)
    return ""


def _text(kind: str, p: dict[str, str]) -> tuple[str, str]:
    subject = f"{p['item']}（{p['number']}）"
    if kind == MessageKind.CASE_ACCEPTED:
        due = f"，承诺于{p['due']}前办结" if p["due"] else ""
        return f"已受理：{p['item']}", f"您申请的{subject}已受理{due}。"
    if kind == MessageKind.CASE_REFUSED:
        return f"不予受理：{p['item']}", f"您申请的{subject}不予受理，理由见不予受理通知书。"
    if kind == MessageKind.SUPPLEMENT_REQUESTED:
        return (
            f"请补正材料：{p['item']}",
            f"您申请的{subject}需要补正材料，请查看补正材料一次性告知书并在线补正。",
        )
    if kind == MessageKind.CASE_EXTENDED:
        return (
            f"办理期限延长：{p['item']}",
            f"您申请的{subject}办理期限依法延长至{p['due']}，详见延长审批期限告知书。",
        )
    return f"已办结：{p['item']}", f"您申请的{subject}已办结，结果：{p['result']}。"
