"""Applicants' own applications have one name everywhere they see it: 我的办件 (as provincial portals say)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

import yiwang
from tests.factories import make_citizen

pytestmark = pytest.mark.django_db

OTHER_NAME = "我的申办"


def test_no_page_notice_or_message_calls_them_by_another_name():
    source = Path(yiwang.__file__).parent
    said = [
        str(path.relative_to(source))
        for pattern in ("*.html", "*.py", "*.txt")
        for path in source.rglob(pattern)
        if "migrations" not in path.parts and OTHER_NAME in path.read_text(encoding="utf-8")
    ]
    assert said == []


def test_the_menu_and_the_page_say_我的办件(client):
    client.force_login(make_citizen())

    menu = client.get(reverse("channels:home")).content.decode()
    page = client.get(reverse("portal:my_applications")).content.decode()

    assert f'href="{reverse("portal:my_applications")}"' in menu and "我的办件" in menu
    assert "<title>我的办件" in page
