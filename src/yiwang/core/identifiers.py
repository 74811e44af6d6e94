"""Identifier validation: 公民身份号码, 统一社会信用代码, 行政区划代码 and mobile numbers.

Each `normalize_*` function returns the canonical form or raises `IdentifierError` with a
machine-readable code and a Chinese message; each `validate_*` wraps it as a Django validator.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date
from functools import cache
from typing import Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from yiwang.core.errors import DomainError


class IdentifierError(DomainError):
    """An identifier failed its format, check-character or registry rule."""

    status = 422


# ---------------------------------------------------------------------------------------------
# 行政区划代码 (GB/T 2260)
# ---------------------------------------------------------------------------------------------

# Codes not in GB/T 2260 itself but used by the identifiers we accept:
# 100000 stands for the whole country in USCCs of central bodies (11100000000013338W);
# 830000 is the address code of 台湾居民居住证 numbers (810000/820000 for 港澳 are in the list).
_NATIONAL_CODE = "100000"
_TAIWAN_RESIDENCE_PERMIT_CODE = "830000"
# Grouping entries of the list, not places: left out of a full name.
_PLACEHOLDER_NAMES = frozenset(
    {
        "市辖区",
        "县",
        "省直辖县级行政单位",
        "省直辖行政单位",
        "自治区直辖县级行政单位",
        "省直辖县级行政区划",
        "自治区直辖县级行政区划",
    }
)
_BRACKETED = re.compile(r"^\[(?P<start>\d*)-(?P<end>\d*)\](?P<name>.+)$")


@cache
def _region_table() -> dict[str, str]:
    """Every 6-digit code that was ever in GB/T 2260 → its latest name.

    python-stdnum ships the union of the historical lists (`cn/loc`: e.g. 110103 崇文区 [-2010],
    120225 蓟县 [1982-2016]); ID numbers keep the code of the year they were issued, so an abolished
    code is still valid. The data is walked once; lookups are then a dict access.
    """
    from stdnum import numdb

    table: dict[str, str] = {}
    for length, low, high, props, children in numdb.get("cn/loc").prefixes:
        if length != 2 or low != high:
            continue
        province = props.get("province", "")
        for _, sub_low, sub_high, sub_props, _ in children:
            for suffix in range(int(sub_low), int(sub_high) + 1):
                table[f"{low}{suffix:04d}"] = _latest_name(sub_props.get("county", "")) or province
    return table


def _latest_name(raw: str) -> str:
    """`"[-1991]东郊区,[1992-]东丽区"` → `"东丽区"`: the open-ended (current) name, else the last one."""
    names: list[tuple[bool, str]] = []
    for part in raw.split(","):
        match = _BRACKETED.match(part)
        if match:
            names.append((match["end"] == "", match["name"]))
        elif part:
            names.append((True, part))
    current = [name for is_current, name in names if is_current]
    return (current or [name for _, name in names] or [""])[-1]


def known_region_codes() -> frozenset[str]:
    """All 6-digit GB/T 2260 codes, current and abolished (for tests and pickers)."""
    return frozenset(_region_table())


def region_name(code: str, *, full: bool = False) -> str | None:
    """Name of a 6- or 12-digit division code (its first 6 digits), or None if unknown.

    `full=True` joins the province, prefecture and county names: 330106 → 浙江省杭州市西湖区.
    """
    code = _clean(code)[:6]
    table = _region_table()
    if code == _NATIONAL_CODE:
        return "中华人民共和国"
    name = table.get(code)
    if name is None or not full:
        return name
    parts = [table.get(f"{code[:2]}0000"), table.get(f"{code[:4]}00"), name]
    seen: list[str] = []
    for part in parts:
        if part and part not in _PLACEHOLDER_NAMES and part not in seen:
            seen.append(part)
    return "".join(seen)


def normalize_region_code(value: str) -> str:
    """行政区划代码: 6 digits (GB/T 2260) or the 12-digit 统计用区划代码 whose first 6 are GB/T 2260."""
    code = _clean(value)
    if not re.fullmatch(r"\d{6}|\d{12}", code):
        raise IdentifierError("region_code_format", "行政区划代码应为 6 位或 12 位数字")
    if code[:6] != _NATIONAL_CODE and code[:6] not in _region_table():
        raise IdentifierError("region_code_unknown", f"行政区划代码 {code[:6]} 不在国家标准 GB/T 2260 中")
    return code


# ---------------------------------------------------------------------------------------------
# 公民身份号码 (GB 11643-1999)
# ---------------------------------------------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"
_ID_FORMAT = re.compile(r"\d{17}[\dX]")
_EARLIEST_BIRTH_DATE = date(1900, 1, 1)


def id_number_check_char(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    return _ID_CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def normalize_id_number(value: str, *, today: date | None = None) -> str:
    """公民身份号码: 18 characters, upper-case X; region, birth date and check character verified."""
    number = _clean(value).upper()
    if not _ID_FORMAT.fullmatch(number):
        raise IdentifierError(
            "id_number_format", "公民身份号码应为 18 位，前 17 位为数字，最后一位为数字或 X"
        )
    if id_number_check_char(number[:17]) != number[17]:
        raise IdentifierError("id_number_check_digit", "公民身份号码校验位不正确，请核对后重新输入")
    _birth_date(number, today=today)
    region = number[:6]
    if region != _TAIWAN_RESIDENCE_PERMIT_CODE and region not in _region_table():
        raise IdentifierError("id_number_region", "公民身份号码前 6 位不是有效的行政区划代码")
    return number


def id_number_birth_date(value: str) -> date:
    """出生日期 of a valid ID number."""
    return _birth_date(normalize_id_number(value), today=None)


def id_number_sex(value: str) -> Literal["M", "F"]:
    """性别 per GB 11643: an odd sequence number (17th digit) is "M" (男), an even one "F" (女)."""
    return "M" if int(normalize_id_number(value)[16]) % 2 else "F"


def _birth_date(number: str, *, today: date | None) -> date:
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdentifierError("id_number_birth_date", "公民身份号码中的出生日期不是有效日期") from None
    if born < _EARLIEST_BIRTH_DATE:
        raise IdentifierError("id_number_birth_date", "公民身份号码中的出生日期早于 1900 年")
    if born > (today or timezone.localdate()):
        raise IdentifierError("id_number_birth_date", "公民身份号码中的出生日期晚于今天")
    return born


# ---------------------------------------------------------------------------------------------
# 统一社会信用代码 (GB 32100-2015) with its embedded 组织机构代码 (GB 11714)
# ---------------------------------------------------------------------------------------------

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_USCC_FORMAT = re.compile(rf"[{USCC_ALPHABET}]{{2}}\d{{6}}[{USCC_ALPHABET}]{{10}}")
# 登记管理部门代码 from GB 32100 Appendix A (1 机构编制, 2 外交, 3 司法行政, 4 文化, 5 民政, 6 旅游,
# 7 宗教, 8 工会, 9 工商/市场监管, A 军队编制, N 农业, Y 其他). Only 1/5/9/Y are confirmed against
# real codes; the list is kept permissive so a legitimate authority is never refused.
USCC_REGISTERING_AUTHORITIES = frozenset("123456789ANY")


def uscc_check_char(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def org_code_check_char(first8: str) -> str:
    """The GB 11714 check character of an organisation code body (digits, A=10 … Z=35)."""
    total = sum(int(c, 36) * w for c, w in zip(first8, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def normalize_uscc(value: str) -> str:
    """统一社会信用代码: 18 characters, upper case; both check characters and the region verified.

    Codes listed in the `YIWANG_USCC_WHITELIST` setting skip the checks: some codes issued in the
    2015 pilots fail the GB 32100 check (e.g. 91350100M0001TGQXM) yet are legally in use.
    """
    code = _clean(value).upper()
    if code in _uscc_whitelist():
        return code
    if not _USCC_FORMAT.fullmatch(code):
        raise IdentifierError(
            "uscc_format", "统一社会信用代码应为 18 位，由数字和大写字母组成（不使用 I、O、S、V、Z）"
        )
    if code[0] not in USCC_REGISTERING_AUTHORITIES:
        raise IdentifierError("uscc_format", "统一社会信用代码第 1 位（登记管理部门代码）无效")
    if uscc_check_char(code[:17]) != code[17]:
        raise IdentifierError("uscc_check_digit", "统一社会信用代码校验位不正确，请核对后重新输入")
    if org_code_check_char(code[8:16]) != code[16]:
        raise IdentifierError("uscc_org_code_check", "统一社会信用代码第 9–17 位（组织机构代码）校验位不正确")
    # Province level only: development zones register with codes outside GB/T 2260 (e.g. 苏州工业园区).
    region = code[2:8]
    if region != _NATIONAL_CODE and f"{region[:2]}0000" not in _region_table():
        raise IdentifierError("uscc_region", "统一社会信用代码第 3–8 位不是有效的行政区划代码")
    return code


def _uscc_whitelist() -> frozenset[str]:
    return frozenset(_clean(c).upper() for c in getattr(settings, "YIWANG_USCC_WHITELIST", ()))


# ---------------------------------------------------------------------------------------------
# Mainland mobile numbers
# ---------------------------------------------------------------------------------------------

_MOBILE = re.compile(r"(?:\+?86|0086)?(1[3-9]\d{9})")


def normalize_mobile(value: str) -> str:
    """手机号码: 11 digits starting 13–19; a +86 / 86 / 0086 prefix and separators are dropped."""
    match = _MOBILE.fullmatch(_clean(value).replace("-", ""))
    if not match:
        raise IdentifierError("mobile_format", "手机号码应为 11 位中国大陆手机号")
    return match.group(1)


# ---------------------------------------------------------------------------------------------
# Django validators
# ---------------------------------------------------------------------------------------------


def validate_id_number(value: str) -> None:
    _as_validation_error(normalize_id_number, value)


def validate_uscc(value: str) -> None:
    _as_validation_error(normalize_uscc, value)


def validate_region_code(value: str) -> None:
    _as_validation_error(normalize_region_code, value)


def validate_mobile(value: str) -> None:
    _as_validation_error(normalize_mobile, value)


def _as_validation_error(normalize: Callable[[str], str], value: str) -> None:
    try:
        normalize(value)
    except IdentifierError as error:
        raise ValidationError(error.message, code=error.code) from error


def _clean(value: str) -> str:
    # NFKC turns full-width input (１１０１０５…Ｘ, common with Chinese IMEs) into ASCII.
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value)))
