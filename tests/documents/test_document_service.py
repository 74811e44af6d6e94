"""document_upload called directly, as the window workbench and other services will call it."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.documents import samples
from yiwang.core.errors import NotFound
from yiwang.documents import selectors, services
from yiwang.documents.errors import FileEmpty, FileTooLarge, FileTypeNotAllowed
from yiwang.documents.models import Document

pytestmark = pytest.mark.django_db


def test_service_refuses_a_file_over_the_limit(zhangsan, settings, stored_files):
    settings.YIWANG_UPLOAD_MAX_BYTES = 100
    with pytest.raises(FileTooLarge) as refused:
        services.document_upload(owner=zhangsan, upload=SimpleUploadedFile("a.pdf", b"%PDF-" + b"x" * 200))
    assert refused.value.status == 413 and refused.value.code == "file_too_large"
    assert Document.objects.count() == 0 and stored_files() == []


def test_service_refuses_an_empty_file(zhangsan):
    with pytest.raises(FileEmpty):
        services.document_upload(owner=zhangsan, upload=SimpleUploadedFile("a.pdf", b""))


def test_service_refuses_html(zhangsan):
    with pytest.raises(FileTypeNotAllowed):
        services.document_upload(owner=zhangsan, upload=SimpleUploadedFile("a.pdf", samples.HTML))


def test_service_sanitises_a_backslash_path(zhangsan):
    upload = SimpleUploadedFile("..\\..\\Windows\\申请表.pdf", samples.pdf_bytes())
    assert services.document_upload(owner=zhangsan, upload=upload).original_name == "申请表.pdf"


def test_a_blob_cut_short_by_a_crash_is_written_again(zhangsan):
    data = samples.pdf_bytes()
    document = services.document_upload(owner=zhangsan, upload=SimpleUploadedFile("a.pdf", data))
    Document.objects.all().delete()
    default_storage.delete(document.blob)
    default_storage.save(document.blob, SimpleUploadedFile("x", data[:10]))
    again = services.document_upload(owner=zhangsan, upload=SimpleUploadedFile("a.pdf", data))
    with selectors.document_open(again) as stored:
        assert stored.read() == data


def test_document_for_refuses_other_users(zhangsan, lisi):
    document = services.document_upload(
        owner=zhangsan, upload=SimpleUploadedFile("a.pdf", samples.pdf_bytes())
    )
    assert selectors.document_for(zhangsan, document.id) == document
    with pytest.raises(NotFound):
        selectors.document_for(lisi, document.id)
