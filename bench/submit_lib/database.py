"""The bench database of bench/submit: dropped and created for each run, or (--reuse-demo) copied from a
template that an earlier run of the same code migrated and loaded the demo city into.

Migrating and loading the demo take most of a short run's set-up; a copy takes a second or two. The
template is named after a fingerprint of everything that decides its content (the checkout's src/,
pyproject.toml and uv.lock), so changed code never gets a stale copy. Each bench database keeps one
template: bench/ab gives the two versions it compares a database each.
"""

from __future__ import annotations

import hashlib
import sys
import urllib.parse
from pathlib import Path
from typing import Any

TEMPLATE_INFIX = "_tpl_"


def fingerprint(code: Path) -> str:
    """A short hash of the files that decide what migrate and load_demo leave in the database."""
    digest = hashlib.sha256()
    files = sorted(p for p in (code / "src").rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    files += [code / "pyproject.toml", code / "uv.lock"]
    for path in files:
        if path.is_file():
            digest.update(str(path.relative_to(code)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:10]


def admin_conninfo(database_url: str) -> tuple[str, str]:
    """(conninfo of the maintenance database, name of the bench database)."""
    parsed = urllib.parse.urlsplit(database_url)
    name = parsed.path.lstrip("/")
    if not name or parsed.scheme not in ("postgres", "postgresql"):
        sys.exit(f"--database-url must be postgres://user@host:port/name, not {database_url}")
    if len(name) + len(TEMPLATE_INFIX) + 10 > 63:
        sys.exit(f"the bench database's name {name!r} is too long for a template name beside it")
    return urllib.parse.urlunsplit(parsed._replace(path="/postgres")), name


def _admin(database_url: str) -> Any:
    import psycopg

    admin, _name = admin_conninfo(database_url)
    try:
        return psycopg.connect(admin, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        sys.exit(
            f"PostgreSQL is not reachable at {admin}: {exc}\n(start it, e.g. `pg_ctlcluster 15 main start`)"
        )


def recreate(database_url: str, template_of: Path | None) -> bool:
    """Drop and create the bench database, as a copy of the template for the code in `template_of`
    when there is one; True when it was copied (migrated, demo loaded)."""
    from psycopg import sql

    _admin_info, name = admin_conninfo(database_url)
    template = f"{name}{TEMPLATE_INFIX}{fingerprint(template_of)}" if template_of else ""
    with _admin(database_url) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        found = (
            template and conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (template,)).fetchone()
        )
        if found:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(template)
                )
            )
            print(f"== database {name}: dropped, copied from {template} (migrated, demo loaded)", flush=True)
            return True
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    print(f"== database {name}: dropped and created", flush=True)
    return False


def save_template(database_url: str, code: Path) -> None:
    """Keep a copy of the freshly migrated, demo-loaded bench database for the next run of this code,
    in place of the copy of any other code."""
    from psycopg import sql

    _admin_info, name = admin_conninfo(database_url)
    template = f"{name}{TEMPLATE_INFIX}{fingerprint(code)}"
    with _admin(database_url) as conn:
        pattern = name.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%") + "\\_tpl\\_%"
        stale = conn.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", (pattern,)).fetchall()
        for (old,) in stale:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(old)))
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(template), sql.Identifier(name))
        )
    print(f"== database {name}: kept as {template} for the next run of this code (--reuse-demo)", flush=True)


def connect(database_url: str) -> Any:
    """A connection to the bench database whose rows are dicts."""
    import psycopg
    from psycopg.rows import dict_row

    return psycopg.connect(database_url, row_factory=dict_row, connect_timeout=5)


def rows(database_url: str, query: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    with connect(database_url) as conn:
        return list(conn.execute(query, params).fetchall())
