"""电子证照核验: the public page a licence's QR code opens. No login; nothing personal beyond a masked name."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from yiwang.channels.guards import public
from yiwang.core.errors import DomainError
from yiwang.licences import presenters, selectors, services

TEMPLATE = "channels/licence_verify.html"


@public
@require_safe
@never_cache  # the status can change at any time: never show a stale verdict
def verify_page(request: HttpRequest, identifier: str) -> HttpResponse:
    try:
        licence = selectors.licence_get(identifier)
    except DomainError as exc:
        return render(request, TEMPLATE, {"identifier": identifier, "error": exc.message}, status=404)
    result = presenters.verify_detail(services.licence_verify(licence))
    return render(request, TEMPLATE, {"identifier": licence.identifier, "result": result})
