"""实名核验 providers: check that a name and an ID number belong together, behind one interface.

A provider is a `RealNameProvider` subclass registered under a name, chosen by the
`YIWANG_REALNAME_PROVIDER` setting (empty: none configured — verification then happens only at a
window or a kiosk's card reader). Built-in backends live in `contrib/<name>.py`; a vendor backend may
be named by its dotted class path instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from importlib import import_module
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

CONTRIB_PACKAGE = "yiwang.accounts.verification.contrib"


class Verdict(StrEnum):
    MATCH = "match"  # 一致
    MISMATCH = "mismatch"  # 姓名与号码不一致
    NO_RECORD = "no_record"  # 库中无此号码


@dataclass(frozen=True)
class Answer:
    verdict: Verdict
    reference: str = ""  # the provider's transaction id, kept for the audit trail


class ProviderUnavailable(Exception):
    """The provider could not be asked or gave no usable answer: nothing is known about the person."""


class RealNameProvider:
    """A service that answers whether `name` is the holder of `id_number`."""

    name: ClassVar[str] = ""

    def check(self, *, name: str, id_number: str) -> Answer:
        raise NotImplementedError


_registry: dict[str, type[RealNameProvider]] = {}


def register(name: str) -> Callable[[type[RealNameProvider]], type[RealNameProvider]]:
    def decorator(cls: type[RealNameProvider]) -> type[RealNameProvider]:
        cls.name = name
        _registry[name] = cls
        return cls

    return decorator


def get_provider() -> RealNameProvider | None:
    """The configured provider, or None when the platform has none."""
    name = settings.YIWANG_REALNAME_PROVIDER
    if not name:
        return None
    if "." in name:
        cls = import_string(name)
        if not (isinstance(cls, type) and issubclass(cls, RealNameProvider)):
            raise ImproperlyConfigured(f"YIWANG_REALNAME_PROVIDER={name} is not a RealNameProvider")
        return cls()
    if name not in _registry:
        try:
            import_module(f"{CONTRIB_PACKAGE}.{name}")
        except ModuleNotFoundError as exc:
            raise ImproperlyConfigured(f"YIWANG_REALNAME_PROVIDER: no provider named {name!r}") from exc
    return _registry[name]()
