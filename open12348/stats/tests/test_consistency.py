"""The consistency check passes after any sequence of creates, updates and deletes (hypothesis
chooses the sequence), with sweeps at random moments in between: the incremental tallies always
equal a direct count of the records. The records: applications (with or without a township of
residence, which may lie outside their county), cases moved between counties, and the quality
grades, supervision tickets and evaluations of those cases, and outreach activities."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from open12348.education.models import Activity
from open12348.legalaid.models import Application, Case, Person
from open12348.legalaid.tests.factories import centre_setup
from open12348.network.choices import RegionLevel
from open12348.network.tests.factories import make_region
from open12348.quality.models import CaseGrade, Evaluation, Scheme, Ticket
from open12348.stats.models import Contribution, Tally, Watermark
from open12348.stats.services import stats_check, stats_sweep
from open12348.stats.sources import SOURCES

pytestmark = pytest.mark.django_db

_numbers = itertools.count(1)
DAY = dt.date(2026, 3, 2)
CHANNELS = st.sampled_from(["window", "online", "hotline", "workstation"])
CATEGORIES = st.sampled_from(["civil", "criminal", "administrative"])
GROUPS = st.lists(st.sampled_from(["migrant_worker", "elderly", "woman", "minor", "disabled"]), max_size=3)
STATUS = st.sampled_from([("received", ""), ("approved", "grant"), ("rejected", "refuse"), ("withdrawn", ""),
                          ("withdrawn_deemed", "")])
CASE_STATUS = st.sampled_from(["assigned", "in_progress", "closed", "archived", "terminated"])
GRADES = st.sampled_from([("优秀", 92), ("良好", 81), ("合格", 66), ("不合格", 40)])
# index into the townships: 卫东区's two, 新华区's one, or none
RESIDENCE = st.integers(0, 3)


class Tallies(RuleBasedStateMachine):
    def __init__(self, world: dict):
        super().__init__()
        self.world = world
        regions = world["regions"]
        self.regions = [regions["weidong"], regions["xinhua"]]
        self.townships = [regions["weidong_township"], make_region("410403002", "五一路街道", RegionLevel.TOWNSHIP,
                                                                   regions["weidong"]), regions["xinhua_township"], None]
        self.swept = False

    def now(self) -> dt.datetime:
        """The moment a quality record carries (it has no `updated_at`: the sweep finds it by this)."""
        return timezone.now()

    @initialize()
    def clean(self):
        for model in (Evaluation, CaseGrade, Ticket, Activity):
            model.objects.all().delete()
        Case.objects.all().delete()
        Application.objects.all().delete()
        for model in (Tally, Contribution, Watermark):
            model.objects.all().delete()
        self.person = Person.objects.first() or Person.objects.create(name="测试")

    @rule(channel=CHANNELS, category=CATEGORIES, groups=GROUPS, people=st.integers(1, 60),
          days=st.integers(0, 40), status=STATUS, region=st.integers(0, 1), residence=RESIDENCE)
    def create_application(self, channel, category, groups, people, days, status, region, residence):
        received = timezone.make_aware(dt.datetime.combine(DAY + dt.timedelta(days=days), dt.time(10)))
        Application.objects.create(
            number=f"测〔2026〕第{next(_numbers):05d}号", centre=self.world["centre"], region=self.regions[region],
            channel=channel, applicant=self.person, groups=groups, matter="CV-05", category=category,
            aid_form="civil_litigation", people_count=people, status=status[0], decision=status[1],
            decided_at=received + dt.timedelta(days=3) if status[1] else None, received_at=received,
            review_due=DAY + dt.timedelta(days=days + 7), priority="migrant_worker" in groups,
            residence=self.townships[residence])

    @precondition(lambda self: Application.objects.exists())
    @rule(data=st.data(), status=STATUS, people=st.integers(1, 60), region=st.integers(0, 1), residence=RESIDENCE)
    def update_application(self, data, status, people, region, residence):
        application = data.draw(st.sampled_from(list(Application.objects.order_by("pk"))))
        application.status, application.decision = status
        application.decided_at = application.received_at + dt.timedelta(days=2) if status[1] else None
        application.people_count, application.region = people, self.regions[region]
        application.residence = self.townships[residence]
        application.save()

    @precondition(lambda self: Application.objects.filter(case__isnull=True).exists())
    @rule(data=st.data())
    def delete_application(self, data):
        data.draw(st.sampled_from(list(Application.objects.filter(case__isnull=True).order_by("pk")))).delete()

    @precondition(lambda self: Application.objects.filter(case__isnull=True, decision="grant").exists())
    @rule(data=st.data(), region=st.integers(0, 1))
    def open_case(self, data, region):
        application = data.draw(st.sampled_from(list(
            Application.objects.filter(case__isnull=True, decision="grant").order_by("pk"))))
        Case.objects.create(application=application, number=application.number, centre=self.world["centre"],
                            region=self.regions[region], matter=application.matter, category=application.category,
                            assigned_at=application.received_at + dt.timedelta(days=4))

    @precondition(lambda self: Case.objects.exists())
    @rule(data=st.data(), status=CASE_STATUS, region=st.integers(0, 1))
    def move_case(self, data, status, region):
        case = data.draw(st.sampled_from(list(Case.objects.order_by("pk"))))
        case.status, case.region = status, self.regions[region]
        case.save()

    @precondition(lambda self: Case.objects.exists())
    @rule(data=st.data())
    def delete_case(self, data):
        case = data.draw(st.sampled_from(list(Case.objects.order_by("pk"))))
        for model in (Evaluation, CaseGrade, Ticket):
            model.objects.filter(case=case).delete()
        case.delete()

    @precondition(lambda self: Case.objects.exists())
    @rule(data=st.data(), grade=GRADES, days=st.integers(0, 40))
    def grade_case(self, data, grade, days):
        """A first grade, or a re-grade in place (a new moment, perhaps a new grade)."""
        case = data.draw(st.sampled_from(list(Case.objects.order_by("pk"))))
        Evaluation.objects.create(case=case, scheme=Scheme.objects.filter(code="civil").first(), method="file_review",
                                  evaluated_on=DAY + dt.timedelta(days=days), score=Decimal(grade[1]),
                                  recorded_at=self.now())
        CaseGrade.objects.update_or_create(case=case, defaults={"grade": grade[0], "score": Decimal(grade[1]),
                                                                "graded_at": self.now()})

    @precondition(lambda self: Case.objects.exists())
    @rule(data=st.data(), escalated=st.booleans())
    def open_ticket(self, data, escalated):
        case = data.draw(st.sampled_from(list(Case.objects.order_by("pk"))))
        if not Ticket.objects.filter(case=case, reason="complaint", status="open").exists():
            now = self.now()
            Ticket.objects.create(case=case, reason="complaint", deadline=DAY + dt.timedelta(days=10),
                                  correction="说明情况", opened_at=now, escalated_at=now if escalated else None)

    @precondition(lambda self: Ticket.objects.filter(status="open").exists())
    @rule(data=st.data())
    def close_ticket(self, data):
        ticket = data.draw(st.sampled_from(list(Ticket.objects.filter(status="open").order_by("pk"))))
        ticket.status, ticket.evidence, ticket.closed_at = "closed", "已整改", self.now()
        ticket.save()

    @rule(kind=st.sampled_from(["lecture", "school_visit"]), status=st.sampled_from(["planned", "held", "cancelled"]),
          people=st.none() | st.integers(0, 300), days=st.integers(0, 40), region=st.integers(0, 1))
    def hold_activity(self, kind, status, people, days, region):
        """A new outreach activity, or the last one changed."""
        activity = Activity.objects.order_by("-pk").first() if days % 2 else None
        if activity is None:
            Activity.objects.create(kind=kind, title="法治讲堂", organiser=self.world["centre"], region=self.regions[region],
                                    place="文化站", starts_at=timezone.make_aware(dt.datetime.combine(
                                        DAY + dt.timedelta(days=days), dt.time(9))), audience="public",
                                    attendance=people, status=status, created_by=self.world["director"])
        else:
            activity.status, activity.attendance, activity.region = status, people, self.regions[region]
            activity.save()

    @rule()
    def sweep(self):
        stats_sweep()
        self.swept = True

    @invariant()
    def consistent_after_a_sweep(self):
        if not self.swept:
            return
        stats_sweep()
        for name in ("legalaid.application", "legalaid.case", "quality.evaluation", "quality.grade", "quality.ticket",
                     "education.activity"):
            result = stats_check(source=name)
            assert result.ok, result.differences
        assert set(SOURCES)  # every source has its watermark after a sweep
        assert Watermark.objects.count() == len(SOURCES)


def test_tallies_equal_a_direct_count_after_any_sequence_of_changes(db):
    world = centre_setup()
    run_state_machine_as_test(
        lambda: Tallies(world),
        settings=settings(max_examples=25, stateful_step_count=12, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]),
    )
