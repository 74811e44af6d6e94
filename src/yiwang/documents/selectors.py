"""材料 reads: who may see a document, and its bytes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, time
from typing import IO, Any
from uuid import UUID

from django.db.models import Count, Sum
from django.utils import timezone

from yiwang.core.errors import NotFound
from yiwang.documents import storage
from yiwang.documents.models import Document


def document_for(user: Any, document_id: UUID | str) -> Document:
    """The document `document_id` if `user` uploaded it; otherwise NotFound, also for a malformed id,
    so that callers cannot probe which ids exist.

    Only the owner sees a document here. Staff will reach applicants' documents through the cases that
    reference them (cases scope access by department), not through this selector.
    """
    not_found = NotFound("未找到该材料", code="document_not_found")
    if not getattr(user, "is_authenticated", False):
        raise not_found
    try:
        pk = document_id if isinstance(document_id, UUID) else uuid.UUID(str(document_id))
    except ValueError:
        raise not_found from None
    document = Document.objects.filter(pk=pk, owner_id=user.pk).first()
    if document is None:
        raise not_found
    return document


def document_open(document: Document) -> IO[bytes]:
    """The clear bytes of `document`, decrypted chunk by chunk as they are read; the caller closes it."""
    return storage.blob_open(document.blob)


@dataclass(frozen=True)
class UploadUsage:
    count: int
    bytes: int


def upload_usage_today(owner: Any) -> UploadUsage:
    """What `owner` has uploaded since local midnight (indexed by owner + upload time)."""
    midnight = datetime.combine(timezone.localdate(), time.min, tzinfo=timezone.get_current_timezone())
    used = Document.objects.filter(owner_id=owner.pk, created_at__gte=midnight).aggregate(
        count=Count("pk"), bytes=Sum("size")
    )
    return UploadUsage(count=used["count"], bytes=used["bytes"] or 0)
