"""licences 0004 seals the numbers of licences stored before it, with their blind index."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.core.test_protection_migration import latest, migrate
from tests.factories import make_citizen, make_id_number
from tests.licences.conftest import make_licence, make_licence_type
from yiwang.core import protection

BEFORE = [("licences", "0003_encrypt_personal_json")]


def stored_number(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT number FROM licences_licence WHERE id = %s", [pk])
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_clear_licence_numbers_are_sealed_by_the_migration():
    holder = make_citizen(id_number=make_id_number(741))
    card_type = make_licence_type(code="11100000000013127D001", name="居民身份证", data_fields=[])
    licence = make_licence(holder, licence_type=card_type, number=holder.id_number, data={})

    try:
        migrate(BEFORE)
        assert stored_number(licence.pk) == holder.id_number, "stored clear, as before the migration"

        migrate(latest())

        from yiwang.licences.models import Licence
        from yiwang.licences.services import licence_verify

        assert stored_number(licence.pk).startswith(protection.PREFIX)
        found = Licence.objects.select_related("licence_type", "issuer", "key__department").get(
            number=holder.id_number
        )
        assert found.pk == licence.pk and licence_verify(found).valid_signature
    finally:
        migrate(latest())
