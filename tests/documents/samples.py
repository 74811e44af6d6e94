"""Small, valid files of each accepted type, and hostile ones, built in memory."""

from __future__ import annotations

import io
import zipfile

from PIL import Image
from pypdf import PdfWriter

OFD_XML = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD">'
    "<ofd:DocBody><ofd:DocInfo><ofd:DocID>0</ofd:DocID></ofd:DocInfo>"
    "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
)
DOCUMENT_XML = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"><ofd:CommonData><ofd:MaxUnitID>1</ofd:MaxUnitID>'
    "<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData>"
    "<ofd:Pages/></ofd:Document>"
)


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=72, height=72)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_bytes(fmt: str, colour: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (2, 2), colour).save(out, fmt)
    return out.getvalue()


def zip_bytes(entries: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def ofd_bytes() -> bytes:
    return zip_bytes({"OFD.xml": OFD_XML.encode(), "Doc_0/Document.xml": DOCUMENT_XML.encode()})


def zip_bomb_bytes() -> bytes:
    """An OFD-looking archive with one entry that inflates 1000-fold (5 MB of zeros in a few KB)."""
    return zip_bytes({"OFD.xml": OFD_XML.encode(), "Doc_0/Res/image.bin": bytes(5 * 1024 * 1024)})


HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(200)
