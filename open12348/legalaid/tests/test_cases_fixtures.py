"""Helpers for the case tests (no tests here): a centre with a law firm, lawyers, a fixed clock, and
applications granted or notified and waiting for a lawyer. Each test module declares the two
fixtures it uses, `clock` (a `Clock` on ASSIGNED_ON) and `data` (`world()`).

The clock is fixed by replacing `django.utils.timezone.now`, which `timezone.localdate()` also
reads, so every deadline the services compute starts from a known day on the legal-day clock.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from open12348.legalaid import services, services_cases
from open12348.legalaid.models import DeadlineRule, SubsidyStandard
from open12348.network.choices import InstitutionKind, PractitionerKind
from open12348.network.tests.factories import (
    InstitutionFactory,
    MembershipFactory,
    PractitionerFactory,
    SpecialtyFactory,
    UserFactory,
)

from .factories import centre_setup, id_number, wage_claim

# Monday 28 September 2026: five days on end in the National Day holiday (1–7 October 2026).
ASSIGNED_ON = dt.date(2026, 9, 28)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


class Clock:
    """`timezone.now()` answers what this clock says; `set` moves it."""

    def __init__(self, monkeypatch, day: dt.date) -> None:
        self.now = at(day)
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def set(self, day: dt.date, hour: int = 10) -> None:
        self.now = at(day, hour)

    @property
    def today(self) -> dt.date:
        return timezone.localdate(self.now)


def specialty(code: str, name: str):
    return SpecialtyFactory(code=code, name=name)


def lawyer(firm, *, name: str, username: str | None = None, specialties=(), since: int = 2012,
           kind: str = PractitionerKind.LAWYER, region=None):
    """A practitioner at `firm`; with `username`, also a signed-in lawyer account of that firm."""
    user = None
    if username:
        user = UserFactory(username=username)
        MembershipFactory(user=user, institution=firm, role="lawyer")
    person = PractitionerFactory(institution=firm, name=name, practice_since=since, kind=kind, user=user,
                                 **({"region": region} if region is not None else {}))
    if specialties:
        person.specialties.set(specialties)
    return person


def world() -> dict:
    """The 卫东区 centre and its staff (factories.centre_setup), a law firm in 卫东区 with two lawyers
    who have accounts (劳动争议 / 刑事辩护), a second firm, and the standard deadlines and subsidy."""
    data = centre_setup()
    regions = data["regions"]
    labour = specialty("labour", "劳动争议")
    criminal = specialty("criminal", "刑事辩护")
    women = specialty("women", "妇女权益")
    minors = specialty("minors", "未成年人保护")
    firm = InstitutionFactory(kind=InstitutionKind.LAW_FIRM, name="河南鹰城律师事务所", region=regions["weidong"],
                              phone="0375-2000001")
    other_firm = InstitutionFactory(kind=InstitutionKind.LAW_FIRM, name="河南中兴律师事务所",
                                    region=regions["weidong"])
    data.update(
        firm=firm, other_firm=other_firm,
        specialties={"labour": labour, "criminal": criminal, "women": women, "minors": minors},
        lawyer=lawyer(firm, name="王德洲", username="lawyer_wang", specialties=[labour], since=2010),
        other_lawyer=lawyer(other_firm, name="李秀英", username="lawyer_li", specialties=[criminal], since=2015),
    )
    for kind, days in (("assignment", 3), ("agreement", 5), ("closing", 30), ("subsidy", 30), ("no_progress", 30)):
        DeadlineRule.objects.update_or_create(kind=kind, defaults={"days": days})
    SubsidyStandard.objects.all().delete()
    for category, base, extra in (("civil", "1200.00", "200.00"), ("criminal", "1500.00", "200.00")):
        SubsidyStandard.objects.create(category=category, stage="", region_code="4104", base_amount=Decimal(base),
                                       per_extra_hearing=Decimal(extra), unqualified_factor=Decimal("0.5"),
                                       effective_from=dt.date(2020, 1, 1), source="测试标准")
    return data


def granted(data: dict, payload: dict | None = None, *, key: str = "") -> object:
    """A wage claim (CV-05, labour arbitration), registered and granted: waiting for a lawyer."""
    application = services.application_create(actor=data["window_staff"], centre=data["centre"], channel="window",
                                              **(payload or wage_claim()), idempotency_key=key or None)
    return services.application_decide(actor=data["director"], application=application, decision="grant",
                                       reasons="符合条件", override_reason="")


def notified(data: dict, *, matter: str = "CR-N-MINOR", name: str = "王小", first17: str = "41040320100101123",
             stage: str = "first_instance"):
    """A court's notification to provide a defence (Art. 25): no review, waiting for a lawyer."""
    payload = {
        "applicant": {"name": name, "id_number": id_number(first17)},
        "details": {"matter": matter, "category": "criminal", "aid_form": "criminal_defence", "stage": stage,
                    "cause": "盗窃", "handling_organ": "平顶山市卫东区人民法院"},
    }
    return services.application_create(actor=data["window_staff"], centre=data["centre"], channel="notification",
                                       notifying_organ="court", notice_number="卫法刑通〔2026〕8号", **payload)


def assigned(data: dict, application=None, *, lawyer=None, **kwargs):
    application = application or granted(data)
    return services_cases.case_assign(actor=data["director"], application=application,
                                      lawyer=lawyer or data["lawyer"], **kwargs)


def in_progress(data: dict, clock: Clock, application=None):
    """A case assigned, agreement signed and begun, by its lawyer."""
    case = assigned(data, application)
    services_cases.case_sign_agreement(actor=data["lawyer"].user, case=case, signed_on=clock.today)
    services_cases.case_begin(actor=data["lawyer"].user, case=case)
    case.refresh_from_db()
    return case


def full_checklist(case) -> dict[str, bool]:
    return {code: True for code, _label in services_cases.case_checklist(case)}


def closed(data: dict, clock: Clock, application=None, *, hearings: int = 1, checklist=None):
    case = in_progress(data, clock, application)
    services_cases.case_close(actor=data["lawyer"].user, case=case, how_ended="arbitral_award", ended_on=clock.today,
                              outcome="裁决支付工资36000元", amount_recovered="36000", people_aided=3,
                              hearings=hearings, checklist=full_checklist(case) if checklist is None else checklist)
    case.refresh_from_db()
    return case
