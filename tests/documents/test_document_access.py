"""GET /api/v1/documents/{id} and /content: the owner sees metadata and bytes; nobody else does."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.documents import samples

pytestmark = pytest.mark.django_db


@pytest.fixture
def headers(zhangsan, bearer):
    return bearer(zhangsan)


@pytest.fixture
def document(upload, headers):
    return upload(headers, "营业执照 副本.pdf", samples.pdf_bytes()).json()


def test_owner_reads_the_metadata(client, headers, document):
    response = client.get(f"/api/v1/documents/{document['id']}", **headers)
    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in document} == document
    assert body["created_at"]


def test_owner_downloads_the_bytes_with_the_sniffed_type(client, headers, document):
    response = client.get(f"/api/v1/documents/{document['id']}/content", **headers)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == samples.pdf_bytes()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f"inline; filename*=UTF-8''{quote('营业执照 副本.pdf')}"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_another_users_document_is_404(client, document, lisi, bearer):
    other = bearer(lisi)
    for path in (f"/api/v1/documents/{document['id']}", f"/api/v1/documents/{document['id']}/content"):
        response = client.get(path, **other)
        assert response.status_code == 404
        assert response.json() == {"code": "document_not_found", "message": "未找到该材料"}


def test_malformed_id_is_404(client, headers):
    response = client.get("/api/v1/documents/not-a-uuid", **headers)
    assert response.status_code == 404
    assert response.json()["code"] == "document_not_found"


def test_unauthenticated_read_is_401(client, document):
    for path in (f"/api/v1/documents/{document['id']}", f"/api/v1/documents/{document['id']}/content"):
        response = client.get(path)
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"


def test_documents_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/documents",
        "/api/v1/documents/{document_id}",
        "/api/v1/documents/{document_id}/content",
    } <= set(paths)
