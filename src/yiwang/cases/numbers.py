"""Human-readable numbers without a global lock: region + date + a database sequence value
(core.sequences)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from yiwang.core.sequences import next_value, postgres_sequence_name

APPLICATION_SEQUENCE = "application"


def application_number() -> str:
    """申办编号 such as 330100-20261123-00000042."""
    return f"{_prefix()}{next_value(APPLICATION_SEQUENCE):08d}"


def application_number_sql() -> tuple[str, list[Any]] | None:
    """On PostgreSQL, the number as an SQL expression that draws its sequence value in the INSERT of
    the application itself (a round trip fewer than asking for the value first); None elsewhere."""
    if connection.vendor != "postgresql":
        return None
    # As :08d formats: at least eight digits, never cut.
    return (
        "%s || (SELECT lpad(v::text, greatest(8, length(v::text)), '0') FROM nextval(%s) AS v)",
        [_prefix(), postgres_sequence_name(APPLICATION_SEQUENCE)],
    )


def _prefix() -> str:
    return f"{settings.YIWANG_REGION_CODE}-{timezone.localdate():%Y%m%d}-"


def case_number_suffix(index: int) -> str:
    """办件编号 is the application's number and this: the member's position (…-01, …-02)."""
    return f"-{index:02d}"
