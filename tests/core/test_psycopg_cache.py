"""psycopg keeps the parsing of a submission's multi-row INSERTs (yiwang.core.apps)."""

from __future__ import annotations

from psycopg import _queries
from psycopg.adapt import Transformer

from yiwang.core.apps import PSYCOPG_CACHED_STATEMENT_LENGTH, PSYCOPG_CACHED_STATEMENT_PARAMS


def test_a_statement_of_five_materials_rows_is_parsed_once():
    columns = ", ".join(["%s"] * 11)
    sql = f"INSERT INTO t (a, b, c, d, e, f, g, h, i, j, k) VALUES {', '.join([f'({columns})'] * 5)}"
    params = [1] * 55
    before = _queries._query2pg.cache_info()

    for _ in range(3):
        _queries.PostgresQuery(Transformer()).convert(sql, params)

    after = _queries._query2pg.cache_info()
    assert after.misses - before.misses <= 1 and after.hits - before.hits >= 2


def test_the_bounds_psycopg_reads_are_the_raised_ones():
    assert _queries.MAX_CACHED_STATEMENT_PARAMS == PSYCOPG_CACHED_STATEMENT_PARAMS
    assert _queries.MAX_CACHED_STATEMENT_LENGTH == PSYCOPG_CACHED_STATEMENT_LENGTH
