"""Stored documents are sealed at rest and private on disk; every read gives back the clear bytes."""

from __future__ import annotations

import stat
import tracemalloc
from pathlib import Path

import pytest
from django.core.files.uploadedfile import TemporaryUploadedFile

from tests.documents import samples
from yiwang.core.sealed_files import CHUNK_SIZE, is_sealed, sealed_size
from yiwang.documents import selectors, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def headers(zhangsan, bearer):
    return bearer(zhangsan)


def test_the_stored_file_is_not_the_clear_bytes(upload, headers, stored_files):
    data = samples.pdf_bytes()
    assert upload(headers, "申请书.pdf", data).status_code == 201

    [stored] = stored_files()
    on_disk = stored.read_bytes()
    assert is_sealed(on_disk) and len(on_disk) == sealed_size(len(data))
    assert data[:32] not in on_disk and b"%PDF" not in on_disk


def test_the_download_returns_the_clear_bytes(client, upload, headers):
    data = samples.image_bytes("PNG")
    document = upload(headers, "照片.png", data).json()

    response = client.get(f"/api/v1/documents/{document['id']}/content", **headers)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Length"] == str(len(data))


def test_stored_documents_and_their_folders_are_private(upload, headers, settings, stored_files):
    assert upload(headers, "a.pdf", samples.pdf_bytes()).status_code == 201

    media = Path(settings.MEDIA_ROOT)
    folders = [media, *(p for p in media.rglob("*") if p.is_dir())]
    assert {stat.S_IMODE(p.stat().st_mode) for p in folders} == {0o700}
    assert {stat.S_IMODE(p.stat().st_mode) for p in stored_files()} == {0o600}


def test_a_ten_megabyte_upload_is_sealed_without_a_second_copy_in_memory(zhangsan, settings):
    size = settings.YIWANG_UPLOAD_MAX_BYTES
    upload = TemporaryUploadedFile("扫描件.pdf", "application/pdf", size, None)
    upload.write(b"%PDF-1.7\n")
    filler = bytes(range(256)) * (CHUNK_SIZE // 256)
    while upload.tell() + len(filler) <= size:
        upload.write(filler)
    upload.write(b"\0" * (size - upload.tell()))
    upload.flush()

    tracemalloc.start()
    try:
        document = services.document_upload(owner=zhangsan, upload=upload)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        upload.close()

    assert document.size == size
    # The upload lies on disk; the sealing streams it a chunk at a time. A copy would be 10 MB.
    assert peak < 2 * 1024 * 1024
    with selectors.document_open(document) as opened:
        first = opened.read(9)
        rest = sum(len(block) for block in iter(lambda: opened.read(CHUNK_SIZE), b""))
    assert first == b"%PDF-1.7\n" and 9 + rest == size
