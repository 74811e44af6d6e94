"""Rows written together (core.inserts.insert_together): later rows point at earlier ones that have no
key yet, and on PostgreSQL all of them go in one statement."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import make_citizen, make_id_number
from yiwang.accounts.models import ApiToken, User, UserKind
from yiwang.core.inserts import FIRST_KEY, Written, insert_together, new

pytestmark = pytest.mark.django_db


_numbers = itertools.count(900)


def _user(username: str) -> User:
    return new(
        User,
        username=username,
        kind=UserKind.PERSON,
        name="甲",
        id_number=make_id_number(next(_numbers)),
        password="!",
    )


def _token(user: User, digest: object) -> ApiToken:
    return new(ApiToken, user=user, digest=digest, expires_at=timezone.now() + timedelta(hours=1))


def test_rows_written_together_point_at_the_rows_of_earlier_groups_they_were_made_with():
    users = [_user(f"together-{i}") for i in range(3)]
    order = [2, 0, 2]  # not the users' order, and one user twice
    tokens = [
        _token(users[i], Written(users[i], "username", suffix=f"-令牌{n}")) for n, i in enumerate(order)
    ]

    with CaptureQueriesContext(connection) as queries:
        insert_together([users, tokens])

    assert len(queries) == (1 if connection.vendor == "postgresql" else 2)
    expected = [(users[i].pk, f"together-{i}-令牌{n}") for n, i in enumerate(order)]
    assert [(t.user_id, t.digest) for t in tokens] == expected, "the instances hold what was written"
    stored = ApiToken.objects.filter(pk__in=[t.pk for t in tokens]).order_by("pk")
    assert [(t.user_id, t.digest) for t in stored] == expected
    assert User.objects.filter(pk__in=[u.pk for u in users]).count() == 3
    with CaptureQueriesContext(connection) as queries:
        assert tokens[0].user is users[2], "the related instance stays cached"
    assert len(queries) == 0 and not tokens[0]._state.adding


def test_a_value_computed_by_the_database_in_the_first_group_is_read_by_later_rows():
    user = _user("")
    token = _token(user, Written(user, "username", suffix="/1"))

    insert_together([[user], [token]], computed={"username": ("%s || %s", ["算", "出"])})

    assert (user.username, token.digest) == ("算出", "算出/1")
    assert ApiToken.objects.get(pk=token.pk).digest == "算出/1"
    assert User.objects.get(pk=user.pk).username == "算出"


def test_a_row_pointing_at_an_unsaved_instance_outside_the_batch_is_refused_and_nothing_is_written():
    outside = _user("outside")
    users = [_user("inside")]

    with pytest.raises(ValueError, match="unsaved related object 'user'"), transaction.atomic():
        insert_together([users, [_token(users[0], "a"), _token(outside, "b")]])

    assert not User.objects.filter(username__in=["inside", "outside"]).exists()


def test_a_written_value_may_only_read_a_row_of_an_earlier_group():
    first, second = _user("first"), _user("second")

    with pytest.raises(ValueError, match="先前各组"), transaction.atomic():
        insert_together([[first], [_token(first, Written(second, "username"))], [second]])

    assert not User.objects.filter(username__in=["first", "second"]).exists()


def test_rows_pointing_at_rows_already_stored_are_written_as_insert_writes_them():
    stored = make_citizen()
    tokens = [_token(stored, "x"), _token(stored, "y")]

    insert_together([tokens])

    assert sorted(ApiToken.objects.filter(user=stored).values_list("digest", flat=True)) == ["x", "y"]


def test_then_reads_one_row_in_the_same_statement_with_the_first_key_on_postgresql_only():
    stored = make_citizen()
    users = [_user("then-first"), _user("then-second")]
    then = (f"SELECT username, {FIRST_KEY} FROM accounts_user WHERE id = %s FOR UPDATE", [stored.pk])

    with CaptureQueriesContext(connection) as queries:
        row = insert_together([users], then=then)

    if connection.vendor == "postgresql":
        assert len(queries) == 1
        assert row == (stored.username, users[0].pk), "the stored row, and the first group's first key"
    else:
        assert row is None, "elsewhere `then` is not run"
    assert User.objects.filter(username__in=["then-first", "then-second"]).count() == 2


def test_then_finding_no_row_gives_nones_and_the_rows_are_still_written():
    user = _user("then-none")

    row = insert_together(
        [[user]], then=(f"SELECT username, id FROM accounts_user WHERE id = -{FIRST_KEY}", [])
    )

    assert row == ((None, None) if connection.vendor == "postgresql" else None)
    assert User.objects.filter(pk=user.pk, username="then-none").exists()
