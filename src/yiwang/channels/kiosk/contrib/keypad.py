"""No card reader: the citizen types the ID number on the kiosk's on-screen keypad."""

from __future__ import annotations

from yiwang.channels.kiosk.card_readers import CardData, CardReader, register


@register("keypad")
class KeypadReader(CardReader):
    label = "屏幕键盘输入"
    manual_entry = True

    def read(self) -> CardData | None:
        return None
