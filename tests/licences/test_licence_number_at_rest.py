"""A licence's number (a 居民身份证's is the ID number itself) and holder code are sealed at rest and
found through their blind indexes; the public verification page shows neither."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.factories import make_citizen, make_id_number
from tests.licences.conftest import make_licence, make_licence_type
from yiwang.core import protection
from yiwang.core.errors import ValidationFailed
from yiwang.licences.models import Licence
from yiwang.licences.selectors import holder_licences

pytestmark = pytest.mark.django_db


@pytest.fixture
def id_card():
    """A 居民身份证 e-licence: its number is its holder's ID number."""
    holder = make_citizen(id_number=make_id_number(731))
    card_type = make_licence_type(code="11100000000013127D001", name="居民身份证", data_fields=[])
    return make_licence(holder, licence_type=card_type, number=holder.id_number, data={})


def stored(licence: Licence) -> tuple[str, str, str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT number, number_index, holder_code, holder_code_index FROM licences_licence WHERE id = %s",
            [licence.pk],
        )
        return cursor.fetchone()


def test_the_number_and_holder_code_columns_hold_no_clear_id_number(id_card):
    number, number_index, holder_code, holder_code_index = stored(id_card)

    assert id_card.number == id_card.holder_code
    assert number.startswith(protection.PREFIX) and holder_code.startswith(protection.PREFIX)
    assert id_card.number not in number + number_index + holder_code + holder_code_index
    assert number_index == holder_code_index == protection.blind_index(id_card.number)


def test_a_licence_is_found_by_its_number_through_the_blind_index(id_card):
    assert Licence.objects.get(number=id_card.number) == id_card
    assert Licence.objects.get(number__iexact=id_card.number.lower()) == id_card
    assert not Licence.objects.filter(number=make_id_number(732)).exists()


def test_a_holders_licences_are_found_by_holder_code(id_card):
    assert list(holder_licences(id_card.holder_code)) == [id_card]


def test_a_number_over_100_characters_is_refused():
    with pytest.raises(ValidationFailed) as refused:
        make_licence(make_citizen(), number="证" * 101)
    assert "number" in refused.value.fields


def test_a_number_of_100_chinese_characters_is_stored_and_read_back():
    licence = make_licence(make_citizen(), number="证" * 100)
    assert Licence.objects.get(pk=licence.pk).number == "证" * 100


def test_the_public_verification_page_shows_no_number_or_holder_code(client, id_card):
    response = client.get(f"/licences/verify/{id_card.identifier}/")

    assert response.status_code == 200
    page = response.content.decode()
    assert id_card.number not in page
