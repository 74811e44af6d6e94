"""好差评 and 咨询投诉 at the kiosk: rating an ended case of the signed-in citizen (渠道 自助终端), and the
request form in the kiosk's large type (anyone; signed in, the request is also the citizen's own).

The handling is the portal's (`channels.rating_form`, `channels.request_form`); only the templates and
the channel differ."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from yiwang.cases.access import visible_cases
from yiwang.channels.guards import public
from yiwang.channels.kiosk.session import kiosk_login_required, kiosk_user
from yiwang.channels.kiosk.views import _not_found, _render
from yiwang.channels.rating_form import rating_page
from yiwang.channels.request_form import intake_page
from yiwang.feedback.models import RatingChannel, RequestChannel


def kiosk_rate_url(number: str) -> str:
    return reverse("kiosk:rate", args=[number])


@kiosk_login_required
@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, number: str) -> HttpResponse:
    """评价 one of the signed-in citizen's ended cases, with the finger."""
    user = kiosk_user(request)
    assert user is not None
    case = (
        visible_cases(user)
        .select_related("application", "item_version", "department")
        .filter(number=number)
        .first()
    )
    if case is None:
        return _not_found(request, "未找到该办件，或它不属于当前登录的账号。")
    return rating_page(
        request,
        case,
        rater=user,
        via_link=False,
        channel=RatingChannel.KIOSK,
        template="rate.html",
        context={},
        render_page=_render,
    )


@public
@never_cache
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    """咨询投诉 at the kiosk: the form, then the number and the 查询码 (once)."""
    return intake_page(
        request,
        channel=RequestChannel.KIOSK,
        submitter=kiosk_user(request),
        template="request_new.html",
        receipt_template="request_receipt.html",
        context={},
        render_page=_render,
        prefill=False,  # the screen faces the hall: the account's phone number is not shown on it
    )
