"""The province loader (`seed_demo --scale province`) at a small size: counts, numbers, timelines, seeds."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count, F

from open12348.accounts.models import User
from open12348.audit.models import AuditEvent
from open12348.core.errors import ApplicationError
from open12348.legalaid import workflow
from open12348.legalaid.models import (
    Application,
    Assignment,
    Case,
    CaseEvent,
    CentreProfile,
    NumberSequence,
    Person,
    ProgressEntry,
)
from open12348.legalaid.province import COUNTY_USER, EVENT_KINDS, LAWYER_USER, PROVINCE_USER, province_seed
from open12348.legalaid.services import _next_number
from open12348.network.choices import InstitutionKind, PractitionerKind
from open12348.network.models import Institution, Practitioner, Region

pytestmark = pytest.mark.django_db

CASES = 300
NUMBER = re.compile(r"^.+法援〔20(19|2[0-6])〕第\d{5}号$")


@pytest.fixture
def province():
    return province_seed(seed=7, cases=CASES)


def _fingerprint() -> list[tuple]:
    """What a person would recognise, without ids: numbers, statuses, names, dates, timelines."""
    cases = Case.objects.order_by("number").values_list(
        "number", "status", "category", "assigned_at", "lawyer__licence_no", "application__applicant__name",
        "application__received_at",
    )
    events = CaseEvent.objects.order_by("case__number", "at", "id").values_list("case__number", "kind", "at")
    return [*cases, *events]


def test_network_covers_the_whole_province(province):
    assert Region.objects.filter(level="city", code__startswith="41").count() == 18
    counties = Region.objects.filter(level="county", code__startswith="41").count()
    assert counties == 181
    assert Region.objects.filter(level="township", code__startswith="41").count() == 2586
    centres = Institution.objects.filter(kind=InstitutionKind.LEGAL_AID_CENTRE)
    assert centres.count() == counties == province.counts["centres"]
    assert CentreProfile.objects.filter(centre__in=centres).count() == counties
    assert len(set(CentreProfile.objects.values_list("number_prefix", flat=True))) == counties
    lawyers = Practitioner.objects.filter(kind=PractitionerKind.LAWYER)
    assert lawyers.count() == province.counts["lawyers"]
    assert 300 <= Institution.objects.filter(kind=InstitutionKind.LAW_FIRM).count() <= 400
    assert not lawyers.filter(licence_no__regex=r"^(?!\d{17}$)").exists()  # every licence has 17 digits
    assert not lawyers.filter(name_initials="").exists()
    assert set(User.objects.values_list("username", flat=True)) >= {PROVINCE_USER, COUNTY_USER, LAWYER_USER}


def test_every_case_has_its_application_assignment_and_timeline(province):
    assert Case.objects.count() == Application.objects.count() == CASES
    assert province.counts["case"] == CASES
    assert not Case.objects.annotate(n=Count("assignments")).filter(n=0).exists()
    assert not Case.objects.annotate(n=Count("events")).filter(n=0).exists()
    assert not Application.objects.exclude(events__kind="received").exists()
    # exactly one current assignment per case, and it names the case's lawyer
    current = Assignment.objects.filter(ended_at__isnull=True)
    assert current.count() == CASES
    assert not current.exclude(lawyer_id=F("case__lawyer_id")).exists()
    # each progress event points at a progress entry of its own case, as progress_add writes it
    entries = dict(ProgressEntry.objects.values_list("id", "case_id"))
    progress_events = list(CaseEvent.objects.filter(kind="progress").values_list("case_id", "data"))
    assert len(progress_events) == len(entries)
    assert all(entries[data["entry"]] == case_id for case_id, data in progress_events)
    per_case = CaseEvent.objects.count() / CASES
    assert 5 <= per_case <= 11
    assert ProgressEntry.objects.count() >= CASES // 2
    assert Person.objects.count() <= CASES


def test_numbers_are_unique_well_formed_and_continue_in_the_live_sequence(province):
    numbers = list(Application.objects.values_list("number", flat=True))
    assert len(set(numbers)) == CASES
    assert all(NUMBER.match(n) for n in numbers)
    assert set(Case.objects.values_list("number", flat=True)) == set(numbers)
    # the next application a clerk registers does not reuse a generated number
    application = Application.objects.order_by("-received_at").select_related("centre").first()
    year = application.received_at.year
    issued = Application.objects.filter(centre=application.centre, number__contains=f"〔{year}〕").count()
    assert NumberSequence.objects.get(centre=application.centre, year=year, kind="application").last == issued
    assert _next_number(centre=application.centre, year=year) not in numbers


def test_statuses_are_mixed_and_follow_the_workflow(province):
    statuses = dict(Case.objects.values_list("status").annotate(n=Count("id")))
    assert statuses.get("subsidy_paid", 0) > CASES // 2
    assert set(statuses) & set(workflow.ACTIVE)
    assert len(statuses) >= 4
    action_of = {kind: action for action, kind in EVENT_KINDS.items()}
    for case in Case.objects.prefetch_related("events"):
        events = list(case.events.all())
        assert events[0].kind == "assigned" and events[0].to_status == "assigned"
        for event in events[1:]:  # every later step is a move the transition table allows
            if event.kind == "progress":
                assert event.to_status in workflow.WORKING
                continue
            sources, to = workflow.CASE_TRANSITIONS[action_of[event.kind]]
            assert event.from_status in sources and event.to_status == to, (case.number, event.kind)
        assert [e for e in events if e.kind != "progress"][-1].to_status == case.status


def test_encrypted_values_are_ciphertext_and_read_back(province):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id_number, phone FROM {Person._meta.db_table} LIMIT 5")  # noqa: S608 (model's table)
        rows = cursor.fetchall()
    assert all(not re.fullmatch(r"\d{17}[\dX]", id_number) for id_number, _phone in rows)
    person = Person.objects.first()
    assert re.fullmatch(r"41\d{15}[\dX]", person.id_number)
    assert re.fullmatch(r"1\d{10}", person.phone)
    application = Application.objects.exclude(channel="notification").first()
    assert application.facts and application.household["members"] >= 1


def test_one_summary_audit_row(province):
    rows = AuditEvent.objects.filter(action="demo.seed_province")
    assert rows.count() == 1
    assert rows.get().extra["case"] == CASES
    assert not AuditEvent.objects.filter(action__startswith="legalaid.").exists()  # no row per case


class _Rollback(Exception):
    def __init__(self, fingerprint: list[tuple]) -> None:
        self.fingerprint = fingerprint


def _seeded(seed: int) -> list[tuple]:
    """Load a small province, read its fingerprint and roll the whole load back."""
    with pytest.raises(_Rollback) as done, transaction.atomic():
        province_seed(seed=seed, cases=120)
        raise _Rollback(_fingerprint())
    return done.value.fingerprint


def test_the_same_seed_gives_the_same_province():
    first = _seeded(7)
    assert not Case.objects.exists()
    assert _seeded(7) == first
    assert _seeded(8) != first


def test_refuses_a_database_that_already_has_cases(province):
    before = Case.objects.count()
    with pytest.raises(ApplicationError) as refused:
        province_seed(seed=8, cases=10)
    assert refused.value.code == "not_empty"
    assert Case.objects.count() == before
    out = StringIO()
    call_command("seed_demo", "--scale", "province", "--cases", "10", "--if-empty", stdout=out)
    assert out.getvalue().strip()
    assert Case.objects.count() == before
    with pytest.raises(CommandError):
        call_command("seed_demo", "--scale", "province", "--cases", "10", stdout=StringIO())


def test_command_loads_the_province(settings):
    out = StringIO()
    call_command("seed_demo", "--scale", "province", "--cases", "50", "--seed", "3", stdout=out)
    assert Case.objects.count() == 50
    assert Case.objects.values("centre").distinct().count() > 10
