"""Who gets into the workbench, and where each post lands."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_signed_out_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("workbench:queue"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/workbench/queue/")


def test_applicants_get_a_friendly_403(client, world):
    client.force_login(world.citizen.user)
    response = client.get(reverse("workbench:home"))
    assert response.status_code == 403
    assert "工作台仅供政务服务工作人员使用" in response.content.decode()


@pytest.mark.parametrize(
    ("who", "lands_on"),
    [
        ("clerk", "workbench:desk"),
        ("officer", "workbench:queue"),
        ("head", "workbench:queue"),
        ("supervisor", "workbench:overview"),
    ],
)
def test_each_post_lands_on_its_own_page(client, world, who, lands_on):
    client.force_login(getattr(world, who).user)
    response = client.get(reverse("workbench:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse(lands_on)
    assert client.get(response["Location"]).status_code == 200


def test_the_overview_is_for_supervisors_only(client, world):
    client.force_login(world.officer.user)
    assert client.get(reverse("workbench:overview")).status_code == 403


def test_a_notice_of_an_application_the_user_may_not_see_is_not_found(client, world):
    response = world.apply()
    number = response.json()["number"]
    client.force_login(world.other_officer.user)
    assert client.get(reverse("workbench:notice", args=[number, "acceptance"])).status_code == 404
