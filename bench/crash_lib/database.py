"""bench/crash's own database: a PostgreSQL database dropped and created for the run (and dropped after
it), or a SQLite file in the run's temporary directory."""

from __future__ import annotations

import argparse
import sys
import urllib.parse
from pathlib import Path

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/yiwang_crash"
# Databases this script must never drop: the test suites' and the server's own.
PROTECTED_DATABASES = {"postgres", "template0", "template1", "test", "test_test", "yiwang"}


def choose(args: argparse.Namespace, work: Path) -> str:
    """The run's DATABASE_URL; SQLite (args.sqlite set) when the default PostgreSQL is not reachable."""
    if args.sqlite:
        return f"sqlite:///{work / 'crash.sqlite3'}"
    parsed = urllib.parse.urlsplit(args.database_url)
    name = parsed.path.lstrip("/")
    if parsed.scheme not in ("postgres", "postgresql") or not name:
        sys.exit(f"--database-url must be postgres://user@host:port/name, not {args.database_url}")
    if name in PROTECTED_DATABASES or name.startswith("test"):
        sys.exit(f"refusing to drop and recreate database {name!r}: name a throw-away one")
    import psycopg

    try:
        with psycopg.connect(_admin_conninfo(args.database_url), connect_timeout=3):
            pass
    except psycopg.OperationalError as exc:
        if args.database_url != DEFAULT_DATABASE_URL:
            sys.exit(f"PostgreSQL is not reachable: {exc}")
        print("== PostgreSQL is not reachable: using a temporary SQLite file", flush=True)
        args.sqlite = True
        return f"sqlite:///{work / 'crash.sqlite3'}"
    return str(args.database_url)


def recreate(database_url: str) -> str:
    """Drop and create the database of `database_url`; returns its name."""
    name = urllib.parse.urlsplit(database_url).path.lstrip("/")
    _admin(database_url, "DROP DATABASE IF EXISTS {} WITH (FORCE)", name)
    _admin(database_url, "CREATE DATABASE {}", name)
    return name


def drop(database_url: str, name: str) -> None:
    _admin(database_url, "DROP DATABASE IF EXISTS {} WITH (FORCE)", name)


def _admin_conninfo(database_url: str) -> str:
    parsed = urllib.parse.urlsplit(database_url)
    return urllib.parse.urlunsplit(parsed._replace(path="/postgres"))


def _admin(database_url: str, statement: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(_admin_conninfo(database_url), autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql.SQL(statement).format(sql.Identifier(name)))
