from django.apps import AppConfig

# psycopg keeps the placeholder parsing of its last 128 statements, but not of one with more than 50
# parameters or 4,096 bytes: a submission's multi-row INSERTs (five materials are 55 parameters, a
# bundle's cases 160) were parsed anew on every call, 0.15-0.4 ms each on the bench machine. They are
# few and fixed (one statement per model and row count), so the bounds are raised; 128 statements of
# at most 32 KB stay a small cache. tests/core/test_psycopg_cache.py notices an upgrade that renames them.
PSYCOPG_CACHED_STATEMENT_PARAMS = 1000
PSYCOPG_CACHED_STATEMENT_LENGTH = 32 * 1024


class CoreConfig(AppConfig):
    name = "yiwang.core"
    verbose_name = "基础"

    def ready(self) -> None:
        from psycopg import _queries

        _queries.MAX_CACHED_STATEMENT_PARAMS = PSYCOPG_CACHED_STATEMENT_PARAMS
        _queries.MAX_CACHED_STATEMENT_LENGTH = PSYCOPG_CACHED_STATEMENT_LENGTH
