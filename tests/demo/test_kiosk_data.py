"""The demo citizen's kiosk PIN (123456), set once and never overwritten."""

from __future__ import annotations

import pytest

from yiwang.demo.kiosk_data import demo_kiosk_pins_load
from yiwang.kiosk.models import KioskPin
from yiwang.kiosk.services import kiosk_login, kiosk_pin_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_citizen(django_user_model):
    return django_user_model.objects.create_user(
        username="citizen", kind="person", name="张示范", id_number="330102199003071230"
    )


def test_demo_citizen_signs_in_at_the_kiosk_with_pin_123456(demo_citizen):
    assert demo_kiosk_pins_load() == 1

    assert kiosk_login(id_number="330102199003071230", pin="123456") == demo_citizen


def test_loading_again_keeps_a_pin_the_citizen_changed(demo_citizen):
    demo_kiosk_pins_load()
    kiosk_pin_set(user=demo_citizen, pin="975310")

    assert demo_kiosk_pins_load() == 0
    assert kiosk_login(id_number=demo_citizen.id_number, pin="975310") == demo_citizen


def test_without_demo_accounts_nothing_is_set():
    assert demo_kiosk_pins_load() == 0
    assert not KioskPin.objects.exists()
