"""The pure checks behind uploads: digests, type sniffing, OFD archive safety, display names."""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.documents import samples
from yiwang.documents import content
from yiwang.documents.errors import FileTypeNotAllowed, human_size
from yiwang.documents.models import DocumentType

LIMIT = 10 * 1024 * 1024


def test_sm3_matches_the_gbt_32905_test_vector():
    assert (
        content.digests([b"a", b"bc"]).sm3
        == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    )


def test_sha256_of_chunks_equals_sha256_of_the_whole():
    assert content.digests([b"a", b"", b"bc"]).sha256 == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )
    assert content.digests([b"a", b"bc"]).size == 3


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (samples.pdf_bytes(), DocumentType.PDF),
        (samples.image_bytes("PNG"), DocumentType.PNG),
        (samples.image_bytes("JPEG"), DocumentType.JPEG),
        (samples.ofd_bytes(), DocumentType.OFD),
    ],
)
def test_sniff_recognises_each_allowed_type(data, kind):
    assert content.sniff(io.BytesIO(data), max_bytes=LIMIT) == kind


@pytest.mark.parametrize(
    "data", [samples.HTML, samples.EXE, b"GIF89a\x01\x00", b"\x00" * 32, b"  %PDF-1.7 leading spaces"]
)
def test_sniff_refuses_everything_else(data):
    with pytest.raises(FileTypeNotAllowed):
        content.sniff(io.BytesIO(data), max_bytes=LIMIT)


def _ofd_with(extra: dict[str, bytes], **kwargs) -> io.BytesIO:
    return io.BytesIO(samples.zip_bytes({"OFD.xml": samples.OFD_XML.encode(), **extra}, **kwargs))


def test_ofd_needs_ofd_xml_at_the_root():
    with pytest.raises(FileTypeNotAllowed, match="不是 OFD"):
        content.ofd_check(io.BytesIO(samples.zip_bytes({"Doc_0/OFD.xml": b"<x/>"})), max_bytes=LIMIT)


def test_ofd_with_an_entry_inflating_over_100_fold_is_refused():
    with pytest.raises(FileTypeNotAllowed, match="安全风险"):
        content.ofd_check(io.BytesIO(samples.zip_bomb_bytes()), max_bytes=LIMIT)


def test_ofd_with_more_than_1000_entries_is_refused():
    archive = _ofd_with({f"Doc_0/Res/{n}.xml": b"<r/>" for n in range(1000)}, compression=zipfile.ZIP_STORED)
    with pytest.raises(FileTypeNotAllowed, match="安全风险"):
        content.ofd_check(archive, max_bytes=LIMIT)


def test_ofd_with_1000_entries_is_accepted():
    archive = _ofd_with({f"Doc_0/Res/{n}.xml": b"<r/>" for n in range(999)}, compression=zipfile.ZIP_STORED)
    content.ofd_check(archive, max_bytes=LIMIT)


def test_ofd_expanding_over_20_times_the_upload_limit_is_refused():
    archive = _ofd_with(
        {"Doc_0/a.bin": b"x" * 1500, "Doc_0/b.bin": b"y" * 1500}, compression=zipfile.ZIP_STORED
    )
    with pytest.raises(FileTypeNotAllowed, match="安全风险"):
        content.ofd_check(archive, max_bytes=100)


@pytest.mark.parametrize(
    "name", ["../evil.xml", "Doc_0/../../evil.xml", "/etc/cron.d/evil", "C:/evil.xml", "..\\evil"]
)
def test_ofd_with_a_path_traversal_entry_is_refused(name):
    with pytest.raises(FileTypeNotAllowed, match="安全风险"):
        content.ofd_check(_ofd_with({name: b"<x/>"}), max_bytes=LIMIT)


def test_truncated_zip_is_refused():
    data = samples.ofd_bytes()
    with pytest.raises(FileTypeNotAllowed):
        content.sniff(io.BytesIO(data[: len(data) // 2]), max_bytes=LIMIT)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\system32\\恶意.pdf", "恶意.pdf"),
        ("营业执照（副本）.pdf", "营业执照（副本）.pdf"),
        ("报告\x00\x1b[31m.pdf", "报告[31m.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),
        ("  ..hidden  ", "hidden"),
        ('a<b>:"c"|?*.pdf', "a_b___c____.pdf"),
        ("", "材料.pdf"),
        ("../..", "材料.pdf"),
    ],
)
def test_display_name_is_sanitised(raw, expected):
    assert content.display_name(raw, kind=DocumentType.PDF) == expected


def test_display_name_is_cut_to_200_characters_keeping_the_extension():
    name = content.display_name("长" * 300 + ".pdf", kind=DocumentType.PDF)
    assert len(name) == 200 and name.endswith("长.pdf")


def test_human_size():
    assert [human_size(n) for n in (512, 1024, 1536, 10 * 1024 * 1024)] == [
        "512 字节",
        "1 KB",
        "1.5 KB",
        "10 MB",
    ]
