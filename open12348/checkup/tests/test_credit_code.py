"""The credit code's check character (GB 32100-2015): pure functions, no database."""

import pytest

from open12348.checkup.credit_code import (
    ALPHABET,
    WEIGHTS,
    credit_code_check_char,
    credit_code_is_valid,
    credit_code_make,
    credit_code_problem,
)

# Codes of real, well-known registrations (published on their licences), and the standard's example.
REAL = ["91350100M000100Y43", "914403001922038216", "9144030071526726XG", "91110000100017643K"]


def test_the_alphabet_leaves_out_letters_that_look_like_digits():
    assert len(ALPHABET) == 31
    assert not set("IOZSV") & set(ALPHABET)
    assert WEIGHTS[:6] == (1, 3, 9, 27, 19, 26)  # 3^i mod 31


@pytest.mark.parametrize("code", REAL)
def test_real_codes_are_valid(code):
    assert credit_code_is_valid(code)
    assert credit_code_problem(code.lower()) is None  # typed in lower case
    assert credit_code_is_valid(f" {code[:6]} {code[6:]} ")  # typed in groups


@pytest.mark.parametrize("code, problem", [
    ("91350100M000100Y44", "check"),  # last character changed
    ("91350100M000100Y4", "length"),
    ("91350100M000100Y433", "length"),
    ("", "length"),
    ("91350100M0001O0Y43", "character"),  # the letter O is never used
    ("91350100M0001I0Y43", "character"),
    ("9135010!M000100Y43", "character"),
    ("91A50100M000100Y43", "division"),  # the region code is digits
    ("914403001922038261", "check"),  # two characters swapped
])
def test_wrong_codes_say_why(code, problem):
    assert credit_code_problem(code) == problem
    assert not credit_code_is_valid(code)


def test_a_check_of_31_is_written_0():
    first17 = next(f"91410403MA{n:07d}" for n in range(10_000) if credit_code_check_char(f"91410403MA{n:07d}") == "0")
    assert credit_code_is_valid(first17 + "0")


def test_make_gives_a_valid_code_and_rejects_bad_input():
    code = credit_code_make("91410403MA0000001")
    assert len(code) == 18 and credit_code_is_valid(code)
    with pytest.raises(ValueError):
        credit_code_check_char("91410403MA00000")
    with pytest.raises(ValueError):
        credit_code_check_char("91410403MA000000O")
