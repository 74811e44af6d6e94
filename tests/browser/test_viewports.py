"""The browser fixtures themselves: a phone is a small touch screen, a desktop a wide mouse one."""

from __future__ import annotations

FEATURES_JS = (
    "() => [window.innerWidth, navigator.maxTouchPoints > 0, matchMedia('(pointer: coarse)').matches]"
)


def test_phone_is_a_375_px_touch_screen(phone):
    phone.goto("/kiosk/")

    assert phone.evaluate(FEATURES_JS) == [375, True, True]


def test_desktop_is_a_wide_screen_without_touch(desktop):
    desktop.goto("/kiosk/")

    assert desktop.evaluate(FEATURES_JS) == [1366, False, False]
