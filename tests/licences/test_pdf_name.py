"""A licence PDF's file name travels in a response header and lands in download folders: no clear
ID number in it, even for a 居民身份证 whose number is the ID number."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from tests.cases.helpers import ApiUser
from tests.factories import make_citizen
from tests.licences.conftest import make_licence, make_licence_type

pytestmark = pytest.mark.django_db


def test_an_id_card_pdf_is_named_without_the_clear_id_number(client):
    citizen = make_citizen()
    id_card = make_licence(
        citizen, licence_type=make_licence_type(name="居民身份证"), number=citizen.id_number, data={}
    )

    response = ApiUser(client, citizen).get(f"/licences/{id_card.identifier}.pdf")

    assert response.status_code == 200
    name = unquote(response["Content-Disposition"])
    assert citizen.id_number not in name and citizen.id_number[-4:] in name
