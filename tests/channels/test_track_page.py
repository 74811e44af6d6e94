"""办件进度查询: the QR code on a notice opens a status page guarded by the applicant's ID suffix."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.staticfiles import finders
from django.templatetags.static import static

from yiwang.accounts.models import AttemptCounter

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


# ---- the lookup by number, for those without the QR code -----------------------------------------


def test_lookup_page_asks_for_the_number_and_the_id_suffix(client):
    response = client.get("/track/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="number"' in page and 'name="id_suffix"' in page


def test_lookup_page_keeps_the_number_the_home_page_box_sent(client):
    page = client.get("/track/", {"number": " 330100-20260101-00000042 "}).content.decode()
    assert 'value="330100-20260101-00000042"' in page


def test_lookup_shows_the_same_progress_as_the_qr_page(client, world, submitted):
    suffix = world.citizen.user.id_number[-4:]
    response = client.post("/track/", {"number": f" {submitted['number']} ", "id_suffix": suffix})
    page = response.content.decode()
    assert response.status_code == 200
    assert "食品经营许可" in page and "预审中" in page and "收件" in page
    assert submitted["number"] in page
    assert world.citizen.user.name not in page


def test_lookup_refuses_a_wrong_suffix(client, submitted):
    response = client.post("/track/", {"number": submitted["number"], "id_suffix": "0000"})
    assert response.status_code == 422
    assert "编号或证件号码后 4 位不正确" in response.content.decode()


def test_home_page_has_a_lookup_box_leading_to_the_lookup_page(client):
    page = client.get("/").content.decode()
    assert "办件进度查询" in page
    assert 'action="/track/"' in page and 'name="number"' in page


def test_kiosk_home_links_to_the_lookup_page(client):
    assert 'href="/track/"' in client.get("/kiosk/").content.decode()


# ---- throttling: numbers are sequential, so failed tries are limited ------------------------------

# Mid-window: a 15-minute window starting 10:00 ends 10 minutes later.
TEN_FIVE = dt.datetime(2026, 5, 6, 10, 5, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture
def frozen():
    with time_machine.travel(TEN_FIVE, tick=False):
        yield


@pytest.fixture
def limits(settings):
    settings.YIWANG_TRACK_FAILURES_PER_NUMBER = 3
    settings.YIWANG_TRACK_FAILURES_PER_ADDRESS = 5
    settings.YIWANG_TRACK_WINDOW_MINUTES = 15
    return settings


def _try(client, number: str, suffix: str, address: str = "203.0.113.7"):
    return client.post(f"/track/{number}/", {"id_suffix": suffix}, REMOTE_ADDR=address)


def test_failures_on_one_number_lock_it_even_for_the_right_suffix(client, world, frozen, limits):
    number = world.apply().json()["number"]
    for _ in range(3):
        assert _try(client, number, "0000").status_code == 422

    response = _try(client, number, world.citizen.user.id_number[-4:], address="198.51.100.9")

    assert response.status_code == 429, "another address does not unlock the number"
    assert "食品经营许可" not in response.content.decode()


def test_failures_from_one_address_across_numbers_lock_that_address(client, world, frozen, limits):
    numbers = [f"330100-20260101-{n:08d}" for n in range(1, 6)]  # each stays under its own limit
    for number in numbers:
        assert _try(client, number, "1234").status_code == 422
    own = world.apply().json()["number"]
    suffix = world.citizen.user.id_number[-4:]

    assert _try(client, own, suffix).status_code == 429
    assert _try(client, own, suffix, address="198.51.100.9").status_code == 200, "other addresses go on"


def test_the_429_page_says_in_how_many_minutes_to_retry(client, frozen, limits):
    for _ in range(3):
        _try(client, "330100-20260506-00000001", "1234")

    response = _try(client, "330100-20260506-00000001", "1234")

    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    assert "查询失败次数过多，请 10 分钟后再试" in response.content.decode()


def test_the_lookup_page_is_throttled_too(client, frozen, limits):
    for _ in range(3):
        client.post("/track/", {"number": "330100-20260506-00000001", "id_suffix": "1234"})

    response = client.post("/track/", {"number": "330100-20260506-00000001", "id_suffix": "1234"})

    assert response.status_code == 429
    assert "请 10 分钟后再试" in response.content.decode()


def test_the_lock_ends_with_the_window(client, world, limits):
    number = world.apply().json()["number"]
    with time_machine.travel(TEN_FIVE, tick=False):
        for _ in range(3):
            _try(client, number, "0000")
    with time_machine.travel(TEN_FIVE + dt.timedelta(minutes=10), tick=False):
        assert _try(client, number, world.citizen.user.id_number[-4:]).status_code == 200


def test_successes_are_not_counted(client, world, frozen, limits):
    number = world.apply().json()["number"]
    suffix = world.citizen.user.id_number[-4:]
    for _ in range(6):
        assert _try(client, number, suffix).status_code == 200
    assert not AttemptCounter.objects.exists()


def test_throttle_keys_hold_neither_the_number_nor_the_address_in_clear(client, frozen, limits):
    _try(client, "330100-20260506-00000001", "1234")

    keys = list(AttemptCounter.objects.values_list("key", flat=True))

    assert len(keys) == 2
    assert not any("00000001" in key or "203.0.113.7" in key or "1234" in key for key in keys)


def test_a_malformed_suffix_is_not_a_guess(client, frozen, limits):
    for _ in range(5):
        assert _try(client, "330100-20260506-00000001", "12").status_code == 422
    assert not AttemptCounter.objects.exists()


# ---- favicon ----------------------------------------------------------------------------------------


def test_favicon_ico_leads_to_the_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"] == static("channels/favicon.svg")
    assert finders.find("channels/favicon.svg")


def test_pages_name_their_icon(client):
    assert f'rel="icon" href="{static("channels/favicon.svg")}"' in client.get("/track/").content.decode()
