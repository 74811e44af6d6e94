"""SM2 signatures over SM3 digests: round trip, any changed byte fails, and interoperability."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from gmssl import sm2

from yiwang.core.digests import sm3_hex
from yiwang.licences import signing

pytestmark = pytest.mark.django_db


class _Key:
    """What `signing.sign` reads of a DepartmentKey row."""

    def __init__(self, pair: signing.NewKeyPair) -> None:
        self.public_key = pair.public_key
        self.private_key_encrypted = pair.sealed_private_key
        self.fingerprint = pair.fingerprint


@pytest.fixture(scope="module")
def key() -> _Key:
    return _Key(signing.new_key_pair())


DIGEST = sm3_hex("测试证照".encode())


def test_a_signature_verifies_with_the_public_key(key):
    signature = signing.sign(key, DIGEST)
    assert len(signature) == 128
    assert signing.verify(key.public_key, DIGEST, signature)


def test_signatures_differ_each_time_but_all_verify(key):
    first, second = signing.sign(key, DIGEST), signing.sign(key, DIGEST)
    assert first != second  # a fresh random nonce per signature
    assert signing.verify(key.public_key, DIGEST, first) and signing.verify(key.public_key, DIGEST, second)


@pytest.mark.parametrize("position", [0, 31, 63])
def test_one_changed_digit_of_the_digest_fails(key, position):
    signature = signing.sign(key, DIGEST)
    changed = DIGEST[:position] + ("0" if DIGEST[position] != "0" else "1") + DIGEST[position + 1 :]
    assert not signing.verify(key.public_key, changed, signature)


@pytest.mark.parametrize("position", [0, 64, 127])
def test_one_changed_digit_of_the_signature_fails(key, position):
    signature = signing.sign(key, DIGEST)
    changed = signature[:position] + ("0" if signature[position] != "0" else "1") + signature[position + 1 :]
    assert not signing.verify(key.public_key, DIGEST, changed)


def test_another_key_does_not_verify(key):
    other = signing.new_key_pair()
    assert not signing.verify(other.public_key, DIGEST, signing.sign(key, DIGEST))


@pytest.mark.parametrize(
    "signature",
    ["", "zz" * 64, "00" * 64, signing._N.to_bytes(32, "big").hex() + "01" * 32, "ab" * 63],
)
def test_malformed_or_out_of_range_signatures_fail_without_raising(key, signature):
    assert not signing.verify(key.public_key, DIGEST, signature)


def test_a_public_key_off_the_curve_fails_without_raising(key):
    assert not signing.verify("ab" * 64, DIGEST, signing.sign(key, DIGEST))


def test_canonical_bytes_are_sorted_compact_utf8():
    assert (
        signing.canonical_bytes({"b": "营业执照", "a": [1, None]}) == '{"a":[1,null],"b":"营业执照"}'.encode()
    )


def test_the_fingerprint_is_the_sm3_of_the_uncompressed_point(key):
    assert key.fingerprint == sm3_hex(bytes.fromhex("04" + key.public_key))


def test_gmssl_sign_with_sm3_verifies_our_signatures(key):
    # Our e = SM3(Z ‖ M) is computed with OpenSSL's SM3; gmssl's own SM3withSM2 path must agree.
    engine = sm2.CryptSM2(private_key="", public_key="")
    engine.public_key = key.public_key
    assert engine.verify_with_sm3(signing.sign(key, DIGEST), bytes.fromhex(DIGEST))


# SubjectPublicKeyInfo prefix: id-ecPublicKey with the SM2 curve (1.2.156.10197.1.301), then the point.
_SM2_SPKI_PREFIX = "3059301306072a8648ce3d020106082a811ccf5501822d034200"


def _der_integer(value: int) -> bytes:
    body = value.to_bytes(32, "big").lstrip(b"\0") or b"\0"
    if body[0] & 0x80:
        body = b"\0" + body
    return bytes([0x02, len(body)]) + body


@pytest.mark.skipif(shutil.which("openssl") is None, reason="no openssl command")
def test_openssl_verifies_our_signatures(key, tmp_path):
    # An independent implementation: OpenSSL with the GM/T 0009 default ID 1234567812345678.
    signature = signing.sign(key, DIGEST)
    r, s = int(signature[:64], 16), int(signature[64:], 16)
    body = _der_integer(r) + _der_integer(s)
    (tmp_path / "sig.der").write_bytes(bytes([0x30, len(body)]) + body)
    (tmp_path / "pub.der").write_bytes(bytes.fromhex(_SM2_SPKI_PREFIX + "04" + key.public_key))
    (tmp_path / "msg").write_bytes(bytes.fromhex(DIGEST))
    command = [
        "openssl", "pkeyutl", "-verify", "-pubin", "-keyform", "DER", "-inkey", str(tmp_path / "pub.der"),
        "-rawin", "-in", str(tmp_path / "msg"), "-digest", "sm3", "-sigfile", str(tmp_path / "sig.der"),
        "-pkeyopt", "distid:1234567812345678",
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if "Signature Verified Successfully" not in done.stdout and "unsupported" in (done.stderr or "").lower():
        pytest.skip("openssl without SM2")
    assert "Signature Verified Successfully" in done.stdout, done.stderr


def test_the_private_key_is_stored_only_sealed(key):
    assert key.private_key_encrypted.startswith("sm4gcm1:")
    # The clear private key is 64 hex digits; nothing of that shape is in the stored form.
    private = signing._open(key.private_key_encrypted, key.public_key)
    assert private not in key.private_key_encrypted


def test_a_sealed_key_does_not_open_under_another_field_key(key, settings):
    settings.YIWANG_FIELD_KEY = "another-field-key"
    with pytest.raises(signing.SigningError):
        signing.sign(key, DIGEST)


def test_a_sealed_key_moved_to_another_public_key_does_not_open(key):
    other = signing.new_key_pair()
    moved = _Key(other)
    moved.private_key_encrypted = key.private_key_encrypted
    with pytest.raises(signing.SigningError):
        signing.sign(moved, DIGEST)
