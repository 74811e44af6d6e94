"""材料 writes: check an uploaded file, store its bytes once under their digest, record who uploaded it."""

from __future__ import annotations

import logging
import os
import uuid

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction

from yiwang.accounts.models import User
from yiwang.documents import content
from yiwang.documents.errors import FileEmpty, FileTooLarge
from yiwang.documents.models import Document, DocumentType

logger = logging.getLogger(__name__)


def blob_key(sha256: str) -> str:
    """Where the bytes with this SHA-256 live in storage; two levels of fan-out keep directories small."""
    return f"documents/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def document_upload(*, owner: User, upload: UploadedFile) -> Document:
    """上传材料: accept a PDF, JPG, PNG or OFD file for `owner`.

    The type is sniffed from the content; the bytes are stored once per SHA-256 (content-addressed) and
    written before the row, so a crash leaves at most an orphan blob, never a row without its file.
    Uploading the same bytes again returns the owner's existing document. Nothing is stored when a
    check fails.

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
    key = _blob_store(upload, key=blob_key(digests.sha256), size=digests.size)
    return _document_record(
        owner=owner,
        name=content.display_name(upload.name, kind=kind),
        kind=kind,
        digests=digests,
        key=key,
    )


def _blob_store(upload: UploadedFile, *, key: str, size: int) -> str:
    """Write the bytes under `key` unless an intact copy is already there (stored once).

    A file under `key` is only ever complete: on local disk the bytes go to a private temporary
    name, are synced, and are renamed into place (atomic, so a concurrent upload of the same bytes
    or a crash mid-write never leaves a short file under the key); object storage writes an object
    whole or not at all.
    """
    if default_storage.exists(key):
        if default_storage.size(key) == size:
            return key
        logger.warning("document blob %s has the wrong size; writing it again", key)
    upload.seek(0)
    try:
        final_path = default_storage.path(key)
    except NotImplementedError:  # object storage: no local path, and PUT is atomic
        saved = default_storage.save(key, upload)
        if saved != key:
            # Another request stored the same bytes between exists() and save(): keep one copy.
            default_storage.delete(saved)
        return key
    temporary = default_storage.save(f"{key}.{uuid.uuid4().hex}.part", upload)
    temporary_path = default_storage.path(temporary)
    with open(temporary_path, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temporary_path, final_path)
    return key


@transaction.atomic
def _document_record(
    *, owner: User, name: str, kind: DocumentType, digests: content.Digests, key: str
) -> Document:
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
