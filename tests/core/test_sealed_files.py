"""Sealed files (core.sealed_files): SM4-GCM segments that open to the same bytes, refuse any cut,
swap, append or flipped bit, and never hold a whole file in memory either way."""

from __future__ import annotations

import io
import secrets
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from yiwang.core.sealed_files import (
    CHUNK_SIZE,
    HEADER_SIZE,
    TAG_SIZE,
    SealedFileError,
    is_sealed,
    open_sealed,
    sealed_size,
    sealing_reader,
)

BLOCK = CHUNK_SIZE + TAG_SIZE


def seal(data: bytes) -> bytes:
    return sealing_reader(io.BytesIO(data)).read()


def unseal(sealed: bytes) -> bytes:
    with open_sealed(io.BytesIO(sealed)) as stream:
        return stream.read()


@pytest.mark.parametrize("size", [0, 1, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 3 * CHUNK_SIZE + 7])
def test_a_sealed_file_opens_to_the_same_bytes_and_has_the_predicted_size(size):
    data = secrets.token_bytes(size)
    sealed = seal(data)

    assert is_sealed(sealed) and len(sealed) == sealed_size(size)
    assert unseal(sealed) == data


def test_the_same_bytes_seal_differently_each_time():
    data = b"%PDF-1.4 " * 100
    assert seal(data) != seal(data)
    assert data[:20] not in seal(data)


def test_a_file_cut_at_a_chunk_boundary_is_refused():
    sealed = seal(secrets.token_bytes(3 * CHUNK_SIZE))
    with pytest.raises(SealedFileError, match="截断、调换或改动"):
        unseal(sealed[: HEADER_SIZE + 2 * BLOCK])


def test_a_file_cut_inside_a_chunk_is_refused():
    sealed = seal(secrets.token_bytes(2 * CHUNK_SIZE))
    with pytest.raises(SealedFileError):
        unseal(sealed[:-5])


def test_swapped_chunks_are_refused():
    sealed = seal(secrets.token_bytes(3 * CHUNK_SIZE))
    header, first, second, rest = (
        sealed[:HEADER_SIZE],
        sealed[HEADER_SIZE : HEADER_SIZE + BLOCK],
        sealed[HEADER_SIZE + BLOCK : HEADER_SIZE + 2 * BLOCK],
        sealed[HEADER_SIZE + 2 * BLOCK :],
    )
    with pytest.raises(SealedFileError):
        unseal(header + second + first + rest)


def test_a_chunk_appended_after_the_last_is_refused():
    sealed = seal(secrets.token_bytes(2 * CHUNK_SIZE))
    with pytest.raises(SealedFileError):
        unseal(sealed + sealed[HEADER_SIZE : HEADER_SIZE + BLOCK])


def test_a_chunk_from_another_file_is_refused():
    data = secrets.token_bytes(2 * CHUNK_SIZE)
    one, other = seal(data), seal(data)
    with pytest.raises(SealedFileError):
        unseal(one[: HEADER_SIZE + BLOCK] + other[HEADER_SIZE + BLOCK :])


def test_a_flipped_bit_stops_the_read_before_its_chunk_is_handed_out():
    data = secrets.token_bytes(3 * CHUNK_SIZE)
    sealed = bytearray(seal(data))
    sealed[HEADER_SIZE + BLOCK + 10] ^= 1  # in the second chunk
    with open_sealed(io.BytesIO(bytes(sealed))) as stream:
        assert stream.read(CHUNK_SIZE) == data[:CHUNK_SIZE], "the intact first chunk is served"
        with pytest.raises(SealedFileError):
            stream.read(CHUNK_SIZE)


def test_a_changed_header_is_refused_at_open():
    sealed = bytearray(seal(b"%PDF-1.4 test"))
    sealed[12] ^= 1  # the chunk size
    with pytest.raises(SealedFileError):
        unseal(bytes(sealed))


def test_a_clear_file_is_not_taken_for_a_sealed_one():
    assert not is_sealed(b"%PDF-1.4\n")
    with pytest.raises(SealedFileError, match="不是加密存储格式"):
        open_sealed(io.BytesIO(b"%PDF-1.4\n" + bytes(200)))


def test_a_file_sealed_under_another_field_key_is_refused_with_a_clear_message(settings):
    sealed = seal(b"%PDF-1.4 test")
    settings.YIWANG_FIELD_KEY = "another-key"
    with pytest.raises(SealedFileError, match="YIWANG_FIELD_KEY"):
        unseal(sealed)


def _peak_while(copy: Callable[[], None]) -> int:
    tracemalloc.start()
    try:
        copy()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_ten_megabytes_are_sealed_and_opened_a_chunk_at_a_time(tmp_path: Path):
    size = 10 * 1024 * 1024
    clear, sealed, opened = tmp_path / "clear", tmp_path / "sealed", tmp_path / "opened"
    with clear.open("wb") as handle:
        for _ in range(size // CHUNK_SIZE):
            handle.write(secrets.token_bytes(CHUNK_SIZE))

    def seal_file() -> None:
        with clear.open("rb") as source, sealed.open("wb") as target:
            stream = sealing_reader(source)
            while block := stream.read(CHUNK_SIZE):
                target.write(block)

    def open_file() -> None:
        with sealed.open("rb") as source, opened.open("wb") as target, open_sealed(source) as stream:
            while block := stream.read(CHUNK_SIZE):
                target.write(block)

    # A whole copy would be 10 MB; a few chunks of 64 KiB are what the streams may hold.
    assert _peak_while(seal_file) < 1024 * 1024
    assert _peak_while(open_file) < 1024 * 1024
    assert sealed.stat().st_size == sealed_size(size)
    assert opened.read_bytes() == clear.read_bytes()
