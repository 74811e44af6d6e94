"""`yiwang load_demo` builds a realistic city and is idempotent."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from yiwang.accounts.models import User
from yiwang.catalog.models import Bundle, Department, ServiceItem, ServicePoint
from yiwang.catalog.transfer import catalog_export

pytestmark = pytest.mark.django_db


def test_demo_city_has_the_size_the_catalog_promises():
    call_command("load_demo")
    assert ServiceItem.objects.filter(published_version__isnull=False).count() >= 80
    assert Department.objects.count() >= 12
    assert Bundle.objects.filter(status="published").count() >= 8
    assert ServicePoint.objects.count() >= 5
    assert set(User.objects.values_list("username", flat=True)) >= {
        "admin",
        "catalog",
        "clerk",
        "officer",
        "head",
        "supervisor",
        "citizen",
        "company",
    }


def test_loading_the_demo_twice_changes_nothing():
    call_command("load_demo")
    before = (catalog_export(), list(User.objects.order_by("pk").values_list("username", "password")))
    call_command("load_demo")
    assert (catalog_export(), list(User.objects.order_by("pk").values_list("username", "password"))) == before


def test_demo_passport_items_are_found_by_the_api(client):
    call_command("load_demo")
    names = [i["name"] for i in client.get("/api/v1/items", {"q": "护照"}).json()["items"]]
    assert "普通护照签发" in names


def test_demo_accounts_can_log_in_with_the_documented_password(client):
    call_command("load_demo")
    for username in ("citizen", "clerk", "officer"):
        response = client.post(
            "/api/v1/auth/token",
            {"username": username, "password": "Yiwang@2026"},
            content_type="application/json",
        )
        assert response.status_code == 200
