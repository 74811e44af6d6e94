"""POST /api/v1/documents: what is accepted, what is refused, and that refusals store nothing."""

from __future__ import annotations

import hashlib

import pytest
from cryptography.hazmat.primitives import hashes

from tests.documents import samples
from yiwang.documents.models import Document
from yiwang.documents.storage import blob_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def headers(zhangsan, bearer):
    return bearer(zhangsan)


@pytest.mark.parametrize(
    ("name", "build", "content_type"),
    [
        ("申请书.pdf", samples.pdf_bytes, "application/pdf"),
        ("照片.png", lambda: samples.image_bytes("PNG"), "image/png"),
        ("身份证.jpg", lambda: samples.image_bytes("JPEG"), "image/jpeg"),
        ("营业执照.ofd", samples.ofd_bytes, "application/ofd"),
    ],
)
def test_accepts_a_real_file_of_each_allowed_type(upload, headers, name, build, content_type):
    data = build()
    response = upload(headers, name, data)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["content_type"] == content_type
    assert body["name"] == name
    assert body["size"] == len(data)
    assert Document.objects.get(pk=body["id"]).original_name == name


def test_content_type_is_sniffed_not_taken_from_the_client(upload, headers):
    response = upload(headers, "scan.pdf", samples.image_bytes("PNG"), "application/pdf")
    assert response.status_code == 201
    assert response.json()["content_type"] == "image/png"


def test_rejects_html_named_pdf(upload, headers):
    response = upload(headers, "通知.pdf", samples.HTML, "application/pdf")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "file_type_not_allowed"
    assert "PDF、JPG、PNG、OFD" in body["message"]


def test_rejects_an_exe_named_jpg(upload, headers):
    response = upload(headers, "photo.jpg", samples.EXE, "image/jpeg")
    assert response.status_code == 422
    assert response.json()["code"] == "file_type_not_allowed"


def test_rejects_a_zip_that_is_not_ofd(upload, headers):
    response = upload(headers, "资料.ofd", samples.zip_bytes({"word/document.xml": b"<w/>"}))
    assert response.status_code == 422
    assert response.json()["code"] == "file_type_not_allowed"


def test_rejects_a_zip_bomb_disguised_as_ofd(upload, headers):
    response = upload(headers, "证照.ofd", samples.zip_bomb_bytes())
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "file_type_not_allowed"
    assert "OFD" in body["message"]


def test_rejects_a_file_over_the_upload_limit(upload, headers, settings):
    settings.YIWANG_UPLOAD_MAX_BYTES = 1024
    response = upload(headers, "大文件.pdf", samples.pdf_bytes() + b"\n%" + b"x" * 2048)
    assert response.status_code == 413
    body = response.json()
    assert body["code"] == "file_too_large"
    assert body["message"] == "文件过大，单个文件不能超过 1 KB"


def test_an_oversized_upload_is_cut_off_without_leaving_a_temporary_file(upload, headers, settings, tmp_path):
    settings.YIWANG_UPLOAD_MAX_BYTES = 3 * 1024 * 1024
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # spool to a temporary file, as large uploads do
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path / "uploads"
    settings.FILE_UPLOAD_TEMP_DIR.mkdir()
    response = upload(headers, "大文件.pdf", b"%PDF-1.7\n" + b"x" * (4 * 1024 * 1024))
    assert response.status_code == 413
    assert list(settings.FILE_UPLOAD_TEMP_DIR.iterdir()) == []


def test_accepts_a_file_exactly_at_the_upload_limit(upload, headers, settings):
    data = samples.pdf_bytes()
    settings.YIWANG_UPLOAD_MAX_BYTES = len(data)
    assert upload(headers, "刚好.pdf", data).status_code == 201


def test_rejects_an_empty_file(upload, headers):
    response = upload(headers, "空.pdf", b"")
    assert response.status_code == 422
    assert response.json()["code"] == "file_empty"


def test_missing_file_is_a_field_error(client, headers):
    response = client.post("/api/v1/documents", {}, **headers)
    assert response.status_code == 422
    assert response.json()["fields"] == {"file": ["必填"]}


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("通知.pdf", samples.HTML),
        ("photo.jpg", samples.EXE),
        ("空.pdf", b""),
        ("证照.ofd", samples.zip_bomb_bytes()),
        ("大文件.pdf", b"%PDF-1.7\n" + b"x" * 4096),
    ],
)
def test_nothing_is_stored_after_a_refusal(upload, headers, settings, stored_files, name, data):
    settings.YIWANG_UPLOAD_MAX_BYTES = 4096
    assert upload(headers, name, data).status_code in {413, 422}
    assert Document.objects.count() == 0
    assert stored_files() == []


def test_sanitises_a_path_traversal_name(client, headers):
    boundary = "yiwang-boundary"
    body = (
        (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="file"; filename="../../etc/passwd"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + samples.pdf_bytes()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = client.post(
        "/api/v1/documents", body, content_type=f"multipart/form-data; boundary={boundary}", **headers
    )
    assert response.status_code == 201
    assert response.json()["name"] == "passwd"


def test_keeps_a_chinese_name(upload, headers):
    response = upload(headers, "营业执照（副本）2025.pdf", samples.pdf_bytes())
    assert response.json()["name"] == "营业执照（副本）2025.pdf"


def test_reupload_returns_the_same_id_and_stores_one_blob(upload, headers, stored_files):
    data = samples.pdf_bytes()
    first = upload(headers, "a.pdf", data).json()
    second = upload(headers, "b.pdf", data).json()
    assert second["id"] == first["id"]
    assert Document.objects.count() == 1
    assert len(stored_files()) == 1


def test_another_user_gets_a_different_id_but_the_same_blob(upload, headers, lisi, bearer, stored_files):
    data = samples.pdf_bytes()
    mine = upload(headers, "a.pdf", data).json()
    theirs = upload(bearer(lisi), "a.pdf", data).json()
    assert theirs["id"] != mine["id"]
    assert theirs["sha256"] == mine["sha256"]
    blobs = set(Document.objects.values_list("blob", flat=True))
    assert blobs == {blob_key(mine["sha256"])}
    assert len(stored_files()) == 1


def test_blob_is_stored_under_its_sha256(upload, headers, settings, stored_files):
    data = samples.image_bytes("PNG")
    sha = hashlib.sha256(data).hexdigest()
    upload(headers, "a.png", data)
    assert stored_files() == [settings.MEDIA_ROOT / "documents" / sha[:2] / sha[2:4] / sha]
    assert stored_files()[0].read_bytes() != data, "sealed at rest (test_document_sealing.py)"


def test_sha256_and_sm3_digests_are_correct(upload, headers):
    data = samples.pdf_bytes()
    sm3 = hashes.Hash(hashes.SM3())
    sm3.update(data)
    body = upload(headers, "a.pdf", data).json()
    assert body["sha256"] == hashlib.sha256(data).hexdigest()
    assert body["sm3"] == sm3.finalize().hex()


def test_unauthenticated_upload_is_401(upload, stored_files):
    response = upload({}, "a.pdf", samples.pdf_bytes())
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert Document.objects.count() == 0 and stored_files() == []
