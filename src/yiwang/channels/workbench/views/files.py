"""Files staff open from a case: the applicant's uploaded materials and the application's notices (文书).

Materials belong to whoever uploaded them (the applicant, or the clerk at the window); staff reach
them through a case or application they may see (`cases.access`), never through ownership, and get
404 for anything else. Only posts that handle cases open them (accounts.policy DOCUMENT_READ): a
supervisor sees the case, its decisions and timeline, not the applicant's scans. PDFs and images open
in the browser; OFD files download.
"""

from __future__ import annotations

from urllib.parse import quote

from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_safe

from yiwang.accounts.policy import Permission
from yiwang.audit.services import personal_data_read
from yiwang.cases import selectors
from yiwang.cases.notices import notice_pdf
from yiwang.channels.workbench import engine
from yiwang.channels.workbench.guards import (
    StaffRequest,
    not_found,
    staff_only,
)
from yiwang.core.errors import NotFound
from yiwang.documents.models import Document, DocumentType
from yiwang.documents.selectors import document_open

INLINE = {DocumentType.PDF, DocumentType.PNG, DocumentType.JPEG}
FOR_HANDLERS_ONLY = (
    "申请材料原件仅供经办岗位（综合窗口人员、审批人员、部门负责人）查看。"
    "效能监察查看办件的决定和办理过程，不查看申请人提交的扫描件。"
)


# Staff in a post that reads materials; applicants read their own uploads through the portal and API.
handlers_only = staff_only(Permission.DOCUMENT_READ, why=FOR_HANDLERS_ONLY)


def _serve(document: Document) -> FileResponse:
    response = FileResponse(document_open(document), content_type=document.content_type)
    disposition = "inline" if document.content_type in INLINE else "attachment"
    response["Content-Disposition"] = (
        f"{disposition}; filename*=UTF-8''{quote(document.original_name, safe='')}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@handlers_only
@require_safe
def case_document(request: StaffRequest, number: str, document_id: str) -> HttpResponseBase:
    """材料预览 from a case page: the case must be visible to the user and reference the document."""
    try:
        case, document = engine.case_document(request.user, number, document_id)
    except NotFound as exc:
        return not_found(request, exc)
    personal_data_read(
        actor=request.user, obj=case, view="workbench.case_document", detail={"document": document.id}
    )
    return _serve(document)


@handlers_only
@require_safe
def application_document(request: StaffRequest, number: str, document_id: str) -> HttpResponseBase:
    """材料预览 from an application page (the window sees the whole application)."""
    try:
        application, document = engine.application_document(request.user, number, document_id)
    except NotFound as exc:
        return not_found(request, exc)
    personal_data_read(
        actor=request.user,
        obj=application,
        view="workbench.application_document",
        detail={"document": document.id},
    )
    return _serve(document)


@staff_only()
@require_safe
def notice(request: StaffRequest, number: str, kind: str) -> HttpResponse:
    """文书 PDF to print on the spot: 受理 / 不予受理 / 补正 / 办结 notice of an application the user may see."""
    try:
        application = selectors.load_application(request.user, number)
        filename, content = notice_pdf(application, kind)
    except NotFound as exc:
        return not_found(request, exc)
    personal_data_read(actor=request.user, obj=application, view="workbench.notice", detail={"notice": kind})
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename, safe='')}"
    response["Cache-Control"] = "private, no-store"
    return response
