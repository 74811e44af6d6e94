"""Browser tests: Playwright driving Debian's /usr/bin/chromium against pytest-django's live server.

Fixtures:
* `browser` — one Chromium for all tests in tests/browser/ (never a downloaded browser);
* `desktop`, `phone`, `kiosk` — a fresh page (own cookies) at 1366×900, at 375×812 as a touch phone,
  or at 1920×1080 as a touch kiosk; `new_page(kind)` opens more, e.g. two users side by side;
* every page fails its test on an uncaught JavaScript error.

Tests that use a page also use `live_server`, so their database is transactional: rows the test
creates are committed, the server thread sees them, and everything is flushed afterwards. Build data
with the factories as in any test; `page.goto("/kiosk/")` is relative to the live server.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
TIMEOUT_MS = 5_000

VIEWPORTS: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": {"width": 1366, "height": 900}},
    "phone": {
        "viewport": {"width": 375, "height": 812},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
    "kiosk": {"viewport": {"width": 1920, "height": 1080}, "has_touch": True},
}


@pytest.fixture(scope="package")
def browser(django_db_setup: None) -> Iterator[Any]:
    """Chromium for every browser test, started once and closed after the last of them.

    Package-scoped rather than session-scoped on purpose: Playwright's sync API keeps an asyncio loop
    marked as running in this thread while it is started, which makes Django refuse ORM calls here
    ("SynchronousOnlyOperation") and would make any later test that calls asyncio.run() fail. So
    the test database is created first (`django_db_setup`), Django is told the loop is not ours
    while Playwright runs, and Playwright is stopped as soon as the browser tests are done.
    """
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (`make system-packages`)")
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_page(browser: Any, live_server: Any) -> Iterator[Callable[[str], Any]]:
    """Open a page in a fresh browser context: `new_page("phone")`."""
    contexts: list[Any] = []
    errors: list[str] = []

    def open_page(kind: str = "desktop") -> Any:
        context = browser.new_context(base_url=live_server.url, locale="zh-CN", **VIEWPORTS[kind])
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(f"{kind}: {error}"))
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not errors, f"JavaScript errors: {errors}"


@pytest.fixture
def desktop(new_page: Callable[[str], Any]) -> Any:
    return new_page("desktop")


@pytest.fixture
def phone(new_page: Callable[[str], Any]) -> Any:
    return new_page("phone")


@pytest.fixture
def kiosk(new_page: Callable[[str], Any]) -> Any:
    return new_page("kiosk")


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Pages cache what many visitors share (the kiosk's ranking of items); each test starts without."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
