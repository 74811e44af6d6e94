"""Where documents' bytes live: content-addressed blobs in the default storage, sealed at rest.

Every blob is sealed (core.sealed_files: SM4-GCM in 64 KiB segments under a per-file data key wrapped
by YIWANG_FIELD_KEY) as it is written, and opened as it is read, a chunk at a time: the clear bytes
never reach the disk or the bucket, and a 10 MB upload is never held whole in memory. A blob's key
is the SHA-256 of its clear content (the sealed bytes differ on every write).

On local disk a blob is written under a private temporary name, synced and renamed into place, so a
key only ever names a complete file; object storage writes an object whole or not at all.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import uuid
from typing import IO

from django.core.files import File
from django.core.files.storage import default_storage

from yiwang.core.sealed_files import MAGIC, is_sealed, open_sealed, sealed_size, sealing_reader

logger = logging.getLogger(__name__)


def blob_key(sha256: str) -> str:
    """Where the bytes with this SHA-256 live in storage; two levels of fan-out keep directories small."""
    return f"documents/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def blob_intact(key: str, *, size: int) -> bool:
    """Whether a sealed copy of `size` clear bytes is stored under `key` (by its stored size: a file cut
    short by a crash, or one left clear from before sealing, has another)."""
    return default_storage.exists(key) and default_storage.size(key) == sealed_size(size)


def blob_write(key: str, clear: IO[bytes]) -> None:
    """Store `clear` (read from its start) sealed under `key`, replacing whatever is there."""
    clear.seek(0)
    _put(key, sealing_reader(clear))


def blob_open(key: str) -> IO[bytes]:
    """The clear bytes of the blob, decrypted as they are read; the caller closes it."""
    return open_sealed(default_storage.open(key, "rb"))


def blob_delete(key: str) -> None:
    default_storage.delete(key)


def blob_seal_in_place(key: str) -> bool:
    """Seal a blob stored clear (from before blobs were sealed); False when it is sealed already or
    missing. Safe to run again after an interruption: a sealed blob is recognised by its header."""
    if not default_storage.exists(key):
        logger.warning("document blob %s is missing; nothing to seal", key)
        return False
    with default_storage.open(key, "rb") as stored:
        if is_sealed(stored.read(len(MAGIC))):
            return False
        stored.seek(0)
        # Sealed into a temporary file first: object storage cannot rewrite an object it is reading.
        with tempfile.TemporaryFile() as sealed:
            shutil.copyfileobj(sealing_reader(stored), sealed)
            stored.close()
            sealed.seek(0)
            _put(key, sealed)
    return True


def blob_open_in_place(key: str) -> bool:
    """The reverse of `blob_seal_in_place` (migrating back): store the blob's clear bytes again."""
    if not default_storage.exists(key):
        return False
    with default_storage.open(key, "rb") as stored:
        if not is_sealed(stored.read(len(MAGIC))):
            return False
        stored.seek(0)
        with tempfile.TemporaryFile() as clear:
            shutil.copyfileobj(open_sealed(stored), clear)
            clear.seek(0)
            _put(key, clear)
    return True


def _put(key: str, content: IO[bytes]) -> None:
    try:
        final_path = default_storage.path(key)
    except NotImplementedError:  # object storage: no local path, and PUT is atomic
        if default_storage.exists(key):
            default_storage.delete(key)
        saved = default_storage.save(key, File(content, name=key))
        if saved != key:
            # Another request stored the same bytes between delete() and save(): keep one copy.
            default_storage.delete(saved)
        return
    # Saved through the storage so that FILE_UPLOAD_PERMISSIONS (0600) and the directory mode apply.
    temporary = default_storage.save(f"{key}.{uuid.uuid4().hex}.part", File(content, name=key))
    temporary_path = default_storage.path(temporary)
    with open(temporary_path, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temporary_path, final_path)
