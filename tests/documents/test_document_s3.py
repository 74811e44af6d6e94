"""Documents in S3-compatible object storage: the same upload path, blobs in the bucket."""

from __future__ import annotations

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from moto import mock_aws

from tests.documents.samples import pdf_bytes
from yiwang.core.sealed_files import is_sealed
from yiwang.documents.selectors import document_open
from yiwang.documents.services import document_upload
from yiwang.documents.storage import blob_key, blob_seal_in_place

pytestmark = pytest.mark.django_db


@pytest.fixture
def s3_storage(settings, monkeypatch):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    with mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="yiwang-docs")
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": "yiwang-docs",
                    "region_name": "us-east-1",
                    "default_acl": None,
                    "file_overwrite": False,
                },
            },
        }
        yield boto3.client("s3", region_name="us-east-1")


def test_upload_stores_the_blob_in_the_bucket_once(s3_storage, zhangsan, lisi):
    content = pdf_bytes()
    first = document_upload(owner=zhangsan, upload=SimpleUploadedFile("a.pdf", content))
    second = document_upload(owner=lisi, upload=SimpleUploadedFile("b.pdf", content))
    assert first.pk != second.pk and first.blob == second.blob == blob_key(first.sha256)
    stored = s3_storage.get_object(Bucket="yiwang-docs", Key=first.blob)["Body"].read()
    assert is_sealed(stored) and content not in stored
    assert s3_storage.list_objects_v2(Bucket="yiwang-docs")["KeyCount"] == 1
    with document_open(second) as opened:
        assert opened.read() == content


def test_a_clear_object_from_before_sealing_is_sealed_in_place(s3_storage, zhangsan):
    content = pdf_bytes()
    document = document_upload(owner=zhangsan, upload=SimpleUploadedFile("a.pdf", content))
    s3_storage.put_object(Bucket="yiwang-docs", Key=document.blob, Body=content)  # as stored before

    assert blob_seal_in_place(document.blob) is True
    assert blob_seal_in_place(document.blob) is False, "recognised as sealed: nothing to do"
    stored = s3_storage.get_object(Bucket="yiwang-docs", Key=document.blob)["Body"].read()
    assert is_sealed(stored)
    with document_open(document) as opened:
        assert opened.read() == content
