"""Demo kiosk PIN: the demo citizen (张示范, username `citizen`) signs in at the kiosk with PIN 123456."""

from __future__ import annotations

from yiwang.accounts.models import User
from yiwang.kiosk.models import KioskPin
from yiwang.kiosk.services import kiosk_pin_set

DEMO_KIOSK_PINS = {"citizen": "123456"}


def demo_kiosk_pins_load() -> int:
    """Give the demo citizens their kiosk PIN unless they have one; returns how many were set."""
    created = 0
    for username, pin in DEMO_KIOSK_PINS.items():
        user = User.objects.filter(username=username).first()
        if user is None or KioskPin.objects.filter(user=user).exists():
            continue
        kiosk_pin_set(user=user, pin=pin)
        created += 1
    return created
