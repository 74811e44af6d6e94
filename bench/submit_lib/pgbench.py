"""The pgbench phase of bench/submit: PostgreSQL's ceiling for the writes of one single-item submission.

The script is copied from a real submission: nextval, INSERT application, one multi-row INSERT of its
materials, INSERT case, one multi-row INSERT of its events, INSERT of the Idempotency-Key record, the
audit append (lock a chain's head, INSERT entry, UPDATE head), COMMIT. Its audit rows carry copied
hashes: the bench database's trail does not verify afterwards.
"""

from __future__ import annotations

import json
import re
import subprocess
import urllib.parse
from pathlib import Path
from typing import Any

from submit_lib.cpu import CpuSnapshot, cpu_split
from submit_lib.database import rows


def script(database_url: str, number: str) -> str:
    """One transaction with the writes of submission `number`: the same statements, rows and values."""
    app = rows(database_url, "SELECT * FROM cases_application WHERE number = %s", (number,))[0]
    materials = rows(
        database_url,
        "SELECT * FROM cases_applicationmaterial WHERE application_id = %s ORDER BY id",
        (app["id"],),
    )
    case = rows(database_url, "SELECT * FROM cases_case WHERE application_id = %s", (app["id"],))[0]
    events = rows(database_url, "SELECT * FROM cases_caseevent WHERE case_id = %s ORDER BY id", (case["id"],))
    idem = rows(database_url, "SELECT * FROM cases_idempotencyrecord WHERE application_id = %s", (app["id"],))
    audit = rows(
        database_url,
        "SELECT * FROM audit_auditentry WHERE action = 'application.submit' AND object_id = %s",
        (str(app["id"]),),
    )
    # The chain heads' table: audit_chainhead since the hash chain moved to the audit app.
    heads_table = rows(
        database_url, "SELECT coalesce(to_regclass('audit_chainhead')::text, 'sharing_chainhead') AS t"
    )[0]["t"]
    chains = rows(database_url, f"SELECT count(*) AS n FROM {heads_table} WHERE name LIKE 'audit%%'")[0]["n"]

    def lit(value: Any) -> str:
        # pgbench reads ":name" anywhere, even inside quotes, as a variable: colons are escaped.
        if value is None:
            return "NULL"
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return str(value)
        text = json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else str(value)
        return "E'" + text.replace("\\", "\\\\").replace("'", "''").replace(":", "\\x3a") + "'"

    def insert(table: str, rows: list[dict[str, Any]], overrides: dict[str, str], returning: str = "") -> str:
        columns = [c for c in rows[0] if c != "id"]
        values = ", ".join(
            "(" + ", ".join(overrides.get(c) or lit(row[c]) for c in columns) + ")" for row in rows
        )
        tail = f" RETURNING id AS {returning} \\gset" if returning else ";"
        return f"INSERT INTO {table} ({', '.join(columns)}) VALUES {values}{tail}"

    number_sql = f"'{app['region_code']}-' || to_char(now(), 'YYYYMMDD') || '-' || lpad(:seq::text, 8, '0')"
    now = "now()"
    lines = [
        "BEGIN;",
        "SELECT nextval('yiwang_application_seq') AS seq \\gset",
        insert(
            "cases_application",
            [app],
            {"number": number_sql, "created_at": now, "updated_at": now, "status": "'submitted'"},
            returning="app_id",
        ),
        insert(
            "cases_applicationmaterial",
            materials,
            {"application_id": ":app_id::bigint", "provided_at": now},
        ),
        insert(
            "cases_case",
            [case],
            {
                "number": f"{number_sql} || '-01'",
                "application_id": ":app_id::bigint",
                "created_at": now,
                "updated_at": now,
            },
            returning="case_id",
        ),
        insert("cases_caseevent", events, {"case_id": ":case_id::bigint", "at": now}),
    ]
    if idem:
        lines.append(
            insert(
                "cases_idempotencyrecord",
                idem,
                {
                    "key": "'pgbench-' || :client_id::text || '-' || :seq::text",
                    "application_id": ":app_id::bigint",
                    "created_at": now,
                },
            )
        )
    if audit:
        # The append to one of the audit trail's chains, under its head row's lock (hashes copied:
        # PostgreSQL does not check them, `yiwang audit verify` on the bench database would).
        heads = f"FROM {heads_table} WHERE name = 'audit' OR name LIKE 'audit.%'"
        head = "CASE WHEN :chain = 0 THEN 'audit' ELSE 'audit.' || :chain END"
        lines.insert(0, f"\\set k random(0, {max(1, chains) - 1})")
        lines.append(
            "SELECT seq + 1 AS audit_seq, CASE WHEN name = 'audit' THEN 0 ELSE substr(name, 7)::int END "
            f"AS chain FROM {heads_table} WHERE name = (SELECT name {heads} ORDER BY name OFFSET :k "
            "LIMIT 1) FOR UPDATE \\gset"
        )
        lines.append(insert("audit_auditentry", audit, {"chain": ":chain", "seq": ":audit_seq", "at": now}))
        lines.append(
            f"UPDATE {heads_table} SET seq = :audit_seq, hash = {lit(audit[0]['hash'])} WHERE name = {head};"
        )
    lines.append("END;")
    return "\n".join(lines) + "\n"


def run(
    database_url: str, number: str, work: Path, connections: int, threads: int, seconds: int
) -> tuple[float, str, str]:
    """(TPS, average latency, CPU split) of pgbench replaying submission `number`'s writes."""
    path = work / "submission.sql"
    path.write_text(script(database_url, number), encoding="utf-8")
    parsed = urllib.parse.urlsplit(database_url)
    command = [
        "pgbench",
        "-n",
        "-M",
        "prepared",
        "-c",
        str(connections),
        "-j",
        str(threads),
        "-T",
        str(seconds),
        "-f",
        str(path),
        "-h",
        parsed.hostname or "127.0.0.1",
        "-p",
        str(parsed.port or 5432),
        "-U",
        parsed.username or "postgres",
        parsed.path.lstrip("/"),
    ]
    before = CpuSnapshot.take(None)
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120)
    after = CpuSnapshot.take(None)
    if done.returncode != 0:
        raise RuntimeError(f"pgbench failed:\n{done.stdout}\n{done.stderr}\nscript:\n{path.read_text()}")
    match = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", done.stdout)
    latency = re.search(r"latency average = ([0-9.]+) ms", done.stdout)
    processed = re.search(r"number of transactions actually processed: ([0-9]+)", done.stdout)
    if match is None or processed is None:
        raise RuntimeError(f"no tps in pgbench output:\n{done.stdout}")
    return (
        float(match.group(1)),
        (latency.group(1) + " ms") if latency else "?",
        cpu_split(before, after, "pgbench", int(processed.group(1)), "transaction")[0],
    )
