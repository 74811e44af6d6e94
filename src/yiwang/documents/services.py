"""材料 writes: check an uploaded file, store its bytes once (sealed) under their digest, record who
uploaded it, within the account's daily quota; purge uploads nothing ever used."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, ForeignObjectRel, OuterRef, ProtectedError, Q
from django.utils import timezone

from yiwang.accounts.models import User, UserKind
from yiwang.documents import content, selectors, storage
from yiwang.documents.errors import FileEmpty, FileTooLarge, UploadQuotaExceeded, human_size
from yiwang.documents.models import Document, DocumentType

logger = logging.getLogger(__name__)

# An upload no application references by then is removed by `documents_purge`.
UNATTACHED_LIFETIME = timedelta(hours=24)


def document_upload(*, owner: User, upload: UploadedFile, quota: bool = True) -> Document:
    """上传材料: accept a PDF, JPG, PNG or OFD file for `owner`, within the account's daily quota.

    `quota=False` for a file the platform makes itself from what the applicant typed (the filled-in
    form, one per submission): the quota limits what people send, and must not fail a submission.

    The type is sniffed from the content; the bytes are stored once per SHA-256 (content-addressed),
    sealed, and written before the row, so a crash leaves at most an orphan blob, never a row without
    its file. Uploading the same bytes again returns the owner's existing document and uses no quota.
    Nothing is stored when a check fails.

    Only the row insert runs in a transaction: hashing and writing up to the upload limit to storage
    must not hold a database transaction (on SQLite, BEGIN IMMEDIATE takes the write lock).
    """
    limit = settings.YIWANG_UPLOAD_MAX_BYTES
    if upload.size is not None:
        if upload.size > limit:
            raise FileTooLarge(limit)
        if upload.size == 0:
            raise FileEmpty()
    kind = content.sniff(upload, max_bytes=limit)
    digests = content.digests(upload.chunks())
    if digests.size > limit:
        raise FileTooLarge(limit)
    if digests.size == 0:
        raise FileEmpty()

    existing = Document.objects.filter(owner=owner, sha256=digests.sha256).first()
    if existing is not None:
        return existing
    # Checked before anything is stored; checked again under the owner's lock when the row is written.
    if quota:
        upload_quota_check(owner=owner, size=digests.size)
    key = storage.blob_key(digests.sha256)
    written = False
    if not storage.blob_intact(key, size=digests.size):
        storage.blob_write(key, upload)
        written = True
    try:
        document = _document_record(
            owner=owner,
            name=content.display_name(upload.name, kind=kind),
            kind=kind,
            digests=digests,
            key=key,
            quota=quota,
        )
    except UploadQuotaExceeded:
        if written and not Document.objects.filter(blob=key).exists():
            storage.blob_delete(key)
        raise
    if not storage.blob_intact(key, size=digests.size):
        # `documents_purge` removed the blob of another owner's old, unused upload of these same bytes
        # between the check above and this row: store it again.
        storage.blob_write(key, upload)
    return document


@dataclass(frozen=True)
class UploadQuota:
    """每日上传限额: files and bytes an account may upload in a day (0: no limit)."""

    count: int
    bytes: int


def upload_quota_for(owner: User) -> UploadQuota:
    """Staff's limits are higher: a window clerk uploads the scans of every applicant served that day."""
    if owner.kind == UserKind.STAFF:
        return UploadQuota(settings.YIWANG_UPLOAD_DAILY_COUNT_STAFF, settings.YIWANG_UPLOAD_DAILY_BYTES_STAFF)
    return UploadQuota(settings.YIWANG_UPLOAD_DAILY_COUNT, settings.YIWANG_UPLOAD_DAILY_BYTES)


def upload_quota_check(*, owner: User, size: int) -> None:
    """Refuse (429 `upload_quota`) a new file of `size` bytes that would take the owner's uploads of
    today (since local midnight) past the count or the byte limit."""
    quota = upload_quota_for(owner)
    if not quota.count and not quota.bytes:
        return
    used = selectors.upload_usage_today(owner)
    if quota.count and used.count + 1 > quota.count:
        raise UploadQuotaExceeded(f"每天最多上传 {quota.count} 个文件")
    if quota.bytes and used.bytes + size > quota.bytes:
        raise UploadQuotaExceeded(
            f"每天最多上传 {human_size(quota.bytes)}，今日已上传 {human_size(used.bytes)}"
        )


@transaction.atomic
def _document_record(
    *, owner: User, name: str, kind: DocumentType, digests: content.Digests, key: str, quota: bool
) -> Document:
    # The owner's row is the lock: two uploads of one account at once are counted one after the other
    # (SQLite's IMMEDIATE transactions serialise them anyway).
    User.objects.select_for_update().filter(pk=owner.pk).values_list("pk").first()
    existing = Document.objects.filter(owner=owner, sha256=digests.sha256).first()
    if existing is not None:  # the same bytes sent twice at once: one document, and no quota used
        return existing
    if quota:
        upload_quota_check(owner=owner, size=digests.size)
    try:
        with transaction.atomic():
            return Document.objects.create(
                owner=owner,
                original_name=name,
                content_type=kind,
                size=digests.size,
                sha256=digests.sha256,
                sm3=digests.sm3,
                blob=key,
            )
    except IntegrityError:
        # The same owner sent the same bytes twice at once: the first row wins.
        existing = Document.objects.filter(owner=owner, sha256=digests.sha256).first()
        if existing is None:
            raise
        return existing


@dataclass(frozen=True)
class PurgeSummary:
    documents: int
    blobs: int


def _referenced() -> Q:
    """Documents another row points at: an application's material (supplements included), and whatever
    else comes to reference documents, found from the relations themselves rather than listed here."""
    referenced = Q()
    for relation in Document._meta.get_fields(include_hidden=True):
        if (
            isinstance(relation, ForeignObjectRel)
            and (relation.one_to_many or relation.one_to_one)
            and not isinstance(relation.related_model, str)
        ):
            rows = relation.related_model._base_manager.filter(**{relation.field.name: OuterRef("pk")})
            referenced |= Q(Exists(rows))
    return referenced


def documents_purge(
    *, older_than: timedelta = UNATTACHED_LIFETIME, now: datetime | None = None, batch: int = 500
) -> PurgeSummary:
    """清理未使用的上传: delete documents uploaded more than `older_than` ago that nothing references,
    and their blobs once no other document shares them. Safe to run as several processes at once.

    Each row is deleted by a conditional DELETE that checks again that nothing references it; a
    submission that references it at that very moment makes the database refuse the delete (the
    foreign key), and the row is kept.
    """
    cutoff = (now or timezone.now()) - older_than
    unused = Document.objects.filter(created_at__lt=cutoff).exclude(_referenced())
    documents = blobs = 0
    kept: set[uuid.UUID] = set()
    while True:
        due = list(unused.exclude(pk__in=kept).order_by("created_at", "pk").values_list("pk", "blob")[:batch])
        if not due:
            return PurgeSummary(documents, blobs)
        for pk, key in due:
            try:
                with transaction.atomic():
                    deleted, _ = unused.filter(pk=pk).delete()
            except (IntegrityError, ProtectedError):
                deleted = 0
            if not deleted:
                kept.add(pk)
                continue
            documents += 1
            if not Document.objects.filter(blob=key).exists():
                storage.blob_delete(key)
                blobs += 1
