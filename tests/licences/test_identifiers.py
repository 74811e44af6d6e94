"""证照标识 (GB/T 36904) and its ISO 7064 MOD 37,36 check character, against identifiers in real use."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.iso7064 import mod_37_36

from yiwang.licences.identifiers import (
    ALPHABET,
    LicenceIdentifierError,
    build_identifier,
    check_character,
    parse_identifier,
)

# Identifiers found in public code and documents (STANDARDS.md §3), each with its own check character.
REAL_IDENTIFIERS = [
    # The example of the MOHURD 建筑施工企业安全生产管理人员考核合格证书 e-licence standard, Appendix A.2,
    # in two versions.
    "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U",
    "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.002.S",
    # A Zhejiang investment-project e-licence file name (issuer 11330105002500287C, 10-digit serial).
    "1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0",
    # Test data of a Shandong completion-record (竣工验收备案) system, 20-digit serial.
    "1.2.156.3005.2.11100000000013338W087.11370800MB28559184.37080001202411010001.001.3",
    # A Hefei integration: a region code as the issuer part.
    "1.2.156.3005.2.11100000MB03271699022.340100.000000016.001.9",
]


@pytest.mark.parametrize("identifier", REAL_IDENTIFIERS)
def test_real_identifiers_pass_their_check_character(identifier):
    assert str(parse_identifier(identifier)) == identifier


def test_the_standard_example_splits_into_its_parts():
    parsed = parse_identifier(REAL_IDENTIFIERS[0])
    assert parsed.type_code == "11100000000013338W011"
    assert parsed.issuer_code == "11430000006122244L"
    assert parsed.serial == "20230000403"
    assert parsed.version == "001"
    assert parsed.check == "U"


def test_build_gives_back_the_standard_example():
    assert (
        build_identifier("11100000000013338W011", "11430000006122244L", "20230000403", 1)
        == REAL_IDENTIFIERS[0]
    )
    assert (
        build_identifier("11100000000013338W011", "11430000006122244L", "20230000403", "002")
        == REAL_IDENTIFIERS[1]
    )


def test_a_placeholder_with_a_wrong_check_character_is_refused():
    # A swagger example in a provincial sharing client: a made-up identifier whose check should be D.
    placeholder = (
        "1.2.156.3005.2.11100000000013661B006.113700000045046442.209FA4E88F9E4C878F3E9BED2CE7EA49.001.M"
    )
    with pytest.raises(LicenceIdentifierError) as error:
        parse_identifier(placeholder)
    assert error.value.code == "licence_identifier_check"
    assert str(parse_identifier(placeholder[:-1] + "D")).endswith(".D")


def test_a_wrong_check_character_is_refused_with_a_chinese_message():
    with pytest.raises(LicenceIdentifierError) as error:
        parse_identifier(REAL_IDENTIFIERS[0][:-1] + "V")
    assert error.value.code == "licence_identifier_check"
    assert "校验位" in error.value.message


@pytest.mark.parametrize(
    "value",
    [
        "",
        "1.2.156.3005.1.11100000000013338W011.11430000006122244L.20230000403.001.U",  # wrong prefix
        "1.2.156.3005.2.11100000000013338W011.11430000006122244L.001.U",  # a part missing
        "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.1.U",  # version not 3 digits
        "1.2.156.3005.2.11100000000013338W011.11430000006122244L.2023-0000403.001.U",  # not alphanumeric
        "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.UU",
        "1.2.156.3005.2." + "A" * 120,
    ],
)
def test_malformed_identifiers_are_refused(value):
    with pytest.raises(LicenceIdentifierError) as error:
        parse_identifier(value)
    assert error.value.code == "licence_identifier_format"


def test_lower_case_input_is_accepted_as_upper_case():
    assert str(parse_identifier(REAL_IDENTIFIERS[0].lower())) == REAL_IDENTIFIERS[0]


_bodies = st.text(alphabet=ALPHABET, min_size=1, max_size=60)


@given(_bodies)
def test_check_character_agrees_with_python_stdnum(body):
    assert check_character(body) == mod_37_36.calc_check_digit(body, alphabet=ALPHABET)


@given(_bodies, st.data())
def test_any_single_substituted_character_is_detected(body, data):
    position = data.draw(st.integers(0, len(body) - 1))
    replacement = data.draw(st.sampled_from(ALPHABET).filter(lambda c: c != body[position]))
    changed = body[:position] + replacement + body[position + 1 :]
    assert check_character(changed) != check_character(body)
