"""Builders shared by the eligibility tests (pure Python, no database). No tests here: the name only
keeps it with the files it serves."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from open12348.core.idnumber import check_digit
from open12348.legalaid.eligibility import Applicant, Household, default_layers, default_thresholds

PDS_COUNTY = "410402"  # 平顶山市新华区
ZHENGZHOU_COUNTY = "410102"  # 郑州市中原区, outside Pingdingshan
BEIJING_COUNTY = "110105"  # outside Henan: no threshold in the defaults
ON = date(2026, 3, 2)


def id_number(born: date, *, sex: str = "M", region: str = PDS_COUNTY, serial: int = 1) -> str:
    """A valid 18-digit ID number: the 17th digit is odd for a man, even for a woman."""
    seq = serial * 2 + (1 if sex == "M" else 0)
    first17 = f"{region}{born:%Y%m%d}{seq:03d}"
    return first17 + check_digit(first17)


def person(born: date, sex: str = "M", *groups: str) -> Applicant:
    return Applicant(id_number=id_number(born, sex=sex), groups=frozenset(groups))


def declared(*groups: str, sex: str | None = None) -> Applicant:
    return Applicant(sex=sex, groups=frozenset(groups))


def household(members: int, income: str) -> Household:
    return Household(members=members, monthly_income=Decimal(income))


RICH = Household(members=1, monthly_income=Decimal("100000.00"))
POOR = Household(members=2, monthly_income=Decimal("1200.00"))  # 600 a head: passes every demo standard


def layers_with(*extra: dict) -> list[dict]:
    return [*default_layers(), *extra]


def thresholds() -> list[dict]:
    return default_thresholds()


def extra_province_layer() -> dict:
    """A province listing local matters under CV-09 and NM-05, as an administrator would add them."""
    return {
        "code": "HA-TEST",
        "title": "测试：省级规章增加的事项",
        "level": "province",
        "region_code": "41",
        "effective_from": "2026-01-01",
        "effective_to": None,
        "version": 1,
        "source": {"document": "测试规章", "verification": "R"},
        "rules": [
            {
                "code": "HA-TEST-CV09-INPUTS",
                "title": "农资损害赔偿",
                "source": {"document": "测试规章", "article": "第三条", "verification": "R"},
                "when": {"matters": ["CV-09.farm_inputs"]},
                "then": {"scope": True, "economic": "required"},
            },
            {
                "code": "HA-TEST-NM05-CARE",
                "title": "被遗弃儿童的监护权益",
                "source": {"document": "测试规章", "article": "第四条", "verification": "R"},
                "when": {"matters": ["NM-05.abandoned_child"]},
                "then": {"scope": True, "economic": "not_required"},
            },
        ],
    }
