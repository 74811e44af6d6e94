"""证照标识 (GB/T 36904): `1.2.156.3005.2.<类型代码>.<颁发机构代码>.<流水号>.<版本号>.<校验位>`.

The check character is ISO 7064 MOD 37,36 (the hybrid system over 0-9A-Z) computed over the type
code, issuer code, serial and version joined without dots. Recomputed against real identifiers
(STANDARDS.md §3 and tests/licences/test_identifiers.py). Real identifiers vary in the length of
their parts (a region code as issuer, a 10- or 32-character serial), so only the alphabet, the
3-digit version and the check character are enforced when parsing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from yiwang.core.errors import DomainError

PREFIX = "1.2.156.3005.2"
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_MODULUS = 36
_PART = re.compile(r"[0-9A-Z]+")
_VERSION = re.compile(r"\d{3}")
MAX_LENGTH = 120


class LicenceIdentifierError(DomainError):
    """A licence identifier is malformed or its check character is wrong."""

    status = 422


def check_character(body: str) -> str:
    """The ISO 7064 MOD 37,36 check character of `body` (type + issuer + serial + version, no dots)."""
    product = _MODULUS
    for char in body.upper():
        value = ALPHABET.find(char)
        if value < 0:
            raise LicenceIdentifierError("licence_identifier_format", f"证照标识含有无效字符“{char}”")
        total = (product + value) % _MODULUS or _MODULUS
        product = (total * 2) % (_MODULUS + 1)
    return ALPHABET[(_MODULUS + 1 - product) % _MODULUS]


@dataclass(frozen=True)
class LicenceIdentifier:
    type_code: str
    issuer_code: str
    serial: str
    version: str
    check: str

    @property
    def body(self) -> str:
        return f"{self.type_code}{self.issuer_code}{self.serial}{self.version}"

    def __str__(self) -> str:
        return f"{PREFIX}.{self.type_code}.{self.issuer_code}.{self.serial}.{self.version}.{self.check}"


def build_identifier(type_code: str, issuer_code: str, serial: str, version: int | str = 1) -> str:
    """证照标识 from its parts; `version` 1 or "001" both give "001"."""
    version_text = f"{int(version):03d}" if isinstance(version, int) else version
    type_code, issuer_code, serial = type_code.upper(), issuer_code.upper(), serial.upper()
    _check_parts(type_code, issuer_code, serial, version_text)
    check = check_character(f"{type_code}{issuer_code}{serial}{version_text}")
    identifier = str(LicenceIdentifier(type_code, issuer_code, serial, version_text, check))
    if len(identifier) > MAX_LENGTH:
        raise LicenceIdentifierError("licence_identifier_format", f"证照标识不能超过 {MAX_LENGTH} 个字符")
    return identifier


def parse_identifier(value: str) -> LicenceIdentifier:
    """The parts of a 证照标识, after checking its prefix, format and check character."""
    text = str(value).strip().upper()
    if len(text) > MAX_LENGTH or not text.startswith(PREFIX + "."):
        raise LicenceIdentifierError(
            "licence_identifier_format", f"证照标识应以 {PREFIX}. 开头，且不超过 {MAX_LENGTH} 个字符"
        )
    parts = text[len(PREFIX) + 1 :].split(".")
    if len(parts) != 5:
        raise LicenceIdentifierError(
            "licence_identifier_format", "证照标识应由证照类型代码、颁发机构代码、流水号、版本号和校验位组成"
        )
    type_code, issuer_code, serial, version, check = parts
    _check_parts(type_code, issuer_code, serial, version)
    if len(check) != 1 or check not in ALPHABET:
        raise LicenceIdentifierError("licence_identifier_format", "证照标识的校验位应为一位数字或大写字母")
    parsed = LicenceIdentifier(type_code, issuer_code, serial, version, check)
    if check_character(parsed.body) != check:
        raise LicenceIdentifierError("licence_identifier_check", "证照标识校验位不正确，请核对后重新输入")
    return parsed


def _check_parts(type_code: str, issuer_code: str, serial: str, version: str) -> None:
    for label, part in (("证照类型代码", type_code), ("颁发机构代码", issuer_code), ("流水号", serial)):
        if not _PART.fullmatch(part):
            raise LicenceIdentifierError(
                "licence_identifier_format", f"证照标识的{label}应由数字和大写字母组成"
            )
    if not _VERSION.fullmatch(version):
        raise LicenceIdentifierError("licence_identifier_format", "证照标识的版本号应为 3 位数字")
