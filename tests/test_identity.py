from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.strategies import independent_check, phones, resident_id_text

from community_care import InvalidInputError, PhoneNumber, ResidentId, mask_name
from community_care.identity import check_character

VALID = "11010519491231002X"


def test_known_number_parses_with_birth_date_sex_region() -> None:
    rid = ResidentId.parse(VALID)
    assert rid.birth_date == date(1949, 12, 31)
    assert rid.sex.value == "female"
    assert rid.region_code == "110105"
    assert rid.masked == "110***********002X"


def test_lower_case_x_and_whitespace_are_normalised() -> None:
    assert ResidentId.parse("\u3000 11010519491231002x \n").value == VALID


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("11010519491231002", "18-character"),  # 17 characters
        ("110105194912310021X", "18-character"),
        ("110105491231002", "18-character"),  # old 15-digit number
        ("１１010519491231002X", "full-width"),  # full-width digits are not normalised
        ("11010519491231002Y", "check character 0-9 or X"),
        ("110105194912310021", "wrong check character"),
        ("10010519491231002X", "province-level"),
        ("11010519490230002X", "impossible birth date"),
        ("11010518991231002X", "before 1900"),
        ("", "18-character"),
        ("1101051949123100 2", "check character 0-9 or X"),
    ],
)
def test_invalid_numbers_are_rejected_clearly(text: str, fragment: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        ResidentId.parse(text)
    assert fragment in str(info.value)
    assert text.strip() not in str(info.value) or not text.strip()


def test_non_string_is_rejected() -> None:
    with pytest.raises(InvalidInputError, match="as a string"):
        ResidentId.parse(11010519491231002)  # type: ignore[arg-type]  # the wrong type is the test
    with pytest.raises(InvalidInputError, match="as a string"):
        PhoneNumber.parse(13812345678)  # type: ignore[arg-type]  # same


def test_birth_date_after_on_is_rejected() -> None:
    with pytest.raises(InvalidInputError, match="after 1949-12-30"):
        ResidentId.parse(VALID, on=date(1949, 12, 30))
    assert ResidentId.parse(VALID, on=date(1949, 12, 31)).value == VALID


def test_check_character_requires_17_digits() -> None:
    with pytest.raises(InvalidInputError):
        check_character("123")


@given(resident_id_text())
def test_check_character_agrees_with_independent_computation(text: str) -> None:
    assert check_character(text[:17]) == independent_check(text[:17])
    rid = ResidentId.parse(text)
    assert rid.value == text
    assert rid.sex.value == ("male" if int(text[16]) % 2 else "female")
    assert rid.birth_date.strftime("%Y%m%d") == text[6:14]


@given(resident_id_text(), st.integers(0, 9))
def test_a_changed_check_character_is_rejected(text: str, digit: int) -> None:
    wrong = str(digit) if text[17] != str(digit) else "X" if text[17] != "X" else "0"
    with pytest.raises(InvalidInputError):
        ResidentId.parse(text[:17] + wrong)


@given(resident_id_text())
def test_masked_forms_never_contain_the_number(text: str) -> None:
    rid = ResidentId.parse(text)
    for rendering in (repr(rid), str(rid), rid.masked, f"{rid}"):
        assert text not in rendering
        assert text[3:14] not in rendering
    assert rid.masked == text[:3] + "*" * 11 + text[-4:]


@given(phones)
def test_phone_masks(text: str) -> None:
    p = PhoneNumber.parse(text)
    assert p.masked == text[:3] + "****" + text[-4:]
    assert text not in repr(p) and text not in str(p)


@pytest.mark.parametrize("text", ["12812345678", "1381234567", "138123456789", "１3812345678"])
def test_bad_phones_are_rejected_without_echo(text: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        PhoneNumber.parse(text)
    assert text not in str(info.value)


@given(st.text(min_size=0, max_size=8))
def test_mask_name_keeps_only_the_first_character(name: str) -> None:
    masked = mask_name(name)
    assert len(masked) == len(name)
    if len(name) > 1:
        assert masked[0] == name[0] and set(masked[1:]) == {"*"}
    else:
        assert masked == "*" * len(name)
