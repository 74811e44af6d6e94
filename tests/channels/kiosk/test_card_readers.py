"""ID-card readers are plugins chosen by setting; reading a card replaces typing the ID number only."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from tests.kiosk.helpers import PIN, make_kiosk_citizen
from yiwang.channels.kiosk.card_readers import CardData, CardReader, get_reader, reader_class
from yiwang.channels.kiosk.contrib.keypad import KeypadReader
from yiwang.core.masking import mask_id_number

LOGIN = reverse("kiosk:login")


class FakeReader(CardReader):
    """A reader with a card on it: the ID number of whoever the test puts there."""

    label = "测试读卡器"
    card: CardData | None = None

    def read(self) -> CardData | None:
        return self.card


@pytest.fixture
def fake_reader(settings):
    settings.YIWANG_KIOSK_CARD_READER = f"{__name__}.FakeReader"
    yield FakeReader
    FakeReader.card = None


def test_the_default_reader_is_the_on_screen_keypad():
    reader = get_reader(terminal="10.0.0.8")

    assert isinstance(reader, KeypadReader)
    assert reader.manual_entry and reader.read() is None and reader.terminal == "10.0.0.8"


def test_a_reader_can_be_named_by_its_class_path(fake_reader):
    assert reader_class() is FakeReader


@pytest.mark.parametrize("name", ["no_such_reader", "yiwang.channels.kiosk.views.home"])
def test_an_unknown_reader_is_a_configuration_error(name):
    with pytest.raises(ImproperlyConfigured):
        reader_class(name)


@pytest.mark.django_db
def test_a_read_card_fills_in_the_id_number_and_only_the_pin_is_asked(client, fake_reader):
    citizen = make_kiosk_citizen()
    fake_reader.card = CardData(id_number=citizen.id_number, name=citizen.name)

    page = client.get(LOGIN)

    assertContains(page, mask_id_number(citizen.id_number))
    assertNotContains(page, citizen.id_number)
    assertNotContains(page, 'name="id_number"')
    assertRedirects(client.post(LOGIN, {"pin": PIN}), reverse("kiosk:applications"))


@pytest.mark.django_db
def test_a_read_card_still_needs_the_right_pin(client, fake_reader):
    citizen = make_kiosk_citizen()
    fake_reader.card = CardData(id_number=citizen.id_number)
    client.get(LOGIN)

    response = client.post(LOGIN, {"pin": "135790", "id_number": "110105194912310021"})

    assert response.status_code == 401
