"""Personal identifiers at rest (个人信息加密存储): SM4-GCM encryption and a keyed blind index.

An ID number or a mobile number is stored as `sm4g1:<base64(nonce | ciphertext | tag)>`, a fresh
nonce each time, so equal numbers do not look equal in the database. Exact lookups use a sibling
column holding HMAC-SM3 of the normalised number under a second key derived from the same secret:
equal numbers give equal index values, and without the key the index reveals nothing.

The secret is `YIWANG_FIELD_KEY` (environment; `make run` generates a local one under var/).
"""

from __future__ import annotations

import base64
import secrets
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

PREFIX = "sm4g1:"
_KDF_INFO = b"yiwang personal data v1"
_NONCE = 12
_TAG = 16


class ProtectionError(Exception):
    """A stored value cannot be opened: wrong YIWANG_FIELD_KEY, or the column was tampered with."""


@lru_cache(maxsize=4)
def _keys(secret: str) -> tuple[bytes, bytes]:
    if not secret:
        raise ProtectionError("未配置 YIWANG_FIELD_KEY，无法加解密个人信息")
    material = HKDF(algorithm=hashes.SM3(), length=48, salt=None, info=_KDF_INFO).derive(secret.encode())
    return material[:16], material[16:]


def normalise(value: str) -> str:
    """The form the index is computed on: `11010519491231002x ` and `11010519491231002X` are one number."""
    return value.strip().upper()


def encrypt(value: str) -> str:
    return PREFIX + base64.b64encode(seal_bytes(value.encode("utf-8"))).decode("ascii")


def decrypt(token: str) -> str:
    if not token.startswith(PREFIX):
        raise ProtectionError("个人信息的存储格式无法识别（不是 SM4 密文）")
    try:
        return open_bytes(base64.b64decode(token[len(PREFIX) :])).decode("utf-8")
    except ProtectionError:
        raise ProtectionError("个人信息无法解密：YIWANG_FIELD_KEY 与加密时不一致，或数据被改动") from None


def blind_index(value: str) -> str:
    """HMAC-SM3 of the normalised value: 64 hex characters, the same for the same number."""
    mac = hmac.HMAC(_keys(settings.YIWANG_FIELD_KEY)[1], hashes.SM3())
    mac.update(normalise(value).encode("utf-8"))
    return mac.finalize().hex()


def seal_bytes(data: bytes, *, purpose: bytes = b"") -> bytes:
    """SM4-GCM: nonce | ciphertext | tag, bound to `purpose` (empty for column values)."""
    nonce = secrets.token_bytes(_NONCE)
    encryptor = Cipher(algorithms.SM4(_keys(settings.YIWANG_FIELD_KEY)[0]), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(purpose)
    return nonce + encryptor.update(data) + encryptor.finalize() + encryptor.tag


def open_bytes(sealed: bytes, *, purpose: bytes = b"") -> bytes:
    nonce, body, tag = sealed[:_NONCE], sealed[_NONCE:-_TAG], sealed[-_TAG:]
    decryptor = Cipher(algorithms.SM4(_keys(settings.YIWANG_FIELD_KEY)[0]), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(purpose)
    try:
        return decryptor.update(body) + decryptor.finalize()
    except InvalidTag:
        raise ProtectionError("无法解密：YIWANG_FIELD_KEY 与加密时不一致，或内容被改动") from None


def key_fingerprint() -> str:
    """Names the key in use without revealing it (a backup records which key sealed it)."""
    return blind_index("yiwang key fingerprint")[:16]
