"""Changing an append-only table behind the application's back, as a DBA with direct access could:
what the hash chains must detect."""

from __future__ import annotations

from typing import Any

from django.db import connection


def as_dba(table: str, sql: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # Dropped inside the test's transaction: the rollback at its end puts them back.
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
            cursor.execute(sql, params)
        else:
            # A superuser session can skip triggers.
            cursor.execute("SET session_replication_role = replica")
            cursor.execute(sql, params)
            cursor.execute("SET session_replication_role = origin")
