"""Security headers Django 5.2 does not set itself: Content-Security-Policy, Permissions-Policy, and
`Cache-Control: no-store` on every answer that may hold someone's data.

HSTS, secure cookies and the HTTPS redirect are Django's own (SecurityMiddleware), switched on together
by YIWANG_HTTPS (settings).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

# Everything is served from our own origin (no CDN: the product runs in government intranets).
# Inline styles stay allowed for the few style attributes and the swagger UI; scripts do not.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self' 'unsafe-inline'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
# Answers here are someone's whatever the request looks like: the API (JSON and PDFs, token or session,
# and its public reads too, which name licence holders), the applicant's and the kiosk user's pages,
# the workbench and the admin. Elsewhere (the catalog, guides, licence verification pages, static
# files) only a signed-in user's answer is kept out of caches.
PRIVATE_PREFIXES = ("/api/", "/me/", "/workbench/", "/kiosk/me/", "/admin/")


def is_private(request: HttpRequest) -> bool:
    """Whether the answer to `request` may hold personal data, and so must not be stored by a browser
    (a shared PC at a service hall) or a proxy."""
    if request.path_info.startswith(PRIVATE_PREFIXES) or "HTTP_AUTHORIZATION" in request.META:
        return True
    # Evaluated only now, after the session middleware has answered: no Vary: Cookie is added by it.
    # Absent for answers made before authentication ran (static files).
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if is_private(request):
            # Whatever a view said before (a download's "private, no-store", or nothing): never kept.
            add_never_cache_headers(response)
        return response
