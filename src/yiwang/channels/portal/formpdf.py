"""在线填写的申请表: the form the applicant filled in on the page, as the PDF that stands for the
“申请表” material.

Every item lists its application form as a required material; an applicant who fills the form in on
line should not have to print, sign and scan it. Until the case engine accepts the form data itself
for that material (asked for in the portal's notes), the portal lays the submitted answers out as the
item's paper form (`application_form.sheet_rows`, the same rows as the printable blank form) and
uploads that PDF through `document_upload`, like any other file the applicant gives.

The PDF is the same bytes for the same answers on the same day, so a double-click or a retry finds
the document already stored (documents are stored once per content) and the submission replays.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from yiwang.accounts.models import User, UserKind
from yiwang.channels.application_form import sheet_rows
from yiwang.core.masking import mask_id_number
from yiwang.documents.models import Document
from yiwang.documents.services import document_upload


def form_pdf(
    *, user: User, title: str, departments: list[str], schema: dict[str, Any], data: dict[str, Any]
) -> bytes:
    person = user.kind == UserKind.PERSON
    context = {
        "title": title,
        "departments": departments,
        "rows": sheet_rows(schema, data=data, blank_rows=0),  # the answers only, no empty rows
        "applicant": user.name,
        "id_label": "公民身份号码" if person else "统一社会信用代码",
        "id_number": mask_id_number(user.id_number or "") if person else (user.uscc or ""),
        "today": timezone.localdate(),
    }
    html = render_to_string("channels/portal/application_form_pdf.html", context)
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, url_fetcher=fetcher).write_pdf(font_config=_fonts())


def form_document(
    *, user: User, title: str, departments: list[str], schema: dict[str, Any], data: dict[str, Any]
) -> Document:
    """The filled-in form, stored as the applicant's document (the same one again for the same answers)."""
    pdf = form_pdf(user=user, title=title, departments=departments, schema=schema, data=data)
    upload = SimpleUploadedFile(f"{title}申请表（在线填写）.pdf", pdf, content_type="application/pdf")
    return document_upload(owner=user, upload=upload, quota=False)  # made by us, not sent by the user


@lru_cache(maxsize=1)
def _fonts() -> FontConfiguration:
    return FontConfiguration()
