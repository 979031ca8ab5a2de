"""The facts an eligibility decision is made on: immutable, validated once, cheap to evaluate many times.

Construction validates and derives (age groups from the birth date, `woman` from the sex, the
birth date and sex from an 18-digit ID number). Every problem raises `EligibilityInputError`
naming the field as the public API spells it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _

from open12348.core.idnumber import parse_id_number

from .codes import (
    AGE_GROUPS,
    ELDERLY_AGE,
    MATTER_INFO,
    MINOR_AGE,
    OPEN_SUBTYPES,
    CaseCategory,
    Channel,
    Circumstance,
    Group,
)
from .errors import EligibilityInputError, interpolate
from .rules import strip_region_padding

_GROUPS = frozenset(Group.values)
_CATEGORIES = frozenset(CaseCategory.values)
_CHANNELS = frozenset(Channel.values)
_CIRCUMSTANCES = frozenset(Circumstance.values)
_REGION_LENGTHS = (2, 4, 6, 9, 12)
MAX_MONTHLY_INCOME = Decimal("1000000000")  # a typo guard, not a policy
MAX_MEMBERS = 100
MAX_TOKEN = 40


def normalise_region(raw: Any, *, field_name: str = "region") -> str:
    """A division code without its padding: '410000' → '41', '410400' → '4104', '410402' stays.

    Codes are 2, 4, 6, 9 or 12 digits (GB/T 2260 plus the statistical township and village parts);
    a layer for '41' applies to every code starting with '41'.
    """
    if not isinstance(raw, str) or not raw.isascii() or not raw.isdigit() or len(raw) not in _REGION_LENGTHS:
        raise EligibilityInputError(field_name, "invalid_region",
                                    _("Enter a division code of 2, 4, 6, 9 or 12 digits, e.g. 410402."))
    return strip_region_padding(raw)


def age_on(birth_date: date, on: date) -> int:
    """Whole years on `on`; a person reaches an age on their birthday (29 February: on 1 March)."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


@dataclass(frozen=True, slots=True)
class Applicant:
    birth_date: date | None = None
    sex: str | None = None  # "M" or "F"
    groups: frozenset[str] = frozenset()
    id_number: str | None = None

    def __post_init__(self) -> None:
        groups = self.groups
        if isinstance(groups, str) or not all(isinstance(g, str) for g in groups):
            raise EligibilityInputError("applicant.groups", "invalid_groups", _("Groups must be a list of codes."))
        groups = frozenset(groups)
        unknown = sorted(groups - _GROUPS)
        if unknown:
            raise EligibilityInputError("applicant.groups", "unknown_group",
                                        interpolate(_("Unknown applicant group: %(codes)s."),
                                                    {"codes": ", ".join(unknown)}))
        object.__setattr__(self, "groups", groups)
        if self.sex not in (None, "M", "F"):
            raise EligibilityInputError("applicant.sex", "invalid_sex", _("Sex must be M or F."))
        if self.birth_date is not None and not isinstance(self.birth_date, date):
            raise EligibilityInputError("applicant.birth_date", "invalid_date",
                                        _("Enter the birth date as YYYY-MM-DD."))
        if self.id_number:
            try:
                parsed = parse_id_number(self.id_number)
            except ValueError as exc:
                raise EligibilityInputError("applicant.id_number", "invalid_id_number",
                                            _("The ID number is not a valid 18-digit citizen ID number.")) from exc
            if self.birth_date is not None and self.birth_date != parsed.birth_date:
                raise EligibilityInputError("applicant.birth_date", "id_mismatch",
                                            _("The birth date does not match the ID number."))
            if self.sex is not None and self.sex != parsed.sex:
                raise EligibilityInputError("applicant.sex", "id_mismatch", _("The sex does not match the ID number."))
            object.__setattr__(self, "id_number", parsed.value)
            object.__setattr__(self, "birth_date", parsed.birth_date)
            object.__setattr__(self, "sex", parsed.sex)
        elif self.id_number is not None:
            object.__setattr__(self, "id_number", None)


@dataclass(frozen=True, slots=True)
class Household:
    members: int
    monthly_income: Decimal

    def __post_init__(self) -> None:
        if isinstance(self.members, bool) or not isinstance(self.members, int):
            raise EligibilityInputError("household.members", "invalid_members",
                                        _("The number of household members must be a whole number."))
        if not 1 <= self.members <= MAX_MEMBERS:
            raise EligibilityInputError("household.members", "invalid_members",
                                        interpolate(_("A household has between 1 and %(max)d members."),
                                                    {"max": MAX_MEMBERS}))
        object.__setattr__(self, "monthly_income", _amount(self.monthly_income, "household.monthly_income"))


def _amount(raw: Any, field_name: str) -> Decimal:
    message = _("Enter the monthly income as an amount in yuan, e.g. 2500.00.")
    if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal):
        raise EligibilityInputError(field_name, "invalid_amount", message)
    try:
        value = raw if isinstance(raw, Decimal) else Decimal(str(raw).strip())
    except InvalidOperation as exc:
        raise EligibilityInputError(field_name, "invalid_amount", message) from exc
    if not value.is_finite():
        raise EligibilityInputError(field_name, "invalid_amount", message)
    if value < 0:
        raise EligibilityInputError(field_name, "negative_amount", _("The monthly income cannot be negative."))
    if value > MAX_MONTHLY_INCOME:
        raise EligibilityInputError(field_name, "invalid_amount", _("The monthly income is too large."))
    return value


@dataclass(frozen=True, slots=True)
class Facts:
    matter: str
    region_code: str
    on: date
    applicant: Applicant = field(default_factory=Applicant)
    household: Household | None = None
    subtype: str | None = None
    channel: str | None = None
    retrial_ordered: bool = False  # Art. 33: the court decided/ruled to retry, or the procuratorate protested
    other_counsel: bool = False  # a lawyer or agent is already hired for this matter
    category: str | None = None  # None: the matter's default category
    circumstances: frozenset[str] = frozenset()
    # Derived in __post_init__:
    groups: frozenset[str] = field(init=False)  # declared groups plus minor/elderly/woman
    age: int | None = field(init=False)

    def __post_init__(self) -> None:
        info = MATTER_INFO.get(self.matter) if isinstance(self.matter, str) else None
        if info is None:
            raise EligibilityInputError("matter", "unknown_matter", _("Unknown matter code."))
        object.__setattr__(self, "matter", info.code)
        self._check_subtype(info)
        object.__setattr__(self, "region_code", normalise_region(self.region_code))
        if type(self.on) is not date:  # a datetime is not a date here
            raise EligibilityInputError("date", "invalid_date", _("Enter the date as YYYY-MM-DD."))
        if not isinstance(self.applicant, Applicant):
            raise EligibilityInputError("applicant", "invalid", _("Applicant details are missing."))
        if self.household is not None and not isinstance(self.household, Household):
            raise EligibilityInputError("household", "invalid", _("Household details are not valid."))
        if self.channel is not None and self.channel not in _CHANNELS:
            raise EligibilityInputError("channel", "unknown_channel", _("Unknown application channel."))
        category = self.category if self.category is not None else info.category
        if category not in _CATEGORIES:
            raise EligibilityInputError("category", "unknown_category", _("Unknown case category."))
        object.__setattr__(self, "category", category)
        circumstances = frozenset(self.circumstances)
        if circumstances - _CIRCUMSTANCES:
            raise EligibilityInputError("circumstances", "unknown_circumstance", _("Unknown circumstance code."))
        if self.retrial_ordered:
            circumstances |= {Circumstance.RETRIAL_ORDERED.value}
        object.__setattr__(self, "circumstances", circumstances)
        object.__setattr__(self, "retrial_ordered", bool(self.retrial_ordered))
        object.__setattr__(self, "other_counsel", bool(self.other_counsel))
        self._derive_groups()

    def _check_subtype(self, info) -> None:
        subtype = self.subtype
        if subtype in (None, ""):
            object.__setattr__(self, "subtype", None)
            return
        if info.subtypes is OPEN_SUBTYPES:
            ok = isinstance(subtype, str) and 0 < len(subtype) <= MAX_TOKEN and subtype.isascii() and \
                subtype.replace("_", "").isalnum() and subtype.islower()
        else:
            ok = subtype in info.subtypes
        if not ok:
            raise EligibilityInputError("subtype", "unknown_subtype", _("This sub-type does not exist for the matter."))

    def _derive_groups(self) -> None:
        applicant, groups = self.applicant, set(self.applicant.groups)
        age = None
        if applicant.birth_date is not None:
            if applicant.birth_date > self.on:
                raise EligibilityInputError("date", "before_birth", _("The date is before the applicant's birth date."))
            age = age_on(applicant.birth_date, self.on)
            declared_age_groups = groups & AGE_GROUPS
            derived = {Group.MINOR.value} if age < MINOR_AGE else set()
            if age >= ELDERLY_AGE:
                derived.add(Group.ELDERLY.value)
            allowed = derived | ({Group.THREE_NO_ELDERLY.value} if age >= ELDERLY_AGE else set())
            if declared_age_groups - allowed:
                raise EligibilityInputError("applicant.groups", "contradicts_age",
                                            _("A declared group does not match the applicant's age."))
            groups |= derived
        if applicant.sex == "F":
            groups.add(Group.WOMAN.value)
        elif applicant.sex == "M" and Group.WOMAN.value in groups:
            raise EligibilityInputError("applicant.groups", "contradicts_sex",
                                        _("A declared group does not match the applicant's sex."))
        object.__setattr__(self, "groups", frozenset(groups))
        object.__setattr__(self, "age", age)

    @classmethod
    def from_dict(cls, data: Any) -> Facts:
        """Build facts from the public pre-check's JSON; every field's problem is reported at once.

        {"matter", "subtype"?, "region", "date", "applicant": {"id_number"?, "birth_date"?, "sex"?,
        "groups": [...]}, "household": {"members", "monthly_income"}?, "channel"?, "category"?,
        "retrial_ordered"?, "other_counsel"?}
        """
        if not isinstance(data, dict):
            raise EligibilityInputError("non_field_errors", "invalid", _("Send a JSON object."))
        errors: list[tuple[str, str, object]] = []

        def attempt(build):
            try:
                return build()
            except EligibilityInputError as exc:
                errors.extend(exc.errors)
                return None

        on = attempt(lambda: _date(data.get("date"), "date", required=True))
        raw_applicant = data.get("applicant") or {}
        applicant = None
        if not isinstance(raw_applicant, dict):
            errors.append(("applicant", "invalid", _("Applicant details must be an object.")))
        else:
            applicant = attempt(lambda: Applicant(
                birth_date=_date(raw_applicant.get("birth_date"), "applicant.birth_date"),
                sex=raw_applicant.get("sex") or None,
                groups=_list(raw_applicant.get("groups"), "applicant.groups"),
                id_number=raw_applicant.get("id_number") or None,
            ))
        raw_household = data.get("household")
        household = None
        if raw_household is not None:
            if not isinstance(raw_household, dict):
                errors.append(("household", "invalid", _("Household details must be an object.")))
            else:
                household = attempt(lambda: Household(members=raw_household.get("members"),
                                                      monthly_income=raw_household.get("monthly_income")))
        if not isinstance(data.get("matter"), str) or data["matter"] not in MATTER_INFO:
            errors.append(("matter", "unknown_matter", _("Unknown matter code.")))
        attempt(lambda: normalise_region(data.get("region")))
        for flag in ("retrial_ordered", "other_counsel"):
            if not isinstance(data.get(flag, False), bool):
                errors.append((flag, "invalid", _("Enter true or false.")))
        if errors or on is None or applicant is None:
            field_name, code, message = errors[0]
            raise EligibilityInputError(field_name, code, message, errors=tuple(errors))
        return cls(
            matter=data["matter"],
            subtype=data.get("subtype") or None,
            region_code=data["region"],
            on=on,
            applicant=applicant,
            household=household,
            channel=data.get("channel") or None,
            category=data.get("category") or None,
            retrial_ordered=data.get("retrial_ordered", False),
            other_counsel=data.get("other_counsel", False),
        )


def _date(raw: Any, field_name: str, *, required: bool = False) -> date | None:
    if raw in (None, ""):
        if required:
            raise EligibilityInputError(field_name, "required", _("This field is required."))
        return None
    if type(raw) is date:
        return raw
    try:
        if isinstance(raw, str) and len(raw) == 10:
            return date.fromisoformat(raw)
    except ValueError:
        pass
    raise EligibilityInputError(field_name, "invalid_date", _("Enter the date as YYYY-MM-DD."))


def _list(raw: Any, field_name: str) -> frozenset[str]:
    if raw is None:
        return frozenset()
    if not isinstance(raw, list | tuple) or not all(isinstance(item, str) for item in raw):
        raise EligibilityInputError(field_name, "invalid_groups", _("Groups must be a list of codes."))
    return frozenset(raw)
