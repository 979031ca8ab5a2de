"""Citizen identity numbers (GB 11643-1999): check digit, birth date, sex and home region."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_PATTERN = re.compile(r"^\d{17}[\dX]$")


@dataclass(frozen=True)
class IdNumber:
    value: str
    region_code: str
    birth_date: date
    sex: str  # "M" or "F"


def check_digit(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def parse_id_number(raw: str) -> IdNumber:
    """Parse an 18-digit number or raise ValueError with the reason (in English, for logs)."""
    value = (raw or "").strip().upper()
    if not _PATTERN.match(value):
        raise ValueError("format")
    if check_digit(value[:17]) != value[17]:
        raise ValueError("check_digit")
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError as exc:
        raise ValueError("birth_date") from exc
    if born.year < 1900 or born > date.today():
        raise ValueError("birth_date")
    return IdNumber(
        value=value,
        region_code=value[:6],
        birth_date=born,
        sex="M" if int(value[16]) % 2 else "F",
    )
