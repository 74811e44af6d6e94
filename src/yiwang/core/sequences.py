"""Numbered sequences without a global lock, for application numbers, licence serials and USCCs.

PostgreSQL hands out sequence values without blocking concurrent transactions (each sequence is
made by the migration of the app that numbers with it); SQLite has a single writer anyway, so a
counter row updated inside the (IMMEDIATE) write transaction is safe.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import F

from yiwang.core.models import NumberSequence


def postgres_sequence_name(name: str) -> str:
    return f"yiwang_{name}_seq"


def next_value(name: str) -> int:
    """The sequence's next value, from 1."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(%s)", [postgres_sequence_name(name)])
            return int(cursor.fetchone()[0])
    if not NumberSequence.objects.filter(name=name).update(value=F("value") + 1):
        NumberSequence.objects.create(name=name, value=1)
    return NumberSequence.objects.values_list("value", flat=True).get(name=name)
