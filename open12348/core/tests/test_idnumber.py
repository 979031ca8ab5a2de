from datetime import date

import pytest

from open12348.core.idnumber import check_digit, parse_id_number


def make(first17: str) -> str:
    return first17 + check_digit(first17)


def test_a_valid_number_yields_birth_date_sex_and_region():
    parsed = parse_id_number(make("41040219850317123"))
    assert parsed.region_code == "410402"
    assert parsed.birth_date == date(1985, 3, 17)
    assert parsed.sex == "M"  # 17th digit 3 is odd


def test_even_seventeenth_digit_is_female_and_x_check_digit_is_accepted_in_lower_case():
    # 11010519491231002X is the standard's own worked example.
    parsed = parse_id_number("11010519491231002x")
    assert parsed.value == "11010519491231002X"
    assert parsed.sex == "F"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("4104021985031712", "format"),
        ("41040219850317123A", "format"),
        ("410402198503171230", "check_digit"),
        (make("41040219851317123"), "birth_date"),
        (make("41040218000101123"), "birth_date"),
    ],
)
def test_invalid_numbers_say_why(value, reason):
    if reason == "check_digit" and check_digit(value[:17]) == value[17]:
        value = value[:17] + ("1" if value[17] != "1" else "2")
    with pytest.raises(ValueError, match=reason):
        parse_id_number(value)
