"""Helpers for driving the portal pages as an applicant: the apply page's field and material names."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n% portal test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "证明.pdf", body: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def row(material: Any) -> str:
    """The apply page's key for a material (the first material of its group)."""
    return f"m{material.id}"


def upload(client: Any, material: Any, file: SimpleUploadedFile | None = None) -> Any:
    """Upload through the page's htmx endpoint; returns the response."""
    key = row(material)
    return client.post(f"/apply/upload/?row={key}", {f"{key}.file": file or pdf()}, HTTP_HX_REQUEST="true")


def uploaded_id(response: Any, material: Any) -> str:
    """The hidden document id the upload fragment carries."""
    html = response.content.decode()
    marker = f'name="{row(material)}.document" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def form_post(
    *,
    fields: dict[str, Any] | None = None,
    materials: dict[Any, dict[str, str]] | None = None,
    intent: str = "submit",
    key: str = "",
    **extra: Any,
) -> dict[str, Any]:
    """The apply page's POST body: `fields` by schema name, `materials` as {material: {way, document, pledge}}."""
    body: dict[str, Any] = {"intent": intent}
    if key:
        body["idempotency_key"] = key
    for name, value in (fields or {}).items():
        body[f"f.{name}"] = value
    for material, choice in (materials or {}).items():
        for name, value in choice.items():
            body[f"{row(material)}.{name}"] = value
    body.update(extra)
    return body
