"""`flush` that empties the append-only logs on SQLite as it does on PostgreSQL.

PostgreSQL's flush is a TRUNCATE, which the use log's and the audit trail's row triggers do not see.
SQLite has no TRUNCATE: flush deletes the rows, and those triggers refuse. So on SQLite they are
lifted for the flush and put back, and flush empties the whole database on both engines, as the
test suite's transactional tests (live server, concurrency) expect.
"""

from __future__ import annotations

import importlib
from typing import Any

from django.core.management.commands import flush
from django.db import connections

# (migration that makes the table append-only, the table)
APPEND_ONLY = [
    ("yiwang.sharing.migrations.0002_append_only", "sharing_datause"),
    ("yiwang.audit.migrations.0002_append_only", "audit_auditentry"),
]


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        tables = set(connection.introspection.table_names())
        modules = [importlib.import_module(module) for module, table in APPEND_ONLY if table in tables]
        with connection.cursor() as cursor:
            for module in modules:
                for statement in module.SQLITE_DOWN:
                    cursor.execute(statement)
        try:
            return super().handle(**options)
        finally:
            with connection.cursor() as cursor:
                for module in modules:
                    for statement in module.SQLITE_UP:
                        cursor.execute(statement)
