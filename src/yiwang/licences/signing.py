"""签名: departments' SM2 key pairs, SM3 digests and SM2 signatures of licences (GB/T 32918, GM/T 0009).

A licence's canonical bytes (sorted-key JSON, see `canonical_bytes`) are digested with SM3; the
32-byte digest is the message that the issuing department's key signs with SM2 (the SM3 digest of
Z‖M, Z from the default user ID 1234567812345678, as `gmssl`'s `sign_with_sm3` and OpenSSL with
`distid:1234567812345678` do). Signatures are stored as the 64-byte r‖s in hex.

Private keys never leave this module in clear: they are generated here, stored sealed with SM4-GCM
under a key derived from the `YIWANG_FIELD_KEY` setting (bound to their public key, so a sealed key
moved to another row does not open), and opened only inside `sign`.

Two things about `gmssl` (pure Python) that this module works around:
- `gmssl.func.random_hex` draws from `random` (Mersenne Twister), which is predictable; a predictable
  SM2 nonce gives away the private key. Nonces and private keys come from `secrets` instead.
- `CryptSM2` strips a leading "04" from the public key with `str.lstrip("04")`, which also eats any
  0 or 4 that starts the x coordinate; the key is therefore set on the instance after construction.
It also does not check that r and s lie in [1, n-1] when verifying; `verify` does.
"""

from __future__ import annotations

import base64
import json
import secrets
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from gmssl import sm2

from yiwang.core.digests import sm3_hex
from yiwang.core.errors import DomainError

if TYPE_CHECKING:
    from yiwang.licences.models import DepartmentKey

_CURVE = sm2.default_ecc_table
_N = int(_CURVE["n"], 16)
_HEX = frozenset("0123456789abcdef")
# GM/T 0009-2012: the default signer ID when none is agreed, "1234567812345678" (ENTL = 128 bits).
_DEFAULT_ID = b"1234567812345678"
_SEALED_PREFIX = "sm4gcm1:"
_KDF_INFO = b"yiwang/licences/department-private-key/v1"


class SigningError(DomainError):
    """A key could not be used: no field key, or the sealed private key does not open under it.

    A configuration fault, not the caller's: the API answers 500 with the Chinese message.
    """

    status = 500

    def __init__(self, message: str) -> None:
        super().__init__("signing_unavailable", message)


@dataclass(frozen=True)
class NewKeyPair:
    """A fresh key pair as it may be stored: the public key in hex, the private key sealed."""

    public_key: str
    sealed_private_key: str
    fingerprint: str

    def __repr__(self) -> str:
        return f"NewKeyPair(fingerprint={self.fingerprint!r})"


# ---- digests and canonical form ----------------------------------------------------------------


def canonical_bytes(payload: dict[str, Any]) -> bytes:
    """The bytes that are digested and signed: JSON, keys sorted, no spaces, UTF-8 (not \\u escapes)."""
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def fingerprint(public_key: str) -> str:
    """SM3 of the uncompressed public point 04‖x‖y."""
    return sm3_hex(bytes.fromhex("04" + public_key))


# ---- keys --------------------------------------------------------------------------------------


def new_key_pair() -> NewKeyPair:
    """A new SM2 key pair; the private key is sealed before it leaves this function."""
    d = secrets.randbelow(_N - 2) + 1  # 1 ≤ d ≤ n-2 (d+1 must be invertible mod n)
    private_key = f"{d:064x}"
    public_key = _engine(private_key, "")._kg(d, _CURVE["g"])
    # Self-test: a key that cannot verify its own signature must never be stored.
    probe = sm3_hex(secrets.token_bytes(16))
    if not _verify(public_key, probe, _sign(private_key, public_key, probe)):
        raise SigningError("新生成的签名密钥未通过自检")
    return NewKeyPair(public_key, _seal(private_key, public_key), fingerprint(public_key))


def sign(key: DepartmentKey, digest: str) -> str:
    """The SM2 signature (r‖s hex) of a 64-hex-character SM3 digest with the department key `key`."""
    private_key = _open(key.private_key_encrypted, key.public_key)
    return _sign(private_key, key.public_key, digest)


def verify(public_key: str, digest: str, signature: str) -> bool:
    """Whether `signature` is a valid SM2 signature of `digest` by `public_key`. Never raises."""
    if not (_is_hex(public_key, 128) and _is_hex(digest, 64) and _is_hex(signature, 128)):
        return False
    return _verify_cached(public_key, digest, signature)


# ---- SM2 over gmssl's point arithmetic --------------------------------------------------------


def _engine(private_key: str, public_key: str) -> sm2.CryptSM2:
    engine = sm2.CryptSM2(private_key=private_key, public_key="")
    engine.public_key = public_key  # not through __init__: see the module docstring
    return engine


@lru_cache(maxsize=256)
def _z(public_key: str) -> bytes:
    """Z = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA), fixed per public key."""
    entl = (len(_DEFAULT_ID) * 8).to_bytes(2, "big")
    curve = bytes.fromhex(_CURVE["a"] + _CURVE["b"] + _CURVE["g"] + public_key)
    return bytes.fromhex(sm3_hex(entl + _DEFAULT_ID + curve))


def _e(public_key: str, digest: str) -> bytes:
    return bytes.fromhex(sm3_hex(_z(public_key) + bytes.fromhex(digest)))


def _sign(private_key: str, public_key: str, digest: str) -> str:
    engine = _engine(private_key, public_key)
    e = _e(public_key, digest)
    while True:
        signature = engine.sign(e, f"{secrets.randbelow(_N - 1) + 1:064x}")
        if signature:  # None when r = 0 or r + k = n: draw another nonce
            return str(signature)


def _verify(public_key: str, digest: str, signature: str) -> bool:
    r, s = int(signature[:64], 16), int(signature[64:], 16)
    if not (1 <= r < _N and 1 <= s < _N):
        return False
    try:
        return bool(_engine("", public_key).verify(signature, _e(public_key, digest)))
    except (TypeError, ValueError):  # a public key that is not a point on the curve
        return False


@lru_cache(maxsize=8192)
def _verify_cached(public_key: str, digest: str, signature: str) -> bool:
    # Verification is a pure function of its three arguments, and costs two scalar multiplications
    # in pure Python: the public verification page would otherwise pay them on every scan.
    return _verify(public_key, digest, signature)


def _is_hex(value: str, length: int) -> bool:
    return isinstance(value, str) and len(value) == length and set(value) <= _HEX


# ---- sealing private keys ---------------------------------------------------------------------


@lru_cache(maxsize=4)
def _field_key(secret: str) -> bytes:
    if not secret:
        raise SigningError("未配置 YIWANG_FIELD_KEY，无法使用签名私钥")
    return HKDF(algorithm=hashes.SM3(), length=16, salt=None, info=_KDF_INFO).derive(secret.encode("utf-8"))


def _seal(private_key: str, public_key: str) -> str:
    nonce = secrets.token_bytes(12)
    encryptor = Cipher(algorithms.SM4(_field_key(settings.YIWANG_FIELD_KEY)), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(public_key.encode("ascii"))
    sealed = encryptor.update(bytes.fromhex(private_key)) + encryptor.finalize() + encryptor.tag
    return _SEALED_PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def _open(sealed: str, public_key: str) -> str:
    if not sealed.startswith(_SEALED_PREFIX):
        raise SigningError("签名私钥的存储格式无法识别")
    raw = base64.urlsafe_b64decode(sealed[len(_SEALED_PREFIX) :])
    nonce, body, tag = raw[:12], raw[12:-16], raw[-16:]
    decryptor = Cipher(
        algorithms.SM4(_field_key(settings.YIWANG_FIELD_KEY)), modes.GCM(nonce, tag)
    ).decryptor()
    decryptor.authenticate_additional_data(public_key.encode("ascii"))
    try:
        return (decryptor.update(body) + decryptor.finalize()).hex()
    except InvalidTag:
        raise SigningError(
            "签名私钥无法解密：YIWANG_FIELD_KEY 与生成密钥时不一致，或密钥记录被改动"
        ) from None
