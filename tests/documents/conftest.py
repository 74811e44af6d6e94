from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yiwang.accounts.models import User
from yiwang.core.identifiers import id_number_check_char

PASSWORD = "Yiwang-test-2025"


def make_person(username: str, first17: str, name: str) -> User:
    return User.objects.create_user(
        username=username,
        password=PASSWORD,
        kind="person",
        name=name,
        id_number=first17 + id_number_check_char(first17),
    )


@pytest.fixture
def zhangsan(db) -> User:
    return make_person("zhangsan", "11010519491231002", "张三")


@pytest.fixture
def lisi(db) -> User:
    return make_person("lisi", "33010619900307001", "李四")


@pytest.fixture
def bearer(client) -> Callable[[User], dict[str, str]]:
    """Headers with a Bearer token issued through POST /api/v1/auth/token."""

    def headers(user: User) -> dict[str, str]:
        response = client.post(
            "/api/v1/auth/token",
            {"username": user.username, "password": PASSWORD},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
        return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}

    return headers


@pytest.fixture
def upload(client) -> Callable[..., object]:
    """POST /api/v1/documents with one file; returns the response."""

    def post(headers: dict[str, str], name: str, data: bytes, content_type: str = "application/octet-stream"):
        return client.post(
            "/api/v1/documents", {"file": SimpleUploadedFile(name, data, content_type)}, **headers
        )

    return post


@pytest.fixture
def stored_files(settings) -> Callable[[], list[Path]]:
    """Every file under MEDIA_ROOT (a temporary directory per test, see tests/conftest.py)."""

    def files() -> list[Path]:
        return sorted(p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())

    return files
