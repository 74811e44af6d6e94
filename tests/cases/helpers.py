"""Driving the API as its users do: Bearer tokens, JSON bodies."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client


class ApiUser:
    """A logged-in API caller (one token) on the Django test client."""

    def __init__(self, client: Client, user: Any) -> None:
        self.client = client
        self.user = user
        response = client.post(
            "/api/v1/auth/token",
            {"username": user.username, "password": "pw-Yiwang-2026"},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
        self.token = response.json()["token"]

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token}", **(extra or {})}

    def get(
        self, path: str, params: dict[str, Any] | None = None, headers: dict[str, str] | None = None
    ) -> Any:
        return self.client.get(f"/api/v1{path}", params or {}, **self._headers(headers))

    def post(self, path: str, body: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
        return self.client.post(
            f"/api/v1{path}",
            json.dumps(body, default=str),
            content_type="application/json",
            **self._headers(headers),
        )

    def act(self, case: str, action: str, **body: Any) -> Any:
        return self.post(f"/cases/{case}/actions", {"action": action, **body})

    def act_application(self, number: str, action: str, **body: Any) -> Any:
        return self.post(f"/applications/{number}/actions", {"action": action, **body})
