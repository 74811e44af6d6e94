"""Documents API (材料): upload a file, read its metadata, fetch its bytes. Owner only."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from urllib.parse import quote
from uuid import UUID

from django.http import FileResponse, HttpRequest
from ninja import File, Path, Router, Schema, Status
from ninja.files import UploadedFile

from yiwang.accounts.auth import api_auth
from yiwang.accounts.models import User
from yiwang.accounts.policy import Permission, api_requires
from yiwang.audit.services import personal_data_read
from yiwang.core.errors import ValidationFailed
from yiwang.documents import selectors, services
from yiwang.documents.errors import ALLOWED_TYPES_LABEL
from yiwang.documents.models import Document, DocumentType

router = Router(tags=["材料"], auth=api_auth)

DocumentId = Annotated[str, Path(max_length=36, description="材料 id（UUID）")]


class DocumentOut(Schema):
    id: UUID
    name: str
    content_type: str
    size: int
    sha256: str
    sm3: str
    created_at: datetime


def document_out(document: Document) -> dict[str, object]:
    return {
        "id": document.id,
        "name": document.original_name,
        "content_type": document.content_type,
        "size": document.size,
        "sha256": document.sha256,
        "sm3": document.sm3,
        "created_at": document.created_at,
    }


def _caller(request: HttpRequest) -> Any:
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, User) else request.user


@router.post(
    "/documents",
    response={201: DocumentOut},
    summary="上传材料",
    description=f"multipart/form-data，字段 file。仅接受 {ALLOWED_TYPES_LABEL}（按文件内容识别）；"
    "同一用户重复上传相同内容返回同一材料。每个账号每天的上传有数量和总大小上限，"
    "超出时返回 429（code 为 upload_quota）；24 小时后仍未被任何申请引用的材料会被清理。",
    # The parameter is optional only so that a missing file is reported under its own name (below);
    # the shared validation handler drops a location part called "file". The contract says required.
    openapi_extra={
        "requestBody": {
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "required": ["file"],
                        "properties": {"file": {"type": "string", "format": "binary", "minLength": 1}},
                    }
                }
            }
        }
    },
)
@api_requires(Permission.UPLOAD)
def upload_document(request: HttpRequest, file: File[UploadedFile | None] = None) -> Status:
    if file is None:
        raise ValidationFailed({"file": ["必填"]})
    document = services.document_upload(owner=_caller(request), upload=file)
    return Status(201, document_out(document))


@router.get("/documents/{document_id}", response=DocumentOut, summary="材料信息")
@api_requires(Permission.DOCUMENT_READ)
def get_document(request: HttpRequest, document_id: DocumentId) -> dict[str, object]:
    return document_out(selectors.document_for(_caller(request), document_id))


@router.get(
    "/documents/{document_id}/content",
    summary="材料原文",
    openapi_extra={
        "responses": {
            200: {
                "description": "文件内容，Content-Type 为识别出的文件类型",
                "content": {
                    kind.value: {"schema": {"type": "string", "format": "binary"}} for kind in DocumentType
                },
            }
        }
    },
)
@api_requires(Permission.DOCUMENT_READ)
def get_document_content(request: HttpRequest, document_id: DocumentId) -> FileResponse:
    document = selectors.document_for(_caller(request), document_id)
    personal_data_read(
        actor=_caller(request), obj=document, view="api.document_content", label=document.original_name
    )
    response = FileResponse(selectors.document_open(document), content_type=document.content_type)
    # The stored file is sealed (larger than its content): the length is the clear size recorded.
    response["Content-Length"] = str(document.size)
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(document.original_name, safe='')}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["ETag"] = f'"{document.sha256}"'
    return response
