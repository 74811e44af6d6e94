"""ID-card readers (身份证阅读器) behind one interface, chosen by the `YIWANG_KIOSK_CARD_READER` setting.

A reader plugin is a `CardReader` subclass registered under a name:

* built-in backends live in `yiwang/channels/kiosk/contrib/<name>.py`, decorate their class with
  `@register("<name>")`, and are chosen with `YIWANG_KIOSK_CARD_READER=<name>` (default `keypad`:
  no reader, the citizen types the ID number on the on-screen keypad);
* a vendor plugin can live in its own package: `YIWANG_KIOSK_CARD_READER=vendor_pkg.readers.HuashiReader`
  (a dotted path to the class) needs no change here.

The reader is plugged into the kiosk's PC, not into this server. Certified readers (GA 467, e.g.
华视 CVR-100, 神思 SS628) ship a local service on the terminal that answers "read the card" over HTTP
or a serial port; a real plugin's `read()` asks that service of the terminal making the request
(`self.terminal`, its address) and returns `CardData`, or None when no card is on the reader. Reading
the card only replaces typing the ID number: the kiosk always asks for the PIN as well, so a
plugin's data is never the only proof of who stands at the kiosk.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

CONTRIB_PACKAGE = "yiwang.channels.kiosk.contrib"


@dataclass(frozen=True)
class CardData:
    """What a resident ID card says about its holder (the kiosk needs only the number)."""

    id_number: str
    name: str = ""


class CardReader:
    """A device at the kiosk that reads a resident ID card."""

    name: ClassVar[str] = ""
    label: ClassVar[str] = ""
    #: True when there is no device and the citizen types the ID number on the keypad.
    manual_entry: ClassVar[bool] = False

    def __init__(self, *, terminal: str = "") -> None:
        self.terminal = terminal

    def read(self) -> CardData | None:
        """The card on the reader now, or None when there is none (or it could not be read)."""
        raise NotImplementedError


_registry: dict[str, type[CardReader]] = {}


def register(name: str) -> Callable[[type[CardReader]], type[CardReader]]:
    def decorator(cls: type[CardReader]) -> type[CardReader]:
        cls.name = name
        _registry[name] = cls
        return cls

    return decorator


def reader_class(name: str | None = None) -> type[CardReader]:
    """The reader class configured in settings (or named): a registered name or a dotted class path."""
    name = name or settings.YIWANG_KIOSK_CARD_READER
    if "." in name:
        cls = import_string(name)
        if not (isinstance(cls, type) and issubclass(cls, CardReader)):
            raise ImproperlyConfigured(f"YIWANG_KIOSK_CARD_READER={name} is not a CardReader")
        return cls
    if name not in _registry:
        try:
            import_module(f"{CONTRIB_PACKAGE}.{name}")
        except ModuleNotFoundError as exc:
            raise ImproperlyConfigured(f"YIWANG_KIOSK_CARD_READER: no reader named {name!r}") from exc
    try:
        return _registry[name]
    except KeyError as exc:
        raise ImproperlyConfigured(f"{CONTRIB_PACKAGE}.{name} registers no reader named {name!r}") from exc


def get_reader(*, terminal: str = "") -> CardReader:
    """The configured reader, bound to the kiosk terminal that is asking."""
    return reader_class()(terminal=terminal)
