"""The workbench's breadcrumbs and menu link only to pages the signed-in post may open."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.channels.workbench.conftest import start_item
from yiwang.cases.models import Application

pytestmark = pytest.mark.django_db


def links(html: str, where: str) -> list[tuple[str, str]]:
    """(href, text) of every link inside the first element whose class is `where`."""
    block = re.search(rf'<nav class="{where}"[^>]*>(.*?)</nav>', html, re.S)
    assert block, f"no {where} on the page"
    return re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', block.group(1))


@pytest.fixture
def case_pages(client, world):
    """The application the clerk took in at the window, and its case in the world's department."""
    start_item(client, world)
    application = Application.objects.get()
    case = application.cases.get()
    client.logout()
    return [
        reverse("workbench:case", args=[case.number]),
        reverse("workbench:application", args=[application.number]),
    ]


@pytest.mark.parametrize("who", ["clerk", "officer", "head", "supervisor"])
def test_every_breadcrumb_and_menu_link_opens_for_the_post_that_sees_it(client, world, case_pages, who):
    client.force_login(getattr(world, who).user)

    for page in case_pages:
        html = client.get(page).content.decode()
        for href, text in links(html, "breadcrumb") + links(html, "wb-nav"):
            assert client.get(href).status_code == 200, f"{who}: “{text}” on {page} leads to a refusal"


def test_the_clerks_breadcrumb_leads_back_to_the_window_not_to_the_overview(client, world, case_pages):
    client.force_login(world.clerk.user)

    html = client.get(case_pages[0]).content.decode()

    assert links(html, "breadcrumb")[0] == (reverse("workbench:desk"), "综合窗口")
    assert "监察总览" not in html


@pytest.mark.parametrize("who", ["clerk", "officer", "supervisor"])
def test_a_preview_link_is_shown_only_to_posts_that_may_open_the_scan(client, world, case_pages, who):
    client.force_login(getattr(world, who).user)

    for page in case_pages:
        html = client.get(page).content.decode()
        previews = re.findall(r'<a class="file-link" href="([^"]+)"', html)
        if who == "supervisor":
            assert not previews and "效能监察不调阅申请人材料" in html, page
        else:
            assert previews and all(client.get(href).status_code == 200 for href in previews), page
