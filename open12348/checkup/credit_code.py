"""The unified social credit code (统一社会信用代码) of GB 32100-2015: 18 characters, the last a check
character computed from the first 17.

Layout: 1 registration authority (登记管理部门码), 1 organisation category (机构类别码), 6 the
administrative division (登记管理机关行政区划码, digits), 9 the subject identifier (主体标识码, the
organisation code of GB 11714), 1 the check character. Characters are the digits and the capital
letters without I, O, Z, S and V (31 in all); the check is 31 − (Σ value × 3^i mod 31) mod 31, where
i counts the positions from 0, and 31 itself is written 0.

Pure functions, no Django: `credit_code_check_char`, `credit_code_problem`, `credit_code_is_valid`.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {char: value for value, char in enumerate(ALPHABET)}
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28
LENGTH = 18


def normalise(code: str) -> str:
    """Upper case without spaces: what people type is often lower case or spaced in groups."""
    return "".join((code or "").split()).upper()


def credit_code_check_char(first17: str) -> str:
    """The check character of the 17 characters before it. Raises ValueError on a wrong character."""
    first17 = normalise(first17)
    if len(first17) != LENGTH - 1:
        raise ValueError("17 characters are needed")
    try:
        total = sum(VALUES[char] * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    except KeyError as exc:
        raise ValueError(f"character {exc.args[0]!r} is not used in credit codes") from exc
    return ALPHABET[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> str | None:
    """Why `code` is not a valid credit code (a short English key), or None when it is valid.

    Keys: "length", "character", "division", "check".
    """
    code = normalise(code)
    if len(code) != LENGTH:
        return "length"
    if any(char not in VALUES for char in code):
        return "character"
    if not code[2:8].isdigit():
        return "division"
    if credit_code_check_char(code[:17]) != code[17]:
        return "check"
    return None


def credit_code_is_valid(code: str) -> bool:
    return credit_code_problem(code) is None


def credit_code_make(first17: str) -> str:
    """The full code for 17 characters (demo data and tests)."""
    first17 = normalise(first17)
    return first17 + credit_code_check_char(first17)
