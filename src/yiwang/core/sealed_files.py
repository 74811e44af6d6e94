"""Files sealed at rest (文件加密存储): SM4-GCM in segments, under a random data key per file that is
itself sealed by YIWANG_FIELD_KEY (core.protection).

A sealed file is a header followed by chunks:

    header  MAGIC (8) | version (1) | chunk size (4) | nonce prefix (8) | wrapped data key (44)
    chunk i SM4-GCM(data key, nonce = prefix | i (4 bytes), AAD = header | i (4 bytes) | last (1 byte))
            over `chunk size` clear bytes (the last chunk over 0 … chunk size), then its 16-byte tag

Segments rather than one GCM stream with its tag at the end: a download streams, and a reader of a
single GCM stream would hand out plaintext it can only authenticate at the very end. Here each chunk
is checked before any of its bytes leave the reader, so a tampered file yields an error, never
altered content. Memory stays at a chunk or two whatever the file's size, both ways.

Why it resists tampering (the STREAM construction of Hoang, Reyhanitabar, Rogaway and Vizár, as in
Tink's streaming AEAD):
- reordering, dropping or repeating a chunk: its index is in its nonce and associated data, so a chunk
  read at another position fails its tag;
- truncation: only the final chunk is sealed with last = 1, and the reader opens the chunk at the end of
  the stream as the last one; a file cut after any other chunk, or mid-chunk, ends on a chunk sealed
  with last = 0 and fails. Appending after the real last chunk makes that one fail as not-last;
- the header: the data key's wrapping is bound to version, chunk size and nonce prefix, and the whole
  header is in every chunk's associated data;
- splicing chunks between files: every file has its own data key.

Digests (SHA-256, SM3) are taken over the clear content by the callers, before sealing.
"""

from __future__ import annotations

import io
import secrets
import struct
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from yiwang.core import protection

# Not text and not any accepted document type's own magic (%PDF-, \x89PNG, \xff\xd8\xff, PK\x03\x04);
# the CR LF and ^Z catch a copy made in text mode, as PNG's signature does.
MAGIC = b"\x89YWS\r\n\x1a\n"
VERSION = 1
CHUNK_SIZE = 64 * 1024
TAG_SIZE = 16
_KEY_SIZE = 16
_PREFIX_SIZE = 8
_FIELDS = struct.Struct(">8sBI8s")  # magic, version, chunk size, nonce prefix
_WRAPPED_KEY_SIZE = 12 + _KEY_SIZE + TAG_SIZE  # protection.seal_bytes: nonce | key | tag
HEADER_SIZE = _FIELDS.size + _WRAPPED_KEY_SIZE
_KEY_PURPOSE = b"yiwang.sealed-file.key:"
_MAX_CHUNKS = 1 << 32  # the index is four bytes of the nonce


class SealedFileError(protection.ProtectionError):
    """A sealed file cannot be opened: another YIWANG_FIELD_KEY, or the file was cut short or altered."""


def is_sealed(head: bytes) -> bool:
    """Whether bytes starting a file are a sealed file's (the first len(MAGIC) bytes are enough)."""
    return head[: len(MAGIC)] == MAGIC


def sealed_size(clear_size: int, *, chunk_size: int = CHUNK_SIZE) -> int:
    """The stored size of `clear_size` bytes sealed: the header, the bytes, one tag per chunk."""
    chunks = max(1, -(-clear_size // chunk_size))
    return HEADER_SIZE + clear_size + chunks * TAG_SIZE


def sealing_reader(clear: IO[bytes], *, chunk_size: int = CHUNK_SIZE) -> io.BufferedReader:
    """A stream whose bytes are `clear`'s sealed, produced chunk by chunk as they are read."""
    return io.BufferedReader(_Sealing(clear, chunk_size=chunk_size), buffer_size=chunk_size)


def open_sealed(sealed: IO[bytes]) -> io.BufferedReader:
    """A stream of the clear bytes of a sealed file, each chunk authenticated before it is handed out.

    The header is read and the data key unwrapped at once, so a file that is not sealed, or sealed
    under another key, fails here rather than in the middle of a response. Closing it closes `sealed`.
    """
    raw = _Opening(sealed)
    return io.BufferedReader(raw, buffer_size=raw.chunk_size)


def _read_full(stream: IO[bytes], size: int) -> bytes:
    """`size` bytes, or fewer only at the end of the stream (a read may return less than asked)."""
    parts: list[bytes] = []
    wanted = size
    while wanted > 0:
        part = stream.read(wanted)
        if not part:
            break
        parts.append(part)
        wanted -= len(part)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def _cipher(key: bytes, prefix: bytes, index: int, tag: bytes | None = None) -> Cipher[Any]:
    nonce = prefix + index.to_bytes(4, "big")
    return Cipher(algorithms.SM4(key), modes.GCM(nonce, tag))


def _associated(header: bytes, index: int, last: bool) -> bytes:
    return header + index.to_bytes(4, "big") + (b"\x01" if last else b"\x00")


class _Chunks(io.RawIOBase):
    """Hands out, across reads of any size, the chunks `_next_chunk` produces one at a time."""

    def __init__(self) -> None:
        super().__init__()
        self._pending = memoryview(b"")
        self._finished = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending and not self._finished:
            self._pending = memoryview(self._next_chunk())
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size

    def _next_chunk(self) -> bytes:
        raise NotImplementedError


class _Sealing(_Chunks):
    def __init__(self, clear: IO[bytes], *, chunk_size: int) -> None:
        super().__init__()
        self._clear = clear
        self._chunk_size = chunk_size
        self._key = secrets.token_bytes(_KEY_SIZE)
        self._prefix = secrets.token_bytes(_PREFIX_SIZE)
        fields = _FIELDS.pack(MAGIC, VERSION, chunk_size, self._prefix)
        wrapped = protection.seal_bytes(self._key, purpose=_KEY_PURPOSE + fields)
        self._header = fields + wrapped
        self._index = -1  # the header comes first
        self._ahead: bytes | None = None

    def _next_chunk(self) -> bytes:
        if self._index < 0:
            self._index = 0
            self._ahead = _read_full(self._clear, self._chunk_size)
            return self._header
        current = self._ahead or b""
        # One chunk of look-ahead: only the next read tells whether this chunk is the last one.
        self._ahead = _read_full(self._clear, self._chunk_size) if len(current) == self._chunk_size else b""
        last = not self._ahead
        if self._index >= _MAX_CHUNKS:
            raise SealedFileError("文件过大，无法加密存储")
        encryptor = _cipher(self._key, self._prefix, self._index).encryptor()
        encryptor.authenticate_additional_data(_associated(self._header, self._index, last))
        sealed = encryptor.update(current) + encryptor.finalize() + encryptor.tag
        self._index += 1
        self._finished = last
        return sealed


class _Opening(_Chunks):
    def __init__(self, sealed: IO[bytes]) -> None:
        super().__init__()
        self._sealed = sealed
        header = _read_full(sealed, HEADER_SIZE)
        if len(header) < HEADER_SIZE or not is_sealed(header):
            raise SealedFileError("文件不是加密存储格式，或已被截断")
        magic, version, chunk_size, self._prefix = _FIELDS.unpack(header[: _FIELDS.size])
        if version != VERSION or not 0 < chunk_size <= 16 * CHUNK_SIZE:
            raise SealedFileError(f"不支持的加密文件版本 {version}")
        try:
            self._key = protection.open_bytes(
                header[_FIELDS.size :], purpose=_KEY_PURPOSE + header[: _FIELDS.size]
            )
        except protection.ProtectionError:
            raise SealedFileError("文件无法解密：YIWANG_FIELD_KEY 与加密时不一致，或文件头被改动") from None
        self._header = header
        self.chunk_size = chunk_size
        self._block = chunk_size + TAG_SIZE
        self._index = 0
        self._ahead = _read_full(sealed, self._block)

    def _next_chunk(self) -> bytes:
        current = self._ahead
        if len(current) < TAG_SIZE:
            raise SealedFileError("加密文件已被截断")
        self._ahead = _read_full(self._sealed, self._block) if len(current) == self._block else b""
        last = not self._ahead
        body, tag = current[:-TAG_SIZE], current[-TAG_SIZE:]
        decryptor = _cipher(self._key, self._prefix, self._index, tag).decryptor()
        decryptor.authenticate_additional_data(_associated(self._header, self._index, last))
        try:
            clear = decryptor.update(body) + decryptor.finalize()
        except InvalidTag:
            raise SealedFileError("加密文件校验失败：内容被截断、调换或改动") from None
        self._index += 1
        self._finished = last
        return clear

    def close(self) -> None:
        if not self.closed:
            self._sealed.close()
        super().close()
