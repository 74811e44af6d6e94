"""Uploaded materials: one row per owner and file; the bytes live once in storage under their SHA-256."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class DocumentType(models.TextChoices):
    """The file types accepted as materials, identified by their content, never by the client's claim."""

    PDF = "application/pdf", "PDF"
    PNG = "image/png", "PNG 图片"
    JPEG = "image/jpeg", "JPEG 图片"
    OFD = "application/ofd", "OFD 版式文件"


EXTENSIONS: dict[str, str] = {
    DocumentType.PDF: ".pdf",
    DocumentType.PNG: ".png",
    DocumentType.JPEG: ".jpg",
    DocumentType.OFD: ".ofd",
}


class Document(models.Model):
    """材料: a file an applicant uploaded. `id` is what applications and cases reference."""

    id = models.UUIDField("材料编号", primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="documents"
    )
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=100, choices=DocumentType.choices)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256 摘要", max_length=64, db_index=True)
    sm3 = models.CharField("SM3 摘要", max_length=64)
    blob = models.CharField("存储键", max_length=255)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "材料"
        verbose_name_plural = "材料"
        indexes = [
            models.Index(fields=["owner", "created_at"], name="document_owner_created"),
            models.Index(fields=["created_at"], name="document_created"),
        ]
        constraints = [
            # Uploading the same bytes again gives the owner the same document (idempotent upload).
            models.UniqueConstraint(fields=["owner", "sha256"], name="document_owner_sha256_unique"),
            models.CheckConstraint(condition=Q(size__gt=0), name="document_size_positive"),
        ]

    def __str__(self) -> str:
        return self.original_name
