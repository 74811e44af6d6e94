"""Human-readable numbers without a global lock: region + date + a database sequence value
(core.sequences)."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from yiwang.core.sequences import next_value

APPLICATION_SEQUENCE = "application"


def application_number() -> str:
    """申办编号 such as 330100-20261123-00000042."""
    return f"{_prefix()}{next_value(APPLICATION_SEQUENCE):08d}"


def _prefix() -> str:
    return f"{settings.YIWANG_REGION_CODE}-{timezone.localdate():%Y%m%d}-"


def case_number_suffix(index: int) -> str:
    """办件编号 is the application's number and this: the member's position (…-01, …-02)."""
    return f"-{index:02d}"
