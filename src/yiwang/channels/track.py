"""办件进度查询: the public status page the QR code on every notice opens.

Anyone holding the paper has the number; the last four characters of the applicant's ID number or
USCC keep the page from telling strangers who applied for what.
"""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from yiwang.cases import selectors
from yiwang.cases.models import ApplicationStatus
from yiwang.cases.states import CaseStatus
from yiwang.channels.guards import public


class TrackForm(forms.Form):
    id_suffix = forms.CharField(
        label="申请人证件号码后 4 位",
        min_length=4,
        max_length=4,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )


@public
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest, number: str) -> HttpResponse:
    form = TrackForm(request.POST or None)
    application = None
    if request.method == "POST" and form.is_valid():
        application = selectors.application_tracking(number, form.cleaned_data["id_suffix"])
        if application is None:
            form.add_error("id_suffix", "编号或证件号码后 4 位不正确，请核对后重试")
    context: dict[str, object] = {"number": number, "form": form, "application": application}
    if application is not None:
        statuses = dict(CaseStatus.choices)
        context["status_label"] = dict(ApplicationStatus.choices).get(application.status, application.status)
        context["cases"] = [
            {
                "number": c.number,
                "item": c.item_version.name,
                "department": c.department.name,
                "status": statuses.get(c.status, c.status),
                "promised_due": c.promised_due,
            }
            for c in application.cases.select_related("item_version", "department").order_by("number")
        ]
        context["timeline"] = selectors.tracking_timeline(application)
    return render(request, "channels/track.html", context, status=200 if form.errors == {} else 422)
