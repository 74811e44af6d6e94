"""办件进度查询: the QR code on a notice opens a status page guarded by the applicant's ID suffix."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(world):
    return world.apply().json()


def test_track_page_asks_for_the_id_suffix_first(client, submitted):
    page = client.get(f"/track/{submitted['number']}/").content.decode()
    assert "证件号码后 4 位" in page
    assert submitted["title"] not in page


def test_track_page_shows_progress_with_the_right_suffix(client, world, submitted):
    suffix = world.citizen.user.id_number[-4:]
    response = client.post(f"/track/{submitted['number']}/", {"id_suffix": suffix.lower()})
    page = response.content.decode()
    assert response.status_code == 200
    assert "食品经营许可" in page and "预审中" in page and "收件" in page
    assert world.citizen.user.name not in page, "the public page shows no names"


def test_track_page_refuses_a_wrong_suffix(client, submitted):
    response = client.post(f"/track/{submitted['number']}/", {"id_suffix": "0000"})
    assert response.status_code == 422
    assert "编号或证件号码后 4 位不正确" in response.content.decode()


def test_unknown_number_looks_the_same_as_a_wrong_suffix(client):
    response = client.post("/track/330100-20260101-99999999/", {"id_suffix": "1234"})
    assert response.status_code == 422


def test_unknown_address_gets_the_portal_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "页面未找到" in response.content.decode()
