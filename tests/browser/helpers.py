"""Steps that many browser journeys share."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from tests.factories import PASSWORD


def sign_in(page: Any, username: str, then: str = "/") -> None:
    """Sign in on the portal's login page with the factories' password, and wait to land on `then`."""
    page.goto(f"/accounts/login/?next={then}")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: urlsplit(url).path == then)
