"""`yiwang load_demo` builds a realistic city from its data files and is idempotent."""

from __future__ import annotations

import io
import json
from importlib.resources import files

import pytest
from django.core.management import call_command

from yiwang.accounts.models import User
from yiwang.catalog.models import Bundle, Department, ServiceItem, ServicePoint
from yiwang.catalog.transfer.exporting import catalog_export

pytestmark = pytest.mark.django_db


def test_demo_city_has_the_size_the_catalog_promises():
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
    before = (catalog_export(), list(User.objects.order_by("pk").values_list("username", "password")))
    call_command("load_demo", stdout=io.StringIO())
    assert (catalog_export(), list(User.objects.order_by("pk").values_list("username", "password"))) == before


def test_the_demo_catalog_file_is_what_catalog_export_writes_of_the_loaded_demo():
    exported = io.StringIO()
    call_command("catalog_export", stdout=exported)

    shipped = (files("yiwang.demo") / "data" / "catalog.json").read_text(encoding="utf-8")
    # compared as data: PostgreSQL's jsonb gives back an object's keys in its own order
    assert json.loads(exported.getvalue()) == json.loads(shipped)


def test_demo_passport_items_are_found_by_the_api(client):
    names = [i["name"] for i in client.get("/api/v1/items", {"q": "护照"}).json()["items"]]
    assert "普通护照签发" in names


def test_demo_accounts_can_log_in_with_the_documented_password(client):
    for username in ("citizen", "clerk", "officer"):
        response = client.post(
            "/api/v1/auth/token",
            {"username": username, "password": "Yiwang@2026"},
            content_type="application/json",
        )
        assert response.status_code == 200
