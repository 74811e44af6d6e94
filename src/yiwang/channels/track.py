"""办件进度查询: the public status page the QR code on every notice opens, and the lookup by number.

Anyone holding the paper has the number; the last four characters of the applicant's ID number or
USCC keep the page from telling strangers who applied for what. Application numbers are sequential,
so failed tries are throttled per number and per client address (`tracking_lookup`).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from yiwang.accounts.throttle import Rule, Throttled, throttle_check, throttle_fail, throttle_key
from yiwang.audit.context import client_ip
from yiwang.cases import selectors
from yiwang.cases.models import Application, ApplicationStatus
from yiwang.cases.states import CaseStatus
from yiwang.channels.guards import public

NO_MATCH = "申办编号或证件号码后 4 位不正确，请核对后重试"
NUMBER_MAX_LENGTH = 40  # 申办编号 are 24 characters; room for a longer regional prefix


class TrackForm(forms.Form):
    """The number is in the URL (the QR code): only the ID suffix is asked for."""

    id_suffix = forms.CharField(
        label="申请人证件号码后 4 位",
        min_length=4,
        max_length=4,
        help_text="身份证号或统一社会信用代码的最后 4 位，字母不区分大小写",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "inputmode": "text", "autocapitalize": "characters"}
        ),
    )


class TrackLookupForm(TrackForm):
    """办件进度查询 without a QR code: the number is typed too."""

    number = forms.CharField(
        label="申办编号",
        max_length=NUMBER_MAX_LENGTH,
        help_text="见受理通知书等文书右上方",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "spellcheck": "false",
                "placeholder": "如 330100-20261123-00000042",
            }
        ),
    )
    field_order = ["number", "id_suffix"]


def tracking_rules() -> tuple[Rule, Rule]:
    """(per application number, per client address): read per call, so settings changed in tests apply."""
    window = timedelta(minutes=settings.YIWANG_TRACK_WINDOW_MINUTES)
    return (
        Rule(limit=settings.YIWANG_TRACK_FAILURES_PER_NUMBER, window=window),
        Rule(limit=settings.YIWANG_TRACK_FAILURES_PER_ADDRESS, window=window),
    )


def tracking_lookup(*, number: str, id_suffix: str, client_address: str) -> Application | None:
    """办件进度查询 under the throttle: the application when number and suffix match, else None and one
    failure counted against the number and against the address.

    Raises Throttled once either has used up its failures, even for a right suffix: otherwise the
    answer to the next guess would still tell right from wrong. A success counts nothing.
    """
    per_number, per_address = tracking_rules()
    # Digested keys: a key names the number and the address without holding either in clear.
    counted = [
        (throttle_key("track:number", number), per_number),
        (throttle_key("track:address", client_address), per_address),
    ]
    throttle_check(counted, refusal="查询失败次数过多", code="track_throttled")
    application = selectors.application_tracking(number, id_suffix)
    if application is None:
        for key, rule in counted:
            throttle_fail(key, rule)
    return application


def _progress(application: Application) -> dict[str, Any]:
    """What the result shows: the application's status, each case, and the events without names."""
    statuses = dict(CaseStatus.choices)
    cases = application.cases.select_related("item_version", "department").order_by("number")
    return {
        "application": application,
        "status_label": dict(ApplicationStatus.choices).get(application.status, application.status),
        "cases": [
            {
                "number": c.number,
                "item": c.item_version.name,
                "department": c.department.name,
                "status": statuses.get(c.status, c.status),
                "promised_due": c.promised_due,
                "promised_limit": selectors.limit_text(c.promised_days, c.extension_days),
            }
            for c in cases
        ],
        "timeline": selectors.tracking_timeline(application),
    }


def _answer(request: HttpRequest, form: TrackForm, number: str) -> HttpResponse:
    """Both pages end here: one template for the form, the refusal and the progress."""
    context: dict[str, Any] = {"form": form, "number": number, "application": None}
    if request.method != "POST" or not form.is_valid():
        return render(request, "channels/track.html", context, status=422 if form.errors else 200)
    number = number or form.cleaned_data["number"].strip()
    try:
        application = tracking_lookup(
            number=number, id_suffix=form.cleaned_data["id_suffix"], client_address=client_ip(request)
        )
    except Throttled as exc:
        context["throttled"] = exc.message
        response = render(request, "channels/track.html", context, status=429)
        response["Retry-After"] = str(exc.retry_after)
        return response
    if application is None:
        form.add_error(None, NO_MATCH)
        return render(request, "channels/track.html", context, status=422)
    context.update(_progress(application), number=number)
    return render(request, "channels/track.html", context)


@public
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest, number: str) -> HttpResponse:
    """The page a notice's QR code opens: the number is known, the suffix is asked for."""
    return _answer(request, TrackForm(request.POST or None), number.strip())


@public
@require_http_methods(["GET", "POST"])
def track_lookup(request: HttpRequest) -> HttpResponse:
    """办件进度查询 by typing the number (the home page's box sends it here in `?number=`)."""
    initial = {"number": request.GET.get("number", "").strip()[:NUMBER_MAX_LENGTH]}
    form = TrackLookupForm(request.POST or None, initial=initial)
    if initial["number"]:
        form.fields["id_suffix"].widget.attrs["autofocus"] = True  # the number came along: the suffix is next
    return _answer(request, form, "")
