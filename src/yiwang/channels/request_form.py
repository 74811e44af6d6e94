"""诉求 (咨询 · 求助 · 投诉 · 建议 · 举报) on the citizen's channels: the intake form and its receipt (the
查询码, shown once), tracking by 查询码, a request as its submitter reads it, and the 满意 / 不满意 judgement
of an answer. Shared by the portal pages (`portal/requests.py`) and the kiosk's (`kiosk/feedback.py`).

The desk decides (`feedback.desk`); its refusals become form errors in Chinese. Anyone may submit, so
submissions are throttled per account, else per client address."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from yiwang.accounts.models import User, UserKind
from yiwang.accounts.throttle import Rule, Throttled, throttle_key, throttle_take
from yiwang.audit.context import client_ip
from yiwang.cases.access import visible_cases
from yiwang.channels.refusals import field_errors_onto
from yiwang.core.errors import DomainError, ValidationFailed
from yiwang.feedback import desk, intake
from yiwang.feedback.models import RequestType, ServiceRequest, Stage

TEXT_MAX = desk.TEXT_MAX
CASES_OFFERED = 30  # the signed-in submitter's latest cases, to say which one a request is about
INTAKE_SESSION_KEY = "feedback_intake"
# Anyone may submit: at most this many submissions per hour per account, else per client address
# (a service hall's kiosks share one address, hence not fewer).
SUBMIT_RULE = Rule(limit=10, window=timedelta(hours=1))

TYPE_HINTS: dict[str, str] = {
    RequestType.CONSULT: "问政策、问流程、问材料",
    RequestType.HELP: "遇到困难，需要政府部门帮助解决",
    RequestType.COMPLAINT: "对办事效率、服务态度或违规行为不满",
    RequestType.SUGGESTION: "对政务服务和城市管理提出意见建议",
    RequestType.REPORT: "反映违法违规行为的线索",
}
REPORT_PROTECTION = "举报人信息严格保密，不向被举报单位透露。"

STAGE_TONE: dict[str, str] = {
    Stage.RECEIVED: "badge-blue",
    Stage.DISPATCHED: "badge-blue",
    Stage.HANDLING: "badge-blue",
    Stage.ANSWERED: "badge-amber",
    Stage.SUPERVISED: "badge-red",
    Stage.CLOSED: "badge-green",
}
# What each step of the request is called for its submitter (no staff names, no internal notes).
EVENT_LABELS: dict[str, str] = {
    "receive": "诉求已受理",
    "dispatch": "已派至承办部门",
    "sign": "承办部门已签收，正在办理",
    "return": "承办部门退回，重新派单",
    "extension_ask": "承办部门申请延期",
    "extension_approved": "延期已批准",
    "extension_refused": "延期未批准",
    "answer": "承办部门已答复",
    "satisfied": "您评价满意，诉求办结",
    "redo": "您评价不满意，转承办部门重新办理",
    "supervise": "重办后仍不满意，转效能监察督办",
    "conclude": "督办办结",
    "close_unjudged": "逾期未评价，自动办结",
}
NOTE_SHOWN = ("answer",)  # the answer is the submitter's to read; other notes are the staff's


def applicant(request: HttpRequest) -> User | None:
    """The signed-in applicant (the request is theirs and shows in 我的诉求); staff and visitors: None."""
    user = request.user
    if isinstance(user, User) and user.is_authenticated and user.kind != UserKind.STAFF:
        return user
    return None


class RequestForm(forms.Form):
    type = forms.ChoiceField(
        label="诉求类型",
        choices=RequestType.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "请选择诉求类型",
            "invalid_choice": "请选择诉求类型：咨询、求助、投诉、建议或举报",
        },
    )
    text = forms.CharField(
        label="诉求内容",
        max_length=TEXT_MAX,
        widget=forms.Textarea,
        error_messages={"required": "请写明诉求内容", "max_length": f"诉求内容不超过 {TEXT_MAX} 字"},
    )
    case = forms.ChoiceField(label="涉及的办件", required=False, choices=[("", "不涉及具体办件")])
    contact_name = forms.CharField(
        label="联系人", max_length=50, required=False, error_messages={"max_length": "联系人姓名不超过 50 字"}
    )
    contact_phone = forms.CharField(
        label="联系电话",
        max_length=20,
        required=False,
        error_messages={"max_length": "请填写正确的手机号码或固定电话"},
    )
    anonymous = forms.BooleanField(label="匿名提交", required=False)

    def __init__(self, *args: Any, cases: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["case"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "不涉及具体办件"), *(cases or [])]
        field.error_messages["invalid_choice"] = "请从列表中选择您的办件"

    def add_service_errors(self, exc: DomainError) -> None:
        if not field_errors_onto(self, exc):
            self.add_error(None, exc.message)


def cases_offered(user: User | None) -> list[tuple[str, str]]:
    if user is None:
        return []
    cases = visible_cases(user).select_related("item_version").order_by("-created_at")[:CASES_OFFERED]
    return [(c.number, f"{c.item_version.name}（{c.number}）") for c in cases]


def _take_a_try(request: HttpRequest, user: User | None) -> None:
    who = f"user:{user.pk}" if user is not None else f"address:{client_ip(request)}"
    throttle_take(
        throttle_key("feedback:submit", who),
        SUBMIT_RULE,
        refusal="提交次数过多，为防止恶意刷单已暂停受理",
        code="request_throttled",
    )


def intake_page(
    request: HttpRequest,
    *,
    channel: str,
    submitter: User | None,
    template: str,
    receipt_template: str,
    context: dict[str, Any],
    render_page: Callable[..., HttpResponse] | None = None,
    prefill: bool = True,
) -> HttpResponse:
    """GET: the form (or, right after a submission, its receipt — once). POST: 受理, then the receipt.
    `prefill`: the signed-in submitter's name and phone in the contact fields (without, the desk still
    takes them from the account unless the request is anonymous)."""
    draw = render_page or render
    if request.method == "GET" and request.GET.get("submitted"):
        receipt = request.session.pop(INTAKE_SESSION_KEY, None)
        if receipt:
            return draw(request, receipt_template, {**context, "receipt": receipt})
    cases = cases_offered(submitter)
    initial: dict[str, Any] = {"type": request.GET.get("type", "")}
    if submitter is not None and prefill:
        initial.update(contact_name=submitter.name, contact_phone=str(submitter.mobile or ""))
    case_asked = request.GET.get("case", "")
    if any(number == case_asked for number, _ in cases):
        initial["case"] = case_asked
    form = RequestForm(request.POST if request.method == "POST" else None, cases=cases, initial=initial)
    status = 200
    throttled, retry_after = "", 0
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                _take_a_try(request, submitter)
                made = intake.request_create(
                    type=data["type"],
                    text=data["text"],
                    channel=channel,
                    submitter=submitter,
                    contact_name=data["contact_name"],
                    contact_phone=data["contact_phone"],
                    anonymous=data["anonymous"],
                    case_number=data["case"],
                )
            except Throttled as exc:
                throttled, retry_after = exc.message, exc.retry_after
                status = 429
            except ValidationFailed as exc:
                form.add_service_errors(exc)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                created = made.request
                request.session[INTAKE_SESSION_KEY] = {
                    "number": created.number,
                    "code": made.tracking_code,
                    "type": created.get_type_display(),
                    "report": created.protected,
                    "anonymous": created.anonymous,
                    "texted": bool(created.contact_phone) and not created.anonymous,
                    "signed_in": submitter is not None,
                    "due": created.due.isoformat(),
                    "department": created.department.name if created.department else "",
                }
                return redirect(f"{request.path}?submitted=1")
        if form.errors:
            status = 422
    chosen = form["type"].value() or ""
    full = {
        **context,
        "form": form,
        "types": [
            {"value": v, "label": str(label), "hint": TYPE_HINTS[v], "checked": chosen == v}
            for v, label in RequestType.choices
        ],
        "has_cases": bool(cases),
        "text_max": TEXT_MAX,
        "throttled": throttled,
        "protection": REPORT_PROTECTION,
        "submitter": submitter,
    }
    response = draw(request, template, full, status=status)
    if throttled:
        response["Retry-After"] = str(retry_after)
    return response


# A request as its submitter reads it


def request_shown(found: ServiceRequest) -> dict[str, Any]:
    events = [
        {
            "at": e.at,
            "label": EVENT_LABELS.get(e.action, "办理"),
            "department": e.department.name if e.department is not None else "",
            "note": e.note if e.action in NOTE_SHOWN else "",
            "answer": e.action == "answer",
        }
        for e in found.events.select_related("department")
    ]
    return {
        "number": found.number,
        "type": found.get_type_display(),
        "stage": found.get_stage_display(),
        "tone": STAGE_TONE.get(found.stage, "badge-plain"),
        "title": found.title,
        "text": found.text,
        "department": found.department.name if found.department else "",
        "case": found.case.number if found.case_id and found.case else "",
        "received_at": found.received_at,
        "due": found.due,
        "answer": found.answer,
        "answered_at": found.answered_at,
        "satisfied": found.satisfied,
        "judgeable": found.stage == Stage.ANSWERED,
        "closed": found.stage == Stage.CLOSED,
        "anonymous": found.anonymous,
        "report": found.protected,
        "redone": found.redone,
        "events": events,
    }


class JudgeForm(forms.Form):
    satisfied = forms.TypedChoiceField(
        label="您对答复是否满意",
        choices=[("yes", "满意"), ("no", "不满意")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "请选择满意或不满意", "invalid_choice": "请选择满意或不满意"},
    )
    note = forms.CharField(
        label="说明",
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea,
        error_messages={"max_length": f"说明不超过 {TEXT_MAX} 字"},
    )

    def add_service_errors(self, exc: DomainError) -> None:
        if not field_errors_onto(self, exc):
            self.add_error(None, exc.message)


def judge(
    request: HttpRequest, found: ServiceRequest, form: JudgeForm, *, actor: User | None
) -> ServiceRequest | None:
    """回访 by the submitter: the judged request, or None with the refusal on the form."""
    if not form.is_valid():
        return None
    try:
        judged = desk.request_judge(
            number=found.number,
            satisfied=form.cleaned_data["satisfied"],
            note=form.cleaned_data["note"],
            actor=actor,
        )
    except ValidationFailed as exc:
        form.add_service_errors(exc)
        return None
    except DomainError as exc:
        form.add_error(None, exc.message)
        return None
    if judged.stage == Stage.CLOSED:
        messages.success(request, "感谢您的评价，诉求已办结。")
    elif judged.stage == Stage.SUPERVISED:
        messages.success(
            request,
            f"已转效能监察督办，承办部门须于 {judged.supervision_due:%Y年%m月%d日} 前再次答复。",
        )
    else:
        messages.success(request, f"已转承办部门重新办理，将于 {judged.due:%Y年%m月%d日} 前再次答复。")
    return judged


class TrackForm(forms.Form):
    code = forms.CharField(
        label="查询码",
        max_length=20,
        error_messages={"required": "请输入查询码", "max_length": "查询码为 10 位字母和数字，如 ABCDE-FGH23"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "placeholder": "如 ABCDE-FGH23",
            }
        ),
    )


def track_page(
    request: HttpRequest,
    *,
    template: str,
    context: dict[str, Any],
    actor: User | None,
    render_page: Callable[..., HttpResponse] | None = None,
) -> HttpResponse:
    """凭查询码查询: the code (throttled by the desk), the request, and the judgement form when answered.
    The code travels with the judgement form: nothing about the request is kept in the session."""
    draw = render_page or render
    form = TrackForm(request.POST or None)
    full: dict[str, Any] = {**context, "form": form, "found": None, "judge_form": None}
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            return draw(request, template, full, status=422)
        code = form.cleaned_data["code"]
        try:
            found = intake.request_track(code=code, client_address=client_ip(request))
        except Throttled as exc:
            full["throttled"] = exc.message
            response = draw(request, template, full, status=429)
            response["Retry-After"] = str(exc.retry_after)
            return response
        if found is None:
            form.add_error("code", "查询码不正确，请核对后重试（字母不区分大小写）")
            return draw(request, template, full, status=422)
        judge_form = JudgeForm(request.POST if request.POST.get("intent") == "judge" else None)
        if request.POST.get("intent") == "judge":
            judged = judge(request, found, judge_form, actor=actor)
            if judged is not None:
                found, judge_form = judged, JudgeForm()
            else:
                status = 422
        full.update(found=request_shown(found), judge_form=judge_form, code=code)
    return draw(request, template, full, status=status)
