"""The admin's item version form: 办理形式 and 服务对象 are checkboxes of their code lists, stored as `1^2`."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tests.factories import make_department, make_item, make_staff, version_values
from yiwang.accounts.roles import StaffRole
from yiwang.catalog import codes
from yiwang.catalog.models import ServiceItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog_admin(client):
    from django.contrib.auth.models import Permission

    user = make_staff(StaffRole.CATALOG_ADMIN, is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="catalog"))
    client.force_login(user)
    return client


def add_form(item: ServiceItem, **overrides):
    values = version_values(name="新事项")
    form = {
        "item": item.pk,
        **{k: v for k, v in values.items() if k != "form_schema"},
        "form_schema": json.dumps(values["form_schema"]),
        "cross_region_scope": "0",
        **{
            f"{inline}-{n}": 0
            for inline in ("materials", "steps", "fees")
            for n in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
    }
    form.update(overrides)
    return form


def test_channels_and_recipients_are_saved_from_checkboxes(catalog_admin):
    item = ServiceItem.objects.create(code="NEW-001", department=make_department())

    response = catalog_admin.post(
        reverse("admin:catalog_itemversion_add"),
        add_form(item, channels=["4", "1", "2"], recipients=["2", "1"]),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    version = item.versions.get()
    assert (version.channels, version.recipients) == ("1^2^4", "1^2")


def test_a_version_needs_at_least_one_channel(catalog_admin):
    item = ServiceItem.objects.create(code="NEW-002", department=make_department())

    response = catalog_admin.post(reverse("admin:catalog_itemversion_add"), add_form(item, channels=[]))

    assert response.status_code == 200
    assert not item.versions.exists()


def test_a_draft_offers_every_channel_as_a_checkbox_with_its_own_ticked(catalog_admin):
    from yiwang.catalog.services import item_version_new_draft

    draft = item_version_new_draft(item=make_item(channels="1^4").item)

    html = catalog_admin.get(reverse("admin:catalog_itemversion_change", args=[draft.pk])).content.decode()

    for n, (code, label) in enumerate(codes.Channel.choices):
        ticked = " checked" if code in ("1", "4") else ""
        assert f'<input type="checkbox" name="channels" value="{code}" id="id_channels_{n}"{ticked}>' in html
        assert label in html
    assert "1^4" not in html
    assert "catalog/admin_version.css" in html


def test_a_published_version_shows_channel_labels_not_codes(catalog_admin):
    version = make_item(channels="1^2", recipients="1^2")

    html = catalog_admin.get(reverse("admin:catalog_itemversion_change", args=[version.pk])).content.decode()

    assert "窗口办理、网上办理" in html and "自然人、企业法人" in html
    assert "1^2" not in html
