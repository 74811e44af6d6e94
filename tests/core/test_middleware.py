"""A NUL character anywhere a text value travels is refused with 400, never stored or crashed on."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_nul_in_json_body_is_refused(client):
    response = client.post(
        "/api/v1/auth/token", '{"username": "a\\u0000b", "password": "x"}', content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_request"


def test_nul_in_query_is_refused(client):
    assert client.get("/api/v1/items?q=%00").status_code == 400


def test_binary_upload_may_contain_nul(client):
    response = client.post("/api/v1/documents", {"file": b"%PDF-1.4\x00\x00"})
    assert response.status_code == 401  # reaches the API (which wants a login), not refused as malformed
