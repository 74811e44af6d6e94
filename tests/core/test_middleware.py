"""A NUL character anywhere a text value travels is refused (422 naming the field), never stored or
crashed on; tests/api/test_input_edges.py has the rest of the text checks."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_nul_in_json_body_is_refused(client):
    response = client.post(
        "/api/v1/auth/token", '{"username": "a\\u0000b", "password": "x"}', content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_text"
    assert list(response.json()["fields"]) == ["username"]


def test_nul_in_query_is_refused(client):
    assert client.get("/api/v1/items?q=%00").status_code == 422


def test_binary_upload_may_contain_nul(client):
    response = client.post("/api/v1/documents", {"file": b"%PDF-1.4\x00\x00"})
    assert response.status_code == 401  # reaches the API (which wants a login), not refused as malformed
