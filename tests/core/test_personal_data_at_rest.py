"""ID numbers and mobile numbers are SM4-encrypted at rest, found through a keyed blind index."""

from __future__ import annotations

import pytest
from django.core.exceptions import FieldError
from django.db import connection

from tests.factories import make_citizen, make_data_use, make_id_number
from yiwang.accounts.models import User
from yiwang.core import protection

pytestmark = pytest.mark.django_db


def raw_rows(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - table names are ours
        return "\n".join(repr(row) for row in cursor.fetchall())


def test_no_table_holds_an_id_or_mobile_number_in_clear(world):
    citizen = world.citizen.user
    citizen.mobile = "13712340001"
    citizen.save()
    assert world.apply().status_code == 201
    make_data_use(citizen.id_number)

    # Every table, not only the ones with identifier columns: forms, events, logs, sessions too —
    # but the catalog, which is public (its sample form carries a made-up phone number).
    tables = [t for t in connection.introspection.table_names() if not t.startswith("catalog_")]
    dump = "\n".join(raw_rows(table) for table in tables)

    assert citizen.id_number not in dump
    assert "13712340001" not in dump and "13800000000" not in dump, "the form's phone is encrypted too"
    assert protection.PREFIX in dump


def test_the_same_number_encrypts_differently_but_indexes_the_same():
    first = make_citizen(id_number=make_id_number(501), mobile="13812345678")
    second = make_citizen(id_number=make_id_number(502), mobile="13812345678")

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT mobile, mobile_index FROM accounts_user WHERE id IN (%s, %s) ORDER BY id",
            [first.pk, second.pk],
        )
        (cipher_a, index_a), (cipher_b, index_b) = cursor.fetchall()

    assert cipher_a != cipher_b
    assert index_a == index_b == protection.blind_index("13812345678")


def test_exact_lookups_find_a_person_by_id_number_in_either_case():
    number = make_id_number(503, birth="19491231")
    person = make_citizen(id_number=number)

    assert User.objects.get(id_number=number) == person
    assert User.objects.get(id_number__iexact=number.lower()) == person
    assert list(User.objects.filter(id_number__in=[number, make_id_number(504)])) == [person]
    assert not User.objects.filter(id_number=make_id_number(505)).exists()


def test_the_id_number_stays_unique_through_the_blind_index():
    number = make_id_number(506)
    make_citizen(id_number=number)

    with pytest.raises(Exception, match="(?i)unique"):
        make_citizen(id_number=number)


def test_lookups_that_need_the_clear_value_are_refused():
    with pytest.raises(FieldError, match="只支持精确查询"):
        list(User.objects.filter(id_number__startswith="3301"))


def test_a_value_encrypted_under_another_key_is_refused_with_a_clear_message(settings):
    token = protection.encrypt("13812345678")
    settings.YIWANG_FIELD_KEY = "another-key"

    with pytest.raises(protection.ProtectionError, match="YIWANG_FIELD_KEY"):
        protection.decrypt(token)


def test_a_tampered_ciphertext_does_not_open():
    token = protection.encrypt("13812345678")
    raw = bytearray(token.encode())
    raw[-3] = ord("A") if raw[-3] != ord("A") else ord("B")

    with pytest.raises(protection.ProtectionError):
        protection.decrypt(raw.decode())


def test_an_empty_object_is_stored_unsealed_and_any_other_json_sealed(world):
    from yiwang.cases.models import CaseEvent

    assert world.apply().status_code == 201
    event = CaseEvent.objects.get(action="submit")
    assert event.data == {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM cases_caseevent WHERE id = %s", [event.pk])
        (stored,) = cursor.fetchone()
        cursor.execute("SELECT form FROM cases_application")
        (form,) = cursor.fetchone()
    assert stored == "{}"
    assert form.startswith(protection.PREFIX), "a form with content stays sealed"
