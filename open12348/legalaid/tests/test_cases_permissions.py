"""Who may do what to a case: every role against every case action.

Each cell builds the case in the state the action needs, tries the action as the role, and checks
either that it happened or that it was refused (403 for staff who may see the case, 404 for a
case that is not theirs to see) and that nothing changed: status, version, timeline, audit log.
"""

from __future__ import annotations

import pytest
from django.http import Http404

from open12348.audit.models import AuditEvent
from open12348.core.errors import ApplicationError
from open12348.legalaid import services_cases as sc
from open12348.legalaid.choices import CaseStatus as C
from open12348.legalaid.models import Application, Case, Objection
from open12348.legalaid.selectors_cases import access_case

from .test_cases_fixtures import (
    assigned,
    closed,
    granted,
    in_progress,
)

pytestmark = pytest.mark.django_db



ROLES = ("window_staff", "reviewer", "director", "own_lawyer", "other_lawyer", "bureau_admin", "other_county")


def actor_for(data: dict, role: str):
    return {
        "own_lawyer": data["lawyer"].user,
        "other_lawyer": data["other_lawyer"].user,
        "other_county": data["xinhua_reviewer"],
    }.get(role) or data[role]


def _state(data, clock, status: str):
    """The case (or, for assignment, the application) in the state the action starts from."""
    if status == "awaiting":
        return granted(data)
    if status == C.ASSIGNED:
        return assigned(data)
    if status == C.AGREEMENT_SIGNED:
        case = assigned(data)
        return sc.case_sign_agreement(actor=data["lawyer"].user, case=case, signed_on=clock.today)
    if status == C.IN_PROGRESS:
        return in_progress(data, clock)
    if status == C.CLOSED:
        return closed(data, clock)
    if status == C.ARCHIVED:
        return sc.archive_review(actor=data["director"], case=closed(data, clock), passed=True)
    case = sc.case_terminate(actor=data["director"], case=in_progress(data, clock), ground="T7", report="受援人要求")
    if status == C.TERMINATED:
        return case
    sc.termination_objection_file(actor=data["window_staff"], case=case, reasons="不服")
    case.refresh_from_db()
    return case


def _objection(case):
    return Objection.objects.get(application=case.application, status="pending")


# action: (state it starts from, the call, roles allowed)
HANDLERS = {"own_lawyer", "reviewer", "director"}
ACTIONS = {
    "assign": ("awaiting", lambda d, obj, actor, clock: sc.case_assign(actor=actor, application=obj,
                                                                       lawyer=d["lawyer"]),
               {"reviewer", "director"}),
    "reassign": (C.ASSIGNED, lambda d, obj, actor, clock: sc.case_reassign(actor=actor, case=obj,
                                                                           lawyer=d["other_lawyer"], reason="更换"),
                 {"reviewer", "director"}),
    "sign": (C.ASSIGNED, lambda d, obj, actor, clock: sc.case_sign_agreement(actor=actor, case=obj,
                                                                             signed_on=clock.today), HANDLERS),
    "begin": (C.AGREEMENT_SIGNED, lambda d, obj, actor, clock: sc.case_begin(actor=actor, case=obj), HANDLERS),
    "progress": (C.IN_PROGRESS, lambda d, obj, actor, clock: sc.progress_add(actor=actor, case=obj, kind="meeting",
                                                                             occurred_on=clock.today), HANDLERS),
    "close": (C.IN_PROGRESS, lambda d, obj, actor, clock: sc.case_close(
        actor=actor, case=obj, how_ended="arbitral_award", ended_on=clock.today, outcome="裁决支持"), HANDLERS),
    "archive": (C.CLOSED, lambda d, obj, actor, clock: sc.archive_review(actor=actor, case=obj, passed=True),
                {"reviewer", "director"}),
    "pay": (C.ARCHIVED, lambda d, obj, actor, clock: sc.subsidy_pay(actor=actor, case=obj, paid_on=clock.today),
            {"director"}),
    "terminate": (C.IN_PROGRESS, lambda d, obj, actor, clock: sc.case_terminate(actor=actor, case=obj, ground="T6",
                                                                                report="已自行委托律师"),
                  {"reviewer", "director"}),
    "object": (C.TERMINATED, lambda d, obj, actor, clock: sc.termination_objection_file(actor=actor, case=obj,
                                                                                        reasons="不服终止"),
               {"window_staff", "reviewer", "director"}),
    "decide_objection": (C.TERMINATION_OBJECTION, lambda d, obj, actor, clock: sc.termination_objection_decide(
        actor=actor, objection=_objection(obj), correct=True, reasons="责令改正"), {"bureau_admin"}),
}


def snapshot(obj) -> tuple:
    obj.refresh_from_db()
    events = obj.events.count()
    cases = Case.objects.count()
    return obj.status, obj.version, events, cases, AuditEvent.objects.count()


CELLS = [(action, role) for action in ACTIONS for role in ROLES]


@pytest.mark.parametrize(("action", "role"), CELLS, ids=[f"{a}-{r}" for a, r in CELLS])
def test_role_against_case_action(data, clock, action, role):
    state, call, allowed = ACTIONS[action]
    obj = _state(data, clock, state)
    before = snapshot(obj)
    actor = actor_for(data, role)
    if role in allowed:
        call(data, obj, actor, clock)
        assert snapshot(obj) != before
        return
    with pytest.raises(ApplicationError) as exc:
        call(data, obj, actor, clock)
    assert exc.value.status in (403, 404)
    assert exc.value.code in ("forbidden", "not_found", "out_of_scope")
    assert snapshot(obj) == before


@pytest.mark.parametrize("action", ["sign", "reassign", "archive"])
def test_another_lawyers_case_is_not_found_and_stays_unchanged(data, clock, action):
    state, call, _allowed = ACTIONS[action]
    case = _state(data, clock, state)
    intruder = data["other_lawyer"].user
    with pytest.raises(Http404):
        access_case(user=intruder, id=case.pk)
    before = snapshot(case)
    with pytest.raises(ApplicationError) as exc:
        call(data, case, intruder, clock)
    assert exc.value.status in (403, 404)
    assert snapshot(case) == before
    assert access_case(user=data["lawyer"].user, id=case.pk) == case


def test_a_lawyer_acting_on_someone_elses_case_gets_not_found(data, clock):
    case = assigned(data)
    with pytest.raises(ApplicationError) as exc:
        sc.case_sign_agreement(actor=data["other_lawyer"].user, case=case, signed_on=clock.today)
    assert (exc.value.status, exc.value.code) == (404, "not_found")


def test_staff_who_can_see_the_case_but_not_handle_it_get_forbidden(data, clock):
    case = assigned(data)
    for user in (data["window_staff"], data["bureau_admin"]):
        with pytest.raises(ApplicationError) as exc:
            sc.case_sign_agreement(actor=user, case=case, signed_on=clock.today)
        assert (exc.value.status, exc.value.code) == (403, "forbidden")


def test_the_application_stays_waiting_when_assignment_is_refused(data, clock):
    application = granted(data)
    with pytest.raises(ApplicationError):
        sc.case_assign(actor=data["lawyer"].user, application=application, lawyer=data["lawyer"])
    assert Application.objects.get(pk=application.pk).version == application.version
    assert not Case.objects.exists()
