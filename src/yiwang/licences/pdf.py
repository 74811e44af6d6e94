"""A licence as an A4 PDF (WeasyPrint), with a QR code that opens its public verification page.

The fixed-layout e-licence file of GB/T 36905 is OFD with an embedded seal; this PDF is the
holder's printable copy. Citizen ID numbers on it are masked, as on notices: the copy travels, and
whoever receives it checks it by the QR code, not by the number.
"""

from __future__ import annotations

import base64
from functools import lru_cache
from pathlib import Path

import qrcode
import qrcode.image.svg
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from yiwang.core.masking import mask_id_number, mask_text
from yiwang.licences.models import HolderCodeType, Licence, LicenceStatus
from yiwang.licences.presenters import face_rows, verify_url

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "licences"


def licence_pdf(licence: Licence) -> tuple[str, bytes]:
    """(file name, PDF bytes) of the licence."""
    url = verify_url(licence.identifier)
    person = licence.holder_code_type == HolderCodeType.ID_NUMBER
    context = {
        "licence": licence,
        "type": licence.licence_type,
        "rows": [{**row, "value": mask_text(row["value"])} for row in face_rows(licence)],
        "holder_code": mask_id_number(licence.holder_code) if person else licence.holder_code,
        "holder_code_label": HolderCodeType(licence.holder_code_type).label,
        "status_label": LicenceStatus(licence.status).label,
        "inactive": not licence.is_valid(),
        "verify_url": url,
        "qr_data_uri": _qr_data_uri(url),
        "printed_at": timezone.localtime(),
    }
    html = render_to_string("licences/licence_pdf.html", context)
    # Everything is inline (the product runs offline, in an intranet): fetch nothing else.
    pdf = HTML(
        string=html, base_url=str(TEMPLATE_DIR), url_fetcher=URLFetcher(allowed_protocols={"data"})
    ).write_pdf(font_config=_font_config())
    # The name travels in a response header and lands in download folders: no clear ID number in it.
    return f"{licence.name}-{mask_text(licence.number)}.pdf", pdf


def _qr_data_uri(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=1)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode("ascii")


@lru_cache(maxsize=1)
def _font_config() -> FontConfiguration:
    return FontConfiguration()
