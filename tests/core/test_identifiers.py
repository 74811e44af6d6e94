from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from yiwang.core.errors import DomainError
from yiwang.core.identifiers import (
    IdentifierError,
    id_number_birth_date,
    id_number_check_char,
    id_number_sex,
    known_region_codes,
    normalize_id_number,
    normalize_mobile,
    normalize_region_code,
    normalize_uscc,
    org_code_check_char,
    region_name,
    uscc_check_char,
    validate_id_number,
    validate_mobile,
    validate_region_code,
    validate_uscc,
)

TODAY = date(2026, 11, 23)


def with_check(first17: str) -> str:
    return first17 + id_number_check_char(first17)


def rejected(normalize, value: str, **kwargs) -> str:
    with pytest.raises(IdentifierError) as caught:
        normalize(value, **kwargs)
    return caught.value.code


# --- 公民身份号码 -------------------------------------------------------------------------------


def test_id_number_from_the_standard_passes():
    assert normalize_id_number("11010519491231002X") == "11010519491231002X"


def test_id_number_with_lowercase_x_is_accepted_and_upper_cased():
    assert normalize_id_number("11010519491231002x") == "11010519491231002X"


def test_id_number_typed_full_width_or_spaced_is_normalised():
    assert normalize_id_number("１１０１０５ １９４９１２３１ ００２Ｘ") == "11010519491231002X"


def test_id_number_with_wrong_check_digit_is_rejected():
    assert rejected(normalize_id_number, "110105194912310021") == "id_number_check_digit"


@pytest.mark.parametrize(
    "value", ["1101051949123100", "110105194912310", "11010519491231002Y", "A1010519491231002X"]
)
def test_id_number_with_wrong_length_or_characters_is_rejected(value):
    assert rejected(normalize_id_number, value) == "id_number_format"


def test_id_number_with_february_30_is_rejected():
    assert rejected(normalize_id_number, with_check("11010520010230001")) == "id_number_birth_date"


def test_id_number_born_before_1900_is_rejected():
    assert rejected(normalize_id_number, with_check("11010518991231001")) == "id_number_birth_date"


def test_id_number_born_in_the_future_is_rejected():
    number = with_check("11010520261124001")
    assert rejected(normalize_id_number, number, today=TODAY) == "id_number_birth_date"
    assert normalize_id_number(number, today=date(2026, 11, 24)) == number


def test_id_number_with_unknown_region_is_rejected():
    assert rejected(normalize_id_number, with_check("99999919800101001")) == "id_number_region"


def test_id_number_with_abolished_region_code_is_accepted():
    # 120225 蓟县 became 蓟州区 (120119) in 2016; numbers issued before keep the old code.
    assert normalize_id_number(with_check("12022519800101003")) == "120225198001010035"


def test_id_number_of_taiwan_residence_permit_is_accepted():
    assert normalize_id_number(with_check("83000019900101002")) == "830000199001010020"


def test_id_number_birth_date_and_sex_are_read_from_the_number():
    assert id_number_birth_date("11010519491231002X") == date(1949, 12, 31)
    assert id_number_sex("11010519491231002X") == "F"  # sequence 002, even
    assert id_number_sex(with_check("11010519800101001")) == "M"


@st.composite
def valid_id_numbers(draw: st.DrawFn) -> str:
    region = draw(st.sampled_from(sorted(known_region_codes())))
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
    sequence = draw(st.integers(min_value=0, max_value=999))
    return with_check(f"{region}{born:%Y%m%d}{sequence:03d}")


@given(number=valid_id_numbers(), position=st.integers(min_value=0, max_value=17), data=st.data())
def test_id_number_property_valid_passes_and_any_single_character_change_fails(number, position, data):
    assert normalize_id_number(number, today=TODAY) == number
    alphabet = "0123456789X" if position == 17 else "0123456789"
    replacement = data.draw(st.sampled_from([c for c in alphabet if c != number[position]]))
    changed = number[:position] + replacement + number[position + 1 :]
    # Weights are non-zero mod 11, so one changed digit always breaks the check digit, which is
    # verified before the date and the region.
    assert rejected(normalize_id_number, changed, today=TODAY) == "id_number_check_digit"


# --- 统一社会信用代码 ---------------------------------------------------------------------------

# Public codes, each recomputed here (both check characters). Attributions as widely published;
# not verified against the national registry.
VALID_USCCS = [
    "91110000802100433B",  # 北京百度网讯科技有限公司 (organisation code 80210043-3)
    "914403001922038216",  # 华为技术有限公司
    "91440300708461136T",  # 腾讯科技（深圳）有限公司
    "91110108551385082Q",  # 小米科技有限责任公司
    "91330100799655058B",  # 阿里巴巴（中国）有限公司
    "11100000000013338W",  # 中华人民共和国住房和城乡建设部 (region 100000 = national)
    "91110000600037341L",  # python-stdnum's documented example
]


@pytest.mark.parametrize("code", VALID_USCCS)
def test_uscc_with_both_check_characters_right_passes(code):
    assert uscc_check_char(code[:17]) == code[17]
    assert org_code_check_char(code[8:16]) == code[16]
    assert normalize_uscc(code) == code


def test_uscc_in_lower_case_with_spaces_is_normalised():
    assert normalize_uscc(" 91440300708461136t ") == "91440300708461136T"


def test_uscc_with_wrong_check_character_is_rejected():
    assert rejected(normalize_uscc, "91110000802100433C") == "uscc_check_digit"


def test_uscc_with_bad_embedded_organisation_code_is_rejected():
    # Org check changed 3 → 4 and the USCC check recomputed, so only GB 11714's check fails.
    code = "91110000802100434E"
    assert uscc_check_char(code[:17]) == code[17]
    assert rejected(normalize_uscc, code) == "uscc_org_code_check"


def test_uscc_with_unknown_province_is_rejected():
    code = "919900008021004332"
    assert uscc_check_char(code[:17]) == code[17]
    assert rejected(normalize_uscc, code) == "uscc_region"


@pytest.mark.parametrize(
    "value",
    [
        "9111000080210043B",  # 17 characters
        "91110000802100433BB",  # 19 characters
        "9111000080210O433B",  # O is not in the alphabet
        "91A10000802100433B",  # region must be digits
        "01110000802100433B",  # 0 is no registering authority
    ],
)
def test_uscc_with_bad_format_is_rejected(value):
    assert rejected(normalize_uscc, value) == "uscc_format"


def test_uscc_pilot_code_failing_the_check_passes_only_when_whitelisted(settings):
    pilot = "91350100M0001TGQXM"  # the standard's example of a 2015 pilot code that fails the check
    assert rejected(normalize_uscc, pilot) == "uscc_check_digit"
    settings.YIWANG_USCC_WHITELIST = ["91350100m0001tgqxm"]
    assert normalize_uscc(pilot) == pilot


# --- 行政区划代码 -------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["110105", "330000", "330100", "120225", "511602000000", "100000"])
def test_region_code_in_gb_t_2260_passes(code):
    assert normalize_region_code(code) == code


@pytest.mark.parametrize("code", ["999999", "119999", "999999000000"])
def test_region_code_not_in_gb_t_2260_is_rejected(code):
    assert rejected(normalize_region_code, code) == "region_code_unknown"


@pytest.mark.parametrize("code", ["11010", "1101050", "11010500000A", "浙江"])
def test_region_code_with_bad_format_is_rejected(code):
    assert rejected(normalize_region_code, code) == "region_code_format"


def test_region_name_uses_the_latest_name_and_can_join_the_levels():
    assert region_name("110105") == "朝阳区"
    assert region_name("120110") == "东丽区"  # 东郊区 until 1991
    assert region_name("110105", full=True) == "北京市朝阳区"
    assert region_name("330106", full=True) == "浙江省杭州市西湖区"
    assert region_name("511602000000") == "广安区"
    assert region_name("999999") is None


# --- 手机号码 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["13812345678", "+86 138 1234 5678", "8613812345678", "0086-138-1234-5678", "１３８１２３４５６７８"],
)
def test_mobile_with_country_prefix_or_separators_is_normalised(value):
    assert normalize_mobile(value) == "13812345678"


@pytest.mark.parametrize(
    "value", ["12812345678", "1381234567", "138123456789", "+85261234567", "1381234567a"]
)
def test_mobile_not_a_mainland_number_is_rejected(value):
    assert rejected(normalize_mobile, value) == "mobile_format"


# --- Errors and Django validators ---------------------------------------------------------------


def test_identifier_error_is_a_domain_error_with_status_422_and_chinese_message():
    with pytest.raises(DomainError) as caught:
        normalize_id_number("110105194912310021")
    assert caught.value.status == 422
    assert "校验位" in caught.value.message


@pytest.mark.parametrize(
    ("validator", "valid", "invalid", "code"),
    [
        (validate_id_number, "11010519491231002X", "110105194912310021", "id_number_check_digit"),
        (validate_uscc, "91110000802100433B", "91110000802100433C", "uscc_check_digit"),
        (validate_region_code, "330100", "999999", "region_code_unknown"),
        (validate_mobile, "13812345678", "12812345678", "mobile_format"),
    ],
)
def test_django_validator_raises_validation_error_with_the_code(validator, valid, invalid, code):
    validator(valid)
    with pytest.raises(ValidationError) as caught:
        validator(invalid)
    assert caught.value.code == code
