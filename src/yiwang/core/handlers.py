"""The WSGI application: API calls with a Bearer token take a shorter middleware chain.

A token call has no session cookie to protect, renders no page and no message, serves no static file
and never logs in by password, so the middleware for those (settings.BROWSER_ONLY_MIDDLEWARE) is
work without effect on it; on a status read that work was a tenth of the server's CPU. Everything
else — pages, the admin, session-authenticated API calls — goes through settings.MIDDLEWARE whole.
A call whose token turns out to be unknown still gets 401: ninja's session fallback finds no user
(the session and auth middleware stay in the short chain) and checks CSRF itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.utils import translation

API_PREFIX = "/api/"


class _ChainHandler(WSGIHandler):
    """A WSGI handler whose middleware chain is `middleware` rather than settings.MIDDLEWARE."""

    def __init__(self, middleware: list[str]) -> None:
        self.chain = middleware
        super().__init__()

    def load_middleware(self, is_async: bool = False) -> None:
        # BaseHandler reads settings.MIDDLEWARE once, here, at start-up (one thread).
        full = settings.MIDDLEWARE
        settings.MIDDLEWARE = self.chain
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = full


def is_token_api_call(environ: dict[str, Any]) -> bool:
    return (
        environ.get("PATH_INFO", "").startswith(API_PREFIX)
        and environ.get("HTTP_AUTHORIZATION", "")[:7].lower() == "bearer "
    )


class YiwangWSGIHandler:
    def __init__(self) -> None:
        self.full = WSGIHandler()
        browser_only = set(settings.BROWSER_ONLY_MIDDLEWARE)
        self.token_api = _ChainHandler([m for m in settings.MIDDLEWARE if m not in browser_only])

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if is_token_api_call(environ):
            # The locale middleware is skipped: answer in the site's language, whatever this thread
            # served last.
            translation.activate(settings.LANGUAGE_CODE)
            return self.token_api(environ, start_response)
        return self.full(environ, start_response)
