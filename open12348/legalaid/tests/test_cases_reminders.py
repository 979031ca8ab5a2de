"""Case deadlines as a reminder source: the records, who gets them, and the engine sending them once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from open12348.legalaid import reminders as case_reminders
from open12348.legalaid import services_cases as sc
from open12348.legalaid.reminders import case_deadline_records
from open12348.network.tests.factories import MembershipFactory, UserFactory
from open12348.notifications import reminders as engine
from open12348.notifications.models import Notification

from .factories import id_number, wage_claim
from .test_cases_fixtures import (
    assigned,
    closed,
    granted,
    in_progress,
)

pytestmark = pytest.mark.django_db




def claimant(n: int) -> dict:
    return wage_claim(applicant={"name": f"申请人{n}", "id_number": id_number(f"410403198002{n + 1:02d}123")})


def by_kind(records) -> dict[str, list]:
    found: dict[str, list] = {}
    for record in records:
        found.setdefault(record.kind, []).append(record)
    return found


def test_each_open_deadline_goes_to_whoever_must_act(data, clock):
    waiting = granted(data, claimant(1))  # approved 28 Sept, no lawyer yet: assign by 1 Oct… after the holiday
    agreement = assigned(data, granted(data, claimant(2)))  # agreement due 8 Oct
    quiet = in_progress(data, clock, granted(data, claimant(3)))  # no progress entry since 28 Sept
    returned = sc.archive_review(actor=data["director"], case=closed(data, clock, granted(data, claimant(4))),
                                 passed=False, reasons="缺材料")
    review = closed(data, clock, granted(data, claimant(5)))  # subsidy review due 28 Oct
    second_director = UserFactory(username="wd_director2")
    MembershipFactory(user=second_director, institution=data["centre"], role="director")

    records = by_kind(case_deadline_records(today=dt.date(2026, 10, 28), within_days=1))
    lawyer = data["lawyer"].user

    (assignment,) = records["assignment"]
    assert assignment.obj == waiting and assignment.due == waiting.assignment_due
    assert set(assignment.recipients) == {data["reviewer"], data["director"], second_director}
    assert assignment.key == f"legalaid.application:{waiting.pk}:assignment"

    (sign,) = records["agreement"]
    assert (sign.obj, sign.due, sign.recipients) == (agreement, dt.date(2026, 10, 8), (lawyer,))
    assert sign.key == f"legalaid.case:{agreement.pk}:agreement"
    assert sign.url == "" or sign.url.endswith(f"/{agreement.pk}/")  # "" until the case screens are routed

    (progress,) = records["no_progress"]
    assert (progress.obj, progress.due, progress.recipients) == (quiet, dt.date(2026, 10, 28), (lawyer,))

    (closing,) = records["closing"]
    assert (closing.obj, closing.due, closing.recipients) == (returned, returned.closing_due, (lawyer,))

    (subsidy,) = records["subsidy"]
    assert (subsidy.obj, subsidy.due) == (review, dt.date(2026, 10, 28))
    assert set(subsidy.recipients) == {data["director"], second_director}


def test_deadlines_beyond_the_window_and_finished_work_are_left_out(data, clock):
    case = assigned(data)
    assert case_deadline_records(today=dt.date(2026, 10, 5), within_days=1) == []
    assert [r.kind for r in case_deadline_records(today=dt.date(2026, 10, 7), within_days=1)] == ["agreement"]
    sc.case_sign_agreement(actor=data["lawyer"].user, case=case, signed_on=clock.today)
    assert case_deadline_records(today=dt.date(2026, 10, 7), within_days=1) == []


def test_a_progress_entry_moves_the_no_progress_deadline(data, clock):
    case = in_progress(data, clock)
    clock.set(dt.date(2026, 10, 20))
    sc.progress_add(actor=data["lawyer"].user, case=case, kind="report_to_client", occurred_on=clock.today)
    assert case_deadline_records(today=dt.date(2026, 10, 28)) == []
    (record,) = case_deadline_records(today=dt.date(2026, 11, 19))
    assert (record.kind, record.due) == ("no_progress", dt.date(2026, 11, 19))


def test_the_source_is_a_fixed_number_of_queries(data, clock):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            case_deadline_records(today=dt.date(2026, 12, 31), within_days=1)
        return len(queries)

    assigned(data, granted(data, claimant(1)))
    closed(data, clock, granted(data, claimant(2)))
    small = count()
    for n in range(3, 9):
        assigned(data, granted(data, claimant(n)))
        closed(data, clock, granted(data, claimant(n + 10)))
    assert count() == small


def test_the_engine_sends_each_reminder_once(data, clock, monkeypatch):
    monkeypatch.setattr(engine, "_sources", {})
    case_reminders.register()
    assert case_reminders.SOURCE_NAME in engine.registered_sources()
    case = assigned(data)
    first = engine.run_reminders(today=dt.date(2026, 10, 8))
    assert first.sent == 1 and first.failed_sources == []
    notification = Notification.objects.get(recipient=data["lawyer"].user)
    assert case.number in notification.title and notification.kind == "reminder.due"
    assert engine.run_reminders(today=dt.date(2026, 10, 8)).sent == 0
    assert engine.run_reminders(today=dt.date(2026, 10, 9)).sent == 1  # overdue, once
    assert Notification.objects.filter(recipient=data["lawyer"].user).count() == 2


def test_importing_the_module_registers_the_source():
    assert case_reminders.SOURCE_NAME in engine.registered_sources()
