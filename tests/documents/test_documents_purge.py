"""`yiwang documents_purge`: uploads no application references are removed 24 hours after upload."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from tests.cases.conftest import world  # noqa: F401 - fixture
from tests.factories import make_document
from yiwang.cases.models import ApplicationMaterial
from yiwang.documents.models import Document
from yiwang.documents.services import documents_purge

pytestmark = pytest.mark.django_db


def age(document: Document, hours: float) -> None:
    Document.objects.filter(pk=document.pk).update(created_at=timezone.now() - timedelta(hours=hours))


def test_an_unattached_upload_older_than_a_day_is_removed_with_its_file(zhangsan):
    document = make_document(zhangsan)
    age(document, 25)

    summary = documents_purge()

    assert (summary.documents, summary.blobs) == (1, 1)
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not default_storage.exists(document.blob)


def test_an_unattached_upload_younger_than_a_day_is_kept(zhangsan):
    document = make_document(zhangsan)
    age(document, 23)

    assert documents_purge().documents == 0
    assert Document.objects.filter(pk=document.pk).exists() and default_storage.exists(document.blob)


def test_an_upload_an_application_references_is_kept(world):  # noqa: F811
    assert world.apply().status_code == 201
    [document] = Document.objects.all()
    assert ApplicationMaterial.objects.filter(document=document).exists()
    age(document, 24 * 30)

    assert documents_purge().documents == 0
    assert default_storage.exists(document.blob)


def test_a_file_another_owners_document_still_uses_stays(zhangsan, lisi):
    content = b"%PDF-1.4\n% shared\n%%EOF\n"
    old, recent = make_document(zhangsan, content), make_document(lisi, content)
    assert old.blob == recent.blob
    age(old, 48)

    summary = documents_purge()

    assert (summary.documents, summary.blobs) == (1, 0)
    assert default_storage.exists(recent.blob)


def test_the_command_reports_what_it_removed(zhangsan):
    for _ in range(2):
        age(make_document(zhangsan), 30)
    output = StringIO()

    call_command("documents_purge", stdout=output)

    assert "已清理未使用的材料 2 件，删除文件 2 个" in output.getvalue()
    assert Document.objects.count() == 0
