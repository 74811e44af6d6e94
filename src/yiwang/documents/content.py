"""Pure checks on uploaded bytes: their real type, whether an OFD archive is safe, display names, digests."""

from __future__ import annotations

import hashlib
import posixpath
import re
import struct
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

from cryptography.hazmat.primitives import hashes

from yiwang.documents.errors import FileTypeNotAllowed
from yiwang.documents.models import EXTENSIONS, DocumentType

_MAGIC: list[tuple[bytes, DocumentType]] = [
    (b"%PDF-", DocumentType.PDF),
    (b"\x89PNG\r\n\x1a\n", DocumentType.PNG),
    (b"\xff\xd8\xff", DocumentType.JPEG),
]
_ZIP_MAGIC = b"PK\x03\x04"
_HEAD_BYTES = 16

# OFD (GB/T 33190) is a ZIP package whose entry point is OFD.xml at its root.
OFD_ENTRY = "OFD.xml"
ZIP_MAX_ENTRIES = 1000
ZIP_MAX_RATIO = 100
ZIP_MAX_EXPANSION = 20  # total uncompressed size ≤ this × the upload limit

_EOCD_SIGNATURE = b"PK\x05\x06"
_EOCD_SIZE = 22
_EOCD_MAX_COMMENT = 0xFFFF

MAX_NAME_LENGTH = 200
_MAX_EXTENSION_LENGTH = 16
# Characters Windows refuses in file names: harmless here, but the name is offered back on download.
_RESERVED_CHARS = re.compile(r'[<>:"|?*]')
# Control, format (bidi overrides such as U+202E that disguise "gpj.exe") and surrogate code points.
_STRIPPED_CATEGORIES = {"Cc", "Cf", "Cs"}


def sniff(file: IO[bytes], *, max_bytes: int) -> DocumentType:
    """The type of a file judged by its first bytes (and, for a ZIP, its directory); refuses the rest."""
    file.seek(0)
    head = file.read(_HEAD_BYTES)
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head.startswith(_ZIP_MAGIC):
        ofd_check(file, max_bytes=max_bytes)
        return DocumentType.OFD
    raise FileTypeNotAllowed()


def ofd_check(file: IO[bytes], *, max_bytes: int) -> None:
    """Accept a ZIP as OFD only when it has OFD.xml at its root and could not be a zip bomb or a
    path-traversal archive for whatever unpacks it later. Nothing is decompressed here."""
    unsafe = FileTypeNotAllowed("OFD 文件结构异常或存在安全风险")
    declared = _zip_declared_entries(file)
    if declared is None or declared > ZIP_MAX_ENTRIES:
        # Counted before zipfile builds its index, so a directory of a million entries costs nothing.
        raise unsafe
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, EOFError, OSError):
        raise unsafe from None
    if len(infos) > ZIP_MAX_ENTRIES:
        raise unsafe
    total = 0
    for info in infos:
        if _unsafe_member_name(info.filename):
            raise unsafe
        if info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1):
            raise unsafe
        total += info.file_size
    if total > ZIP_MAX_EXPANSION * max_bytes:
        raise unsafe
    if OFD_ENTRY not in {info.filename for info in infos}:
        raise FileTypeNotAllowed("压缩包不是 OFD 文件")


def _zip_declared_entries(file: IO[bytes]) -> int | None:
    """The entry count in the end-of-central-directory record, or None when there is no such record.
    ZIP64 archives (count 0xFFFF) are reported as too many: no OFD within the upload limit needs one."""
    file.seek(0, 2)
    length = file.tell()
    tail_length = min(length, _EOCD_SIZE + _EOCD_MAX_COMMENT)
    file.seek(length - tail_length)
    tail = file.read(tail_length)
    at = tail.rfind(_EOCD_SIGNATURE)
    if at < 0 or len(tail) - at < _EOCD_SIZE:
        return None
    _sig, _disk, _cd_disk, _disk_entries, total_entries, _cd_size, _cd_offset, _comment = struct.unpack(
        "<4sHHHHIIH", tail[at : at + _EOCD_SIZE]
    )
    return int(total_entries)


def _unsafe_member_name(name: str) -> bool:
    normalized = name.replace("\\", "/")
    if normalized.startswith("/") or re.match(r"^[A-Za-z]:", normalized):
        return True
    return ".." in normalized.split("/")


def display_name(raw: str | None, *, kind: DocumentType) -> str:
    """The name shown for a file: its last path component only, without control characters, ≤ 200 chars."""
    name = unicodedata.normalize("NFC", raw or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch) not in _STRIPPED_CATEGORIES)
    name = _RESERVED_CHARS.sub("_", name)
    name = " ".join(name.split()).strip(" .")
    if not name:
        name = f"材料{EXTENSIONS[kind]}"
    if len(name) > MAX_NAME_LENGTH:
        stem, extension = posixpath.splitext(name)
        if len(extension) > _MAX_EXTENSION_LENGTH:
            stem, extension = name, ""
        name = stem[: MAX_NAME_LENGTH - len(extension)].rstrip(" .") + extension
    return name


@dataclass(frozen=True)
class Digests:
    sha256: str
    sm3: str
    size: int


def digests(chunks: Iterable[bytes]) -> Digests:
    """SHA-256 and SM3 (GB/T 32905, OpenSSL's) of a stream, in one pass over its chunks."""
    sha256 = hashlib.sha256()
    sm3 = hashes.Hash(hashes.SM3())
    size = 0
    for chunk in chunks:
        sha256.update(chunk)
        sm3.update(chunk)
        size += len(chunk)
    return Digests(sha256=sha256.hexdigest(), sm3=sm3.finalize().hex(), size=size)
