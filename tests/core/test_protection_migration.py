"""The migrations that encrypt identifiers turn existing clear rows into ciphertext + blind index,
take ID numbers out of usernames, and leave the use log append-only again."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.factories import make_id_number
from yiwang.core import protection

BEFORE = [("accounts", "0003_api_token"), ("sharing", "0002_append_only")]


def migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection)


def latest() -> list[tuple[str, str]]:
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_existing_clear_rows_are_encrypted_by_the_migration():
    number = make_id_number(611)
    old = migrate(BEFORE).loader.project_state(BEFORE).apps
    old_user = old.get_model("accounts", "User")
    old_user.objects.create(
        username=number, kind="person", name="旧用户", id_number=number, mobile="13712345678"
    )
    old.get_model("sharing", "DataUse").objects.create(
        seq=1,
        at=timezone.now(),
        actor_name="李审批",
        holder_code=number,
        action="query",
        fields=[],
        outcome="granted",
        prev_hash="0" * 64,
        hash="1" * 64,
    )

    try:
        migrate(latest())

        from yiwang.accounts.models import User
        from yiwang.sharing.models import DataUse

        user = User.objects.get(id_number=number)
        assert (user.name, user.mobile) == ("旧用户", "13712345678")
        assert number not in user.username
        assert DataUse.objects.get(holder_code=number).seq == 1
        with connection.cursor() as cursor:
            cursor.execute("SELECT id_number, mobile FROM accounts_user WHERE id = %s", [user.pk])
            stored = cursor.fetchone()
        assert all(value.startswith(protection.PREFIX) for value in stored)
        with pytest.raises(Exception, match="append-only"):
            DataUse.objects.filter(seq=1).update(reason="改动")
    finally:
        migrate(latest())
