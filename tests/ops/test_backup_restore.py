"""`yiwang backup` / `yiwang restore`: a round trip through an empty database gives back every row,
every document byte-for-byte, the sequences, and an intact use-log chain."""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from tests.factories import make_data_use
from yiwang.ops.backup import backup_create

pytestmark = pytest.mark.django_db


def yiwang(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "yiwang.manage", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def populated(world):
    """Data of every kind: catalog, users, an application with a document, events, a use-log row."""
    response = world.apply()
    assert response.status_code == 201
    make_data_use(world.citizen.user.id_number)
    # A time whose microseconds are under one millisecond: Django's own JSON would round it away.
    type(world.citizen.user).objects.filter(pk=world.citizen.user.pk).update(
        date_joined=datetime(2026, 11, 23, 3, 4, 5, 123, tzinfo=UTC)
    )
    return world


def test_backup_round_trip_restores_everything(populated, tmp_path, settings):
    archive = tmp_path / "backup.tar.gz"
    summary = backup_create(archive)
    assert summary.files >= 1 and summary.objects > 10

    target = tmp_path / "restored"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{target / 'db.sqlite3'}",
        "YIWANG_VAR_DIR": str(target),
        "YIWANG_MEDIA_ROOT": str(target / "media"),
        "YIWANG_SECRET_KEY": "restore-test",
        "YIWANG_FIELD_KEY": settings.YIWANG_FIELD_KEY,  # the backup is sealed with it
    }
    target.mkdir()
    assert yiwang(env, "migrate", "--noinput").returncode == 0
    restored = yiwang(env, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    assert "已核对" in restored.stdout

    exclude = [
        "contenttypes",
        "auth.permission",
        "sessions",
        "audit.ChainHead",
        "core.NumberSequence",
        "admin.logentry",
    ]
    source = json.loads(_dump(exclude))
    copy = json.loads(
        yiwang(
            env,
            "dumpdata",
            "--format",
            "yjson",
            *sum((["--exclude", e] for e in exclude), []),
            "--natural-foreign",
        ).stdout
    )
    key = lambda row: (row["model"], str(row["pk"]))  # noqa: E731
    assert sorted(copy, key=key) == sorted(source, key=key)

    from yiwang.documents.models import Document

    documents = list(Document.objects.all())
    assert documents, "the application's upload is part of the round trip"
    for doc in documents:
        assert (target / "media" / doc.blob).read_bytes() == (
            Path(settings.MEDIA_ROOT) / doc.blob
        ).read_bytes()
    verified = yiwang(env, "audit", "verify")
    assert verified.returncode == 0, verified.stderr
    with closing(sqlite3.connect(target / "db.sqlite3")) as restored_db:
        analysed = {row[0] for row in restored_db.execute("SELECT tbl FROM sqlite_stat1")}
    assert {"cases_application", "cases_case"} <= analysed, "the planner has statistics at once"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner statistics")
def test_a_restore_into_postgresql_analyses_the_restored_tables(populated, tmp_path, settings):
    archive = tmp_path / "backup.tar.gz"
    backup_create(archive)
    db = settings.DATABASES["default"]
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    server = f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{host}:{port}"
    name = f"yiwang_restore_{secrets.token_hex(4)}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        env = {
            **os.environ,
            "DATABASE_URL": f"{server}/{name}",
            "YIWANG_MEDIA_ROOT": str(tmp_path / "media"),
            "YIWANG_FIELD_KEY": settings.YIWANG_FIELD_KEY,
        }
        assert yiwang(env, "migrate", "--noinput").returncode == 0
        restored = yiwang(env, "restore", str(archive))
        assert restored.returncode == 0, restored.stderr
        with psycopg.connect(f"{server}/{name}") as target:
            analysed = {
                relname
                for (relname,) in target.execute(
                    "SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL"
                ).fetchall()
            }
        assert {"cases_application", "cases_case", "accounts_user"} <= analysed, "planner statistics at once"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_restore_refuses_a_database_that_is_not_empty(populated, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    backup_create(archive)
    with pytest.raises(Exception, match="目标数据库不是空库"):
        call_command("restore", str(archive))


def test_restore_refuses_a_tampered_archive(populated, tmp_path):
    import tarfile

    archive = tmp_path / "backup.tar.gz"
    backup_create(archive)
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(tampered, "w:gz") as dst:
        for member in src.getmembers():
            content = src.extractfile(member).read()
            if member.name == "data.json":
                content = content[:40] + bytes([content[40] ^ 1]) + content[41:]
            import io

            dst.addfile(member, io.BytesIO(content))
    with pytest.raises(Exception, match="备份数据校验失败"):
        call_command("restore", str(tampered))


def _dump(exclude: list[str]) -> str:
    import io

    out = io.StringIO()
    call_command("dumpdata", format="yjson", exclude=exclude, natural_foreign=True, stdout=out)
    return out.getvalue()


def test_a_backup_holds_no_personal_data_in_clear(populated, tmp_path):
    import tarfile

    archive = tmp_path / "backup.tar.gz"
    backup_create(archive)
    with tarfile.open(archive) as backup:
        contents = b"".join(backup.extractfile(m).read() for m in backup.getmembers() if m.isfile())
    assert populated.citizen.user.id_number.encode() not in contents
    assert "申请人".encode() not in contents, "the data is sealed, not merely the identifiers"


def test_restore_refuses_a_backup_sealed_with_another_key(populated, tmp_path, settings):
    archive = tmp_path / "backup.tar.gz"
    backup_create(archive)
    settings.YIWANG_FIELD_KEY = "another-key"
    with pytest.raises(Exception, match="另一个 YIWANG_FIELD_KEY"):
        call_command("restore", str(archive))


def test_documents_of_a_backup_taken_before_sealing_are_restored_sealed(populated):
    from django.core.files.storage import default_storage

    from yiwang.core.sealed_files import is_sealed
    from yiwang.documents.models import Document
    from yiwang.documents.selectors import document_open
    from yiwang.ops.backup import _restore_files

    document = Document.objects.first()
    with document_open(document) as opened:
        clear = opened.read()
    default_storage.delete(document.blob)  # the restore's target storage is empty

    _restore_files({document.blob: clear})  # as a backup of format 3 held it before sealing

    with default_storage.open(document.blob, "rb") as stored:
        assert is_sealed(stored.read())
    with document_open(document) as opened:
        assert opened.read() == clear
