"""The kiosk stylesheet keeps its promises: no hover-only states, large type, large targets."""

from __future__ import annotations

import re
from pathlib import Path

import yiwang.channels

CSS = (Path(yiwang.channels.__file__).parent / "static" / "channels" / "kiosk.css").read_text(
    encoding="utf-8"
)


def test_nothing_depends_on_hover_there_is_none_on_a_touch_screen():
    assert ":hover" not in CSS


def test_no_text_is_smaller_than_20_px():
    sizes = [int(size) for size in re.findall(r"font-size:\s*(\d+)px", CSS)]

    assert sizes and min(sizes) >= 20


def test_buttons_keys_and_inputs_are_at_least_56_px_high():
    for selector in (".k-btn", ".k-key", ".k-input", ".k-tab", ".k-tile", ".k-action"):
        block = re.search(rf"^{re.escape(selector)} \{{([^}}]*)\}}", CSS, re.MULTILINE)
        assert block, selector
        height = re.search(r"min-height:\s*(\d+)px", block.group(1))
        assert height and int(height.group(1)) >= 56, selector
