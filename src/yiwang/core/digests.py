"""Digests (摘要) the national standards ask for: SM3 (GB/T 32905) as lowercase hex."""

from __future__ import annotations

from cryptography.hazmat.primitives import hashes


def sm3_hex(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()
