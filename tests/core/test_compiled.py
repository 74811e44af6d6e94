"""Compiled queries and inserts (core.compiled, core.inserts) answer exactly as the ORM does, on both databases."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext_lazy

from tests.factories import make_citizen, make_department, make_id_number
from yiwang.accounts.models import ApiToken, User, UserKind
from yiwang.accounts.services import token_digest
from yiwang.cases.models import Application, Case
from yiwang.core import protection
from yiwang.core.compiled import Compiled, kept_cursor, remember_related
from yiwang.core.inserts import insert, insert_statement, new

pytestmark = pytest.mark.django_db

BY_NAME = Compiled(
    lambda name, joined: User.objects.filter(name=name, date_joined__gte=joined).order_by("pk"), str, datetime
)


def test_a_compiled_query_answers_each_call_with_that_calls_values():
    first, second = make_citizen(name="甲"), make_citizen(name="乙")
    long_ago = timezone.now() - timedelta(days=1)

    assert [u.pk for u in BY_NAME.all("甲", long_ago)] == [first.pk]
    assert [u.pk for u in BY_NAME.all("乙", long_ago)] == [second.pk]
    assert BY_NAME.all("甲", timezone.now() + timedelta(days=1)) == []
    assert BY_NAME.first("丙", long_ago) is None


def test_compiled_rows_are_the_orms_rows_with_converters_and_select_related(world):
    assert world.apply().status_code == 201
    case = Case.objects.get()
    compiled = Compiled(
        lambda number: (
            Case.objects.filter(number=number)
            .select_related("application", "department")
            .only("number", "data", "application__applicant_id_number", "department__name")
        ),
        str,
    )

    with CaptureQueriesContext(connection) as queries:
        (got,) = compiled.all(case.number)
        got.application.applicant_id_number, got.department.name, got.data  # noqa: B018

    assert len(queries.captured_queries) == 1, "related rows come in the same query"
    assert got.pk == case.pk and got.data == case.data, "encrypted JSON is decrypted as the ORM does"
    assert got.application.applicant_id_number == world.citizen.user.id_number
    assert got.department.name == case.department.name


def test_compiled_queries_are_counted_as_any_query_though_their_cursor_is_kept():
    citizen = make_citizen(name="甲")
    long_ago = timezone.now() - timedelta(days=1)

    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert BY_NAME.first("甲", long_ago).pk == citizen.pk

    assert len(queries) == 3 and "accounts_user" in queries[0]["sql"]


@pytest.mark.django_db(transaction=True)
def test_a_kept_cursor_is_replaced_when_the_connection_is():
    citizen = make_citizen(name="甲")
    long_ago = timezone.now() - timedelta(days=1)
    assert BY_NAME.first("甲", long_ago).pk == citizen.pk

    connection.close()  # closed (back to the pool with YIWANG_DB_POOL=1)

    assert BY_NAME.first("甲", long_ago).pk == citizen.pk
    assert kept_cursor(connection).cursor.connection is connection.connection


def test_a_value_the_orm_transforms_on_its_way_to_sql_is_refused_when_compiled():
    # An encrypted column is searched through its blind index: the value in SQL is not the value given.
    by_id_number = Compiled(lambda number: User.objects.filter(id_number=number), str)

    with pytest.raises(ValueError, match="changed on its way to SQL"):
        by_id_number.all(make_id_number(7))


def test_insert_prepares_fields_as_save_does_and_sets_primary_keys():
    citizen = make_citizen()
    tokens = [
        ApiToken(user=citizen, digest=token_digest(f"t{i}"), expires_at=timezone.now() + timedelta(hours=1))
        for i in range(3)
    ]

    insert(tokens)

    assert all(t.pk for t in tokens) and len({t.pk for t in tokens}) == 3
    assert all(not t._state.adding for t in tokens)
    stored = ApiToken.objects.filter(user=citizen).order_by("pk")
    assert [t.digest for t in stored] == [t.digest for t in tokens]
    assert all(t.created_at is not None for t in stored), "auto_now_add is filled in"


def test_a_column_computed_by_the_database_is_written_and_set_on_the_instance():
    citizen = make_citizen()
    token = ApiToken(user=citizen, digest="", expires_at=timezone.now() + timedelta(hours=1))

    insert([token], computed={"digest": ("%s || %s", ["甲", "乙"])})

    assert token.pk and token.digest == "甲乙"
    assert ApiToken.objects.get(pk=token.pk).digest == "甲乙"


def test_insert_stores_exactly_what_save_stores_for_every_kind_of_value():
    # Values the fast path must not send as they are: a lazy string, an integer as text, a datetime in
    # another zone; and values it may: plain str, a choices member (a str), int, bool, an aware datetime.
    joined = datetime(2026, 3, 4, 5, 6, 7, 890000, tzinfo=ZoneInfo("Asia/Shanghai"))
    values = {
        "kind": UserKind.STAFF,
        "name": gettext_lazy("姓名/名称"),
        "first_name": "名",
        "is_active": False,
        "session_epoch": "7",
        "date_joined": joined,
        "last_login": timezone.now(),
        "roles": ["window_clerk"],
        "mobile": "13800000000",
        "department": make_department(),
    }
    saved = User(username="by-save", **values)
    saved.save()
    one = User(username="by-insert", **values)
    several = [User(username=f"by-insert-{i}", **values) for i in range(3)]  # as arrays on PostgreSQL

    insert([one])
    insert(several)

    columns = [f.column for f in User._meta.concrete_fields if f.column not in ("id", "username")]
    sealed = {"mobile"}  # encrypted with a fresh nonce each time: compared once decrypted
    selected = ", ".join(c for c in columns if c not in sealed)
    with connection.cursor() as cursor:
        rows = []
        for user in [saved, one, *several]:
            cursor.execute(f"SELECT {selected} FROM accounts_user WHERE id = %s", [user.pk])
            rows.append(cursor.fetchone())
    assert all(row == rows[0] for row in rows[1:])
    assert [u.username for u in User.objects.filter(pk__in=[u.pk for u in several]).order_by("pk")] == [
        "by-insert-0",
        "by-insert-1",
        "by-insert-2",
    ], "primary keys are set in the order of the rows"
    assert all(u.mobile == "13800000000" for u in User.objects.filter(username__startswith="by-insert"))
    assert User.objects.filter(kind="staff", session_epoch=7, date_joined=joined).count() == 5


def test_statements_sent_along_an_insert_are_written_with_it_in_one_round_trip_on_postgresql():
    citizen = make_citizen(name="甲")
    token = ApiToken(
        user=citizen, digest=token_digest("along"), expires_at=timezone.now() + timedelta(hours=1)
    )
    rename = ("UPDATE accounts_user SET name = %s WHERE id = %s", ["乙", citizen.pk])
    other = ApiToken(
        user=citizen, digest=token_digest("other"), expires_at=timezone.now() + timedelta(hours=1)
    )

    with CaptureQueriesContext(connection) as queries:
        insert([token], along=[rename, insert_statement([other])])

    assert len(queries) == (1 if connection.vendor == "postgresql" else 3)
    assert ApiToken.objects.filter(pk=token.pk, user=citizen).exists()
    assert User.objects.get(pk=citizen.pk).name == "乙"
    assert ApiToken.objects.filter(digest=token_digest("other"), user=citizen).exists()


def test_inserted_personal_data_is_encrypted_with_its_blind_index(world):
    assert world.apply().status_code == 201
    application = Application.objects.get()
    number = world.citizen.user.id_number

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT applicant_id_number, applicant_id_number_index FROM cases_application WHERE id = %s",
            [application.pk],
        )
        stored, index = cursor.fetchone()

    assert stored.startswith(protection.PREFIX) and number not in stored
    assert index == protection.blind_index(number)
    assert Application.objects.get(applicant_id_number=number).pk == application.pk


def test_a_compiled_instance_is_a_loaded_instance_saves_as_update_and_loads_deferred_fields():
    citizen = make_citizen(name="甲")
    narrow = Compiled(lambda pk: User.objects.filter(pk=pk).only("name"), int)

    got = narrow.first(citizen.pk)

    orm = User.objects.only("name").get(pk=citizen.pk)
    assert got.get_deferred_fields() == orm.get_deferred_fields()
    assert (got._state.adding, got._state.db) == (False, "default")
    assert got.id_number == citizen.id_number, "a deferred field loads (and decrypts) on access"
    got.name = "乙"
    got.save(update_fields=["name"])
    assert User.objects.filter(pk=citizen.pk).values_list("name", flat=True).get() == "乙"
    assert User.objects.count() == 1


def test_a_model_with_an_init_signal_receiver_is_still_made_through_its_init():
    from django.db.models.signals import post_init

    citizen = make_citizen()
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance.pk)

    post_init.connect(receiver, sender=User)
    try:
        Compiled(lambda pk: User.objects.filter(pk=pk), int).first(citizen.pk)
    finally:
        post_init.disconnect(receiver, sender=User)
    assert seen == [citizen.pk]


def test_an_annotation_becomes_an_attribute_as_with_the_orm():
    from django.db.models import Count, OuterRef, Subquery

    citizen = make_citizen()
    for days in (1, 2):
        ApiToken.objects.create(
            user=citizen, digest=token_digest(f"t{days}"), expires_at=timezone.now() + timedelta(days=days)
        )
    tokens = ApiToken.objects.filter(user=OuterRef("pk")).order_by().values("user").annotate(n=Count("pk"))
    with_count = Compiled(
        lambda pk: User.objects.filter(pk=pk).annotate(tokens=Subquery(tokens.values("n"))), int
    )

    got = with_count.first(citizen.pk)

    assert got.tokens == 2 == User.objects.annotate(tokens=Subquery(tokens.values("n"))).get().tokens


def test_an_encrypted_column_of_a_compiled_row_is_decrypted_only_when_read(monkeypatch):
    citizen = make_citizen(mobile="13800138000")
    opened = []
    real = protection.decrypt
    monkeypatch.setattr(protection, "decrypt", lambda token: opened.append(1) or real(token))

    got = Compiled(lambda pk: User.objects.filter(pk=pk), int).first(citizen.pk)

    assert opened == [], "nothing is decrypted by loading"
    assert got.id_number == citizen.id_number
    assert got.id_number == citizen.id_number
    assert len(opened) == 1, "read twice, decrypted once"
    # The whole number: a fragment such as "138" also turns up in the blind indexes' hex digests.
    assert "13800138000" not in repr(got.__dict__), "an unopened value does not show in a repr"
    assert "'mobile': <sealed>" in repr(got.__dict__)


def test_an_unopened_encrypted_value_saves_and_refreshes_as_a_loaded_one():
    citizen = make_citizen(mobile="13800138000")
    by_pk = Compiled(lambda pk: User.objects.filter(pk=pk), int)

    got = by_pk.first(citizen.pk)
    got.name = "乙"
    got.save()  # every field written, the unread numbers as they were
    stored = User.objects.get(pk=citizen.pk)
    assert (stored.name, stored.id_number, stored.mobile) == ("乙", citizen.id_number, "13800138000")

    again = by_pk.first(citizen.pk)
    User.objects.filter(pk=citizen.pk).update(mobile="13900139000")
    again.refresh_from_db()
    assert again.mobile == "13900139000", "a refresh replaces the unopened value"


def _made(instance):
    state = instance._state
    values = {k: v for k, v in instance.__dict__.items() if k != "_state"}
    return values, state.fields_cache, state.adding, state.db


def test_new_makes_the_instance_model_init_makes_from_the_same_keywords():
    from yiwang.audit.models import AuditEntry
    from yiwang.cases.models import ApplicationMaterial, CaseEvent, IdempotencyRecord

    citizen, department = make_citizen(), make_department()
    application = Application(number="330100-20261203-00000001", submitted_by=citizen, form={"名称": "甲"})
    case = Case(number="330100-20261203-00000001-01", application=application, department=department)
    cases = [
        (
            Application,
            {"number": "n", "submitted_by": citizen, "applicant_id_number": "110", "form": {"a": 1}},
        ),
        (
            Application,
            {"number": "n", "submitted_by_id": citizen.pk, "bundle": None, "service_point_id": None},
        ),
        (
            ApplicationMaterial,
            {"application": application, "share_key": "k", "document": None, "pledged": True},
        ),
        (Case, {"number": "n", "application": application, "department": department, "data": {"x": [1]}}),
        (CaseEvent, {"case": case, "action": "submit", "actor": None, "actor_role": "system"}),
        (
            IdempotencyRecord,
            {"owner": citizen, "key": "k", "request_digest": "d", "application": application},
        ),
        (AuditEntry, {"chain": 3, "seq": 1, "actor_id": citizen.pk, "detail": {"a": "b"}, "object_id": "7"}),
    ]
    for model, values in cases:
        assert _made(new(model, **values)) == _made(model(**values)), model.__name__


def test_new_refuses_a_keyword_that_is_no_field_as_model_init_does():
    with pytest.raises(TypeError, match="colour"):
        new(Case, number="n", colour="红")


def test_new_makes_a_model_with_an_init_signal_receiver_through_its_init():
    from django.db.models.signals import post_init

    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance.number)

    post_init.connect(receiver, sender=Case)
    try:
        new(Case, number="n")
    finally:
        post_init.disconnect(receiver, sender=Case)
    assert seen == ["n"]


def test_remembered_rows_are_the_relation_without_a_query_and_filtering_still_asks_the_database():
    citizen, other = make_citizen(), make_citizen()
    expires = timezone.now() + timedelta(hours=1)
    mine = [ApiToken.objects.create(user=citizen, digest=f"mine{i}", expires_at=expires) for i in range(2)]
    ApiToken.objects.create(user=other, digest="mine-too-but-theirs", expires_at=expires)
    loaded = User.objects.get(pk=citizen.pk)

    remember_related(loaded, "api_tokens", mine[:1])

    with CaptureQueriesContext(connection) as queries:
        assert list(loaded.api_tokens.all()) == mine[:1]
    assert len(queries) == 0
    found = list(loaded.api_tokens.filter(digest__startswith="mine").order_by("pk"))
    assert found == mine, "a filter queries this user's tokens, and only theirs"
    with CaptureQueriesContext(connection) as queries:
        assert found[1].user is loaded, "rows the filter brings know their user"
    assert len(queries) == 0
    assert loaded.api_tokens.exclude(digest="mine0").get() == mine[1]
