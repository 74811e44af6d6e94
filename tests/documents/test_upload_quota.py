"""每日上传限额: an account's uploads of a day are limited in count and bytes, answered 429."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.documents import samples
from tests.factories import make_staff
from yiwang.accounts.roles import StaffRole
from yiwang.documents import services
from yiwang.documents.errors import UploadQuotaExceeded
from yiwang.documents.models import Document

pytestmark = pytest.mark.django_db


def pdf(n: int, size: int = 0) -> bytes:
    body = b"%PDF-1.4\n% quota " + str(n).encode() + b"\n"
    return body + b"x" * max(0, size - len(body))


@pytest.fixture
def headers(zhangsan, bearer):
    return bearer(zhangsan)


def test_the_file_past_the_daily_count_is_answered_429(upload, headers, settings, stored_files):
    settings.YIWANG_UPLOAD_DAILY_COUNT = 3
    for n in range(3):
        assert upload(headers, f"{n}.pdf", pdf(n)).status_code == 201

    refused = upload(headers, "3.pdf", pdf(3))

    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 24 * 3600, "says when the quota starts over"
    body = refused.json()
    assert body["code"] == "upload_quota"
    assert body["message"].startswith("今日上传已达上限") and "3 个文件" in body["message"]
    assert Document.objects.count() == 3 and len(stored_files()) == 3, "nothing stored for the refused file"


def test_the_file_past_the_daily_bytes_is_answered_429(upload, headers, settings):
    settings.YIWANG_UPLOAD_DAILY_BYTES = 25_000
    assert upload(headers, "a.pdf", pdf(1, 10_000)).status_code == 201
    assert upload(headers, "b.pdf", pdf(2, 10_000)).status_code == 201

    refused = upload(headers, "c.pdf", pdf(3, 10_000))

    assert refused.status_code == 429 and refused.json()["code"] == "upload_quota"
    assert upload(headers, "d.pdf", pdf(4, 4_000)).status_code == 201, "what still fits is accepted"


def test_the_same_bytes_again_return_the_document_without_using_the_quota(upload, headers, settings):
    settings.YIWANG_UPLOAD_DAILY_COUNT = 1
    first = upload(headers, "a.pdf", pdf(1)).json()

    again = upload(headers, "a.pdf", pdf(1))

    assert again.status_code == 201 and again.json()["id"] == first["id"]


def test_uploads_of_earlier_days_do_not_count(upload, headers, settings):
    settings.YIWANG_UPLOAD_DAILY_COUNT = 1
    assert upload(headers, "a.pdf", pdf(1)).status_code == 201
    Document.objects.update(created_at=timezone.now() - timedelta(days=1))

    assert upload(headers, "b.pdf", pdf(2)).status_code == 201


def test_each_account_has_its_own_quota(upload, headers, lisi, bearer, settings):
    settings.YIWANG_UPLOAD_DAILY_COUNT = 1
    assert upload(headers, "a.pdf", pdf(1)).status_code == 201

    assert upload(bearer(lisi), "b.pdf", pdf(2)).status_code == 201


def test_staff_have_their_own_higher_quota(zhangsan, settings):
    settings.YIWANG_UPLOAD_DAILY_COUNT = 1
    settings.YIWANG_UPLOAD_DAILY_COUNT_STAFF = 3
    clerk = make_staff(StaffRole.WINDOW_CLERK)

    for n in range(3):
        services.document_upload(owner=clerk, upload=SimpleUploadedFile(f"{n}.pdf", pdf(n)))
    with pytest.raises(UploadQuotaExceeded):
        services.document_upload(owner=clerk, upload=SimpleUploadedFile("3.pdf", pdf(3)))
    services.document_upload(owner=zhangsan, upload=SimpleUploadedFile("z.pdf", pdf(9)))
    with pytest.raises(UploadQuotaExceeded):
        services.document_upload(owner=zhangsan, upload=SimpleUploadedFile("y.pdf", pdf(10)))


def test_a_limit_of_zero_means_no_limit(zhangsan, settings):
    settings.YIWANG_UPLOAD_DAILY_COUNT = 0
    settings.YIWANG_UPLOAD_DAILY_BYTES = 0
    for n in range(5):
        services.document_upload(owner=zhangsan, upload=SimpleUploadedFile(f"{n}.pdf", pdf(n)))
    assert Document.objects.count() == 5


def test_the_portal_upload_shows_the_quota_in_the_rows_error(client, zhangsan, settings):
    settings.YIWANG_UPLOAD_DAILY_COUNT = 1
    services.document_upload(owner=zhangsan, upload=SimpleUploadedFile("a.pdf", samples.pdf_bytes()))
    client.force_login(zhangsan)

    response = client.post(
        "/apply/upload/?row=m1",
        {"m1.file": SimpleUploadedFile("b.pdf", pdf(2), content_type="application/pdf")},
        HTTP_HX_REQUEST="true",
    )

    assert response["HX-Retarget"] == "#m1-upload-error"
    assert "今日上传已达上限" in response.content.decode()
    assert Document.objects.count() == 1


def test_a_file_the_platform_makes_is_stored_past_the_quota(zhangsan, settings):
    settings.YIWANG_UPLOAD_DAILY_COUNT = 1
    services.document_upload(owner=zhangsan, upload=SimpleUploadedFile("a.pdf", pdf(1)))

    form = services.document_upload(
        owner=zhangsan, upload=SimpleUploadedFile("申请表（在线填写）.pdf", pdf(2)), quota=False
    )

    assert form.pk and Document.objects.count() == 2
