"""The case services end to end: assignment to subsidy, termination and objection, reassignment,
refusals from a wrong state, the conflict check, Art. 26 and two dispatchers at once."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection

from open12348.audit.models import AuditEvent
from open12348.core.errors import ApplicationError, ConflictError
from open12348.legalaid import services_cases as sc
from open12348.legalaid.choices import CaseStatus as C
from open12348.legalaid.closing_checklists import AWARD_OR_MEDIATION
from open12348.legalaid.models import (
    ApplicationEvent,
    ArchiveReview,
    Assignment,
    Case,
    CaseEvent,
    ClosingReport,
    Document,
    Objection,
    Party,
    ProgressEntry,
    Subsidy,
    TerminationRecord,
)

from .factories import id_number, wage_claim
from .test_cases_fixtures import (
    ASSIGNED_ON,
    Clock,
    assigned,
    at,
    closed,
    full_checklist,
    granted,
    in_progress,
    lawyer,
    notified,
    world,
)
from .test_documents import pdf_text

pytestmark = pytest.mark.django_db




def audited(action: str, case: Case) -> bool:
    return AuditEvent.objects.filter(action=action, object_id=str(case.pk)).exists()


def kinds(case: Case) -> list[str]:
    return list(case.events.values_list("kind", flat=True))


def document_text(document: Document) -> str:
    with document.file.open("rb") as handle:
        return pdf_text(handle.read())


class TestAssign:
    def test_assigning_creates_the_case_its_parties_assignment_deadline_and_notice(self, data, clock):
        application = granted(data)
        version = application.version
        case = sc.case_assign(actor=data["director"], application=application, lawyer=data["lawyer"],
                              expected_version=version)
        assert case.status == C.ASSIGNED
        assert (case.number, case.matter, case.category, case.stage) == (
            application.number, "CV-05", "civil", "arbitration")
        assert case.priority is True and case.centre == data["centre"] and case.region == data["regions"]["weidong"]
        assert case.institution == data["firm"] and case.lawyer_user == data["lawyer"].user
        # 5 legal days from Monday 28 September 2026 end on 3 October, inside the National Day
        # holiday: the agreement is due on the first working day after it.
        assert case.agreement_due == dt.date(2026, 10, 8)
        parties = set(Party.objects.filter(application=application).values_list("side", "name"))
        assert parties == {("client", "康建军"), ("opposing", "平顶山某建筑公司")}
        client = Party.objects.get(application=application, side="client")
        assert client.id_number_hash == application.applicant.id_number_hash != ""
        assignment = Assignment.objects.get(case=case)
        assert assignment.ended_at is None and assignment.assigned_by == data["director"]
        assert assignment.reasons["suggested"] is True and assignment.reasons["reasons"]
        assert kinds(case) == ["assigned"]
        assert audited("legalaid.case.assign", case)
        application.refresh_from_db()
        assert application.version == version + 1
        assert ApplicationEvent.objects.filter(application=application, kind="lawyer_assigned").exists()
        notice = Document.objects.get(application=application, kind="assignment_notice")
        text = document_text(notice)
        assert "指派通知书" in text and "河南鹰城律师事务所" in text and "王德洲" in text and "2026年10月8日" in text
        assert not Document.objects.filter(application=application, kind="organ_letter").exists()

    def test_a_notified_case_also_writes_to_the_court(self, data, clock):
        application = notified(data)
        case = sc.case_assign(actor=data["reviewer"], application=application, lawyer=data["other_lawyer"])
        letter = Document.objects.get(application=application, kind="organ_letter")
        text = document_text(letter)
        assert "法律援助公函" in text and "平顶山市卫东区人民法院" in text and "李秀英" in text and "辩护人" in text
        assert "卫法刑通〔2026〕8号" in text
        assert case.status == C.ASSIGNED

    def test_assigning_twice_is_refused(self, data, clock):
        application = granted(data)
        assigned(data, application)
        with pytest.raises(ConflictError) as exc:
            sc.case_assign(actor=data["director"], application=application, lawyer=data["other_lawyer"])
        assert exc.value.code == "already_assigned"
        assert Case.objects.count() == 1 and Assignment.objects.count() == 1

    def test_a_stale_application_version_is_refused(self, data, clock):
        application = granted(data)
        with pytest.raises(ConflictError) as exc:
            sc.case_assign(actor=data["director"], application=application, lawyer=data["lawyer"],
                           expected_version=application.version - 1)
        assert exc.value.code == "stale_version"
        assert not Case.objects.exists()

    def test_an_application_not_yet_granted_cannot_be_assigned(self, data, clock):
        from open12348.legalaid import services

        application = services.application_create(actor=data["window_staff"], centre=data["centre"],
                                                  channel="window", **wage_claim())
        with pytest.raises(ConflictError) as exc:
            sc.case_assign(actor=data["director"], application=application, lawyer=data["lawyer"])
        assert exc.value.code == "invalid_transition"
        assert not Case.objects.exists() and not Document.objects.filter(kind="assignment_notice").exists()

    def test_only_a_lawyer_or_legal_aid_staff_can_be_assigned(self, data, clock):
        mediator = lawyer(data["firm"], name="赵调解", kind="mediator")
        with pytest.raises(ApplicationError) as exc:
            assigned(data, lawyer=mediator)
        assert (exc.value.code, exc.value.field) == ("not_a_lawyer", "lawyer")
        staff = lawyer(data["centre"], name="钱援助", kind="aid_staff")
        case = assigned(data, granted(data, wage_claim(applicant={"name": "孙七",
                                                                    "id_number": id_number("41040319800101123")})),
                        lawyer=staff)
        assert case.lawyer == staff and case.lawyer_user is None and case.institution == data["centre"]

    @pytest.mark.parametrize("matter", ["CR-N-LIFE-DEATH", "CR-N-DEATH-REVIEW"])
    def test_art_26_life_and_death_cases_need_three_years_of_practice(self, data, clock, matter):
        novice = lawyer(data["firm"], name="周新", since=2025, specialties=[data["specialties"]["criminal"]])
        application = notified(data, matter=matter, name="吴某", first17="41040319800202123")
        with pytest.raises(ApplicationError) as exc:
            sc.case_assign(actor=data["director"], application=application, lawyer=novice)
        assert (exc.value.code, exc.value.field) == ("experience_required", "lawyer")
        assert not Case.objects.exists()
        veteran = lawyer(data["firm"], name="郑老", since=2023)  # 3 full years by 2026
        assert sc.case_assign(actor=data["director"], application=application, lawyer=veteran).lawyer == veteran


class TestConflictOfInterest:
    def _earlier_case_for_the_company(self, data):
        """The firm of 王德洲 acts for 平顶山某建筑公司 (the opposing party of the wage claim) in another case."""
        payload = wage_claim(applicant={"name": "平顶山某建筑公司", "id_number": ""},
                             details={**wage_claim()["details"], "opposing_party": "刘某"})
        earlier = granted(data, payload)
        colleague = lawyer(data["firm"], name="陈静")
        return assigned(data, earlier, lawyer=colleague)

    def test_a_conflict_blocks_the_assignment_and_names_the_case(self, data, clock):
        earlier = self._earlier_case_for_the_company(data)
        application = granted(data)
        with pytest.raises(ApplicationError) as exc:
            sc.case_assign(actor=data["director"], application=application, lawyer=data["lawyer"])
        assert (exc.value.code, exc.value.field) == ("conflict_of_interest", "lawyer")
        assert exc.value.extra["conflicts"] == [{"other_case_number": earlier.number,
                                                 "party_name": "平顶山某建筑公司", "how": "name",
                                                 "same_lawyer": False}]
        assert Case.objects.count() == 1
        assert not Party.objects.filter(application=application).exists()

    def test_an_override_with_a_reason_goes_ahead_and_is_recorded(self, data, clock):
        self._earlier_case_for_the_company(data)
        application = granted(data)
        case = sc.case_assign(actor=data["director"], application=application, lawyer=data["lawyer"],
                              conflict_override="  受援人书面同意，且两案由不同律师承办  ")
        assignment = Assignment.objects.get(case=case)
        assert assignment.conflict_override == "受援人书面同意，且两案由不同律师承办"
        assert assignment.reasons["conflicts"][0]["party_name"] == "平顶山某建筑公司"
        assert case.events.get(kind="assigned").note == "受援人书面同意，且两案由不同律师承办"
        audit = AuditEvent.objects.get(action="legalaid.case.assign", object_id=str(case.pk))
        assert audit.extra["override"] == "受援人书面同意，且两案由不同律师承办"

    def test_a_lawyer_of_another_firm_has_no_conflict(self, data, clock):
        self._earlier_case_for_the_company(data)
        case = sc.case_assign(actor=data["director"], application=granted(data), lawyer=data["other_lawyer"])
        assert Assignment.objects.get(case=case).conflict_override == ""

    def test_our_applicant_as_the_opposing_party_elsewhere_matches_by_id_number(self, data, clock):
        from open12348.legalaid.selectors_cases import conflict_check

        application = granted(data)
        other = granted(data, wage_claim(applicant={"name": "张三", "id_number": id_number("41040319800101123")},
                                         details={**wage_claim()["details"], "opposing_party": "老康"}))
        case = assigned(data, other, lawyer=data["other_lawyer"])
        # The other case records our applicant (under another name) as its opposing party, by ID number.
        Party.objects.filter(application=other, side="opposing").update(
            id_number_hash=application.applicant.id_number_hash)
        conflicts = conflict_check(application=application, lawyer=data["other_lawyer"])
        assert [(c.other_case_number, c.how, c.same_lawyer) for c in conflicts] == [(case.number, "id_number", True)]
        assert conflict_check(application=application, lawyer=data["lawyer"]) == []


class TestTheWholeLife:
    def test_assign_sign_begin_progress_close_return_resubmit_archive_pay(self, data, clock):
        application = granted(data)
        case = assigned(data, application)
        lawyer_user, director = data["lawyer"].user, data["director"]

        clock.set(dt.date(2026, 9, 30))
        case = sc.case_sign_agreement(actor=lawyer_user, case=case, signed_on=dt.date(2026, 9, 30),
                                      expected_version=1)
        assert (case.status, case.agreement_signed_on, case.version) == (C.AGREEMENT_SIGNED, dt.date(2026, 9, 30), 2)
        case = sc.case_begin(actor=lawyer_user, case=case, expected_version=2)
        assert case.status == C.IN_PROGRESS

        clock.set(dt.date(2026, 10, 12))
        meeting = sc.progress_add(actor=lawyer_user, case=case, kind="meeting", occurred_on=dt.date(2026, 10, 12),
                                  note="会见受援人，了解欠薪情况")
        hearing = sc.progress_add(actor=lawyer_user, case=case, kind="hearing", occurred_on=dt.date(2026, 10, 12),
                                  hearing_at=at(dt.date(2026, 11, 3), 9), court="平顶山市劳动人事争议仲裁委员会",
                                  courtroom="第二仲裁庭")
        case.refresh_from_db()
        assert case.last_progress_at == at(dt.date(2026, 10, 12))
        assert (hearing.court, hearing.courtroom) == ("平顶山市劳动人事争议仲裁委员会", "第二仲裁庭")
        assert ProgressEntry.objects.get(pk=meeting.pk).note == "会见受援人，了解欠薪情况"
        assert "欠薪" not in "".join(case.events.values_list("note", flat=True))  # the note stays encrypted
        assert case.version == 3  # progress is not a status change

        clock.set(dt.date(2026, 11, 10))
        checklist = full_checklist(case)
        checklist["award_or_mediation"] = False
        case = sc.case_close(actor=lawyer_user, case=case, how_ended="arbitral_award", ended_on=dt.date(2026, 11, 6),
                             outcome="裁决支付工资36000元", amount_recovered="36000", amount_awarded="36000.5",
                             people_aided=3, hearings=3, checklist=checklist, expected_version=3)
        assert case.status == C.CLOSED and case.ended_on == dt.date(2026, 11, 6)
        # 30 days from 6 November end on Sunday 6 December: moved to Monday the 7th.
        assert case.closing_due == dt.date(2026, 12, 7)
        assert case.subsidy_due == dt.date(2026, 12, 10)
        report = ClosingReport.objects.get(case=case)
        assert report.amount_awarded == Decimal("36000.50") and report.people_aided == 3
        assert report.checklist["award_or_mediation"] is False and report.checklist["closing_report"] is True

        with pytest.raises(ApplicationError) as exc:
            sc.archive_review(actor=director, case=case, passed=True)
        assert exc.value.code == "checklist_incomplete" and exc.value.extra["missing"] == ["award_or_mediation"]
        assert str(AWARD_OR_MEDIATION.label) in exc.value.message
        with pytest.raises(ApplicationError) as exc:
            sc.archive_review(actor=director, case=case, passed=False, reasons=" ")
        assert exc.value.field == "reasons"
        case = sc.archive_review(actor=director, case=case, passed=False, reasons="缺少仲裁裁决书")
        assert case.status == C.RETURNED and case.subsidy_due is None
        assert case.closing_due == dt.date(2026, 12, 10)

        with pytest.raises(ConflictError):
            sc.progress_add(actor=lawyer_user, case=case, kind="other", occurred_on=dt.date(2026, 11, 10))
        case = sc.case_resubmit(actor=lawyer_user, case=case, note="已补充裁决书", checklist=full_checklist(case))
        assert case.status == C.CLOSED

        clock.set(dt.date(2026, 11, 20))
        case = sc.archive_review(actor=director, case=case, passed=True, file_rating="良好")
        assert case.status == C.ARCHIVED
        assert case.archive_number == f"{case.number}-档" and case.archived_at is not None
        subsidy = Subsidy.objects.get(case=case)
        # 1200 base + 2 hearings after the first × 200
        assert subsidy.amount == Decimal("1600.00") and subsidy.status == "calculated"
        assert subsidy.computation["extra_hearings"] == 2 and subsidy.lawyer == data["lawyer"]
        assert list(ArchiveReview.objects.filter(case=case).values_list("result", flat=True)) == [
            "returned", "passed"]

        subsidy = sc.subsidy_pay(actor=director, case=case, paid_on=dt.date(2026, 11, 20))
        assert (subsidy.status, subsidy.month, subsidy.paid_by) == ("paid", "2026-11", director)
        case.refresh_from_db()
        assert case.status == C.SUBSIDY_PAID and case.subsidy_due is None
        assert kinds(case) == ["assigned", "agreement_signed", "begun", "progress", "progress", "closed",
                               "archive_returned", "resubmitted", "archived", "subsidy_paid"]
        for action in ("assign", "agreement_signed", "begun", "progress", "closed", "archive_returned",
                       "resubmitted", "archived", "subsidy_paid"):
            assert audited(f"legalaid.case.{action}", case), action

    def test_an_unqualified_file_gets_the_reduced_share_or_nothing(self, data, clock):
        case = closed(data, clock, hearings=2)
        case = sc.archive_review(actor=data["director"], case=case, passed=True, file_rating="不合格",
                                 archive_number="卫援档2026-001")
        subsidy = Subsidy.objects.get(case=case)
        assert case.archive_number == "卫援档2026-001"
        assert subsidy.amount == Decimal("700.00") and subsidy.status == "calculated"  # (1200 + 200) × 0.5

        from open12348.legalaid.models import SubsidyStandard

        SubsidyStandard.objects.create(category="civil", stage="arbitration", region_code="410403",
                                       base_amount=Decimal("900"), per_extra_hearing=Decimal("0"),
                                       unqualified_factor=Decimal("0"), effective_from=dt.date(2026, 1, 1),
                                       source="卫东区仲裁代理标准")
        second = closed(data, clock, granted(data, wage_claim(applicant={
            "name": "孙七", "id_number": id_number("41040319800101123")})))
        second = sc.archive_review(actor=data["director"], case=second, passed=True, file_rating="不合格")
        withheld = Subsidy.objects.get(case=second)
        assert (withheld.amount, withheld.status) == (Decimal("0.00"), "withheld")
        assert withheld.computation["region_code"] == "410403" and withheld.computation["stage"] == "arbitration"
        with pytest.raises(ApplicationError) as exc:
            sc.subsidy_pay(actor=data["director"], case=second, paid_on=clock.today)
        assert exc.value.code == "no_subsidy_to_pay"
        second.refresh_from_db()
        assert second.status == C.ARCHIVED

    def test_checklist_items_not_on_the_list_are_refused(self, data, clock):
        case = in_progress(data, clock)
        with pytest.raises(ApplicationError) as exc:
            sc.case_close(actor=data["lawyer"].user, case=case, how_ended="judgment", ended_on=clock.today,
                          outcome="胜诉", checklist={"defence_statement": True})
        assert (exc.value.code, exc.value.field) == ("checklist_invalid", "checklist")
        case.refresh_from_db()
        assert case.status == C.IN_PROGRESS and not ClosingReport.objects.exists()

    @pytest.mark.parametrize(("change", "field"), [
        ({"how_ended": "won"}, "how_ended"),
        ({"ended_on": dt.date(2026, 10, 30)}, "ended_on"),  # after today
        ({"ended_on": dt.date(2026, 9, 1)}, "ended_on"),  # before the assignment
        ({"outcome": "  "}, "outcome"),
        ({"amount_recovered": "-1"}, "amount_recovered"),
        ({"people_aided": 0}, "people_aided"),
    ])
    def test_closing_input_errors_name_their_field_and_change_nothing(self, data, clock, change, field):
        case = in_progress(data, clock)
        values = {"how_ended": "judgment", "ended_on": clock.today, "outcome": "胜诉", **change}
        with pytest.raises(ApplicationError) as exc:
            sc.case_close(actor=data["lawyer"].user, case=case, **values)
        assert exc.value.field == field
        case.refresh_from_db()
        assert case.status == C.IN_PROGRESS and case.version == 3

    def test_a_hearing_needs_its_time_and_court(self, data, clock):
        case = in_progress(data, clock)
        for extra, field in (({}, "hearing_at"), ({"hearing_at": at(clock.today)}, "court")):
            with pytest.raises(ApplicationError) as exc:
                sc.progress_add(actor=data["lawyer"].user, case=case, kind="hearing", occurred_on=clock.today,
                                **extra)
            assert exc.value.field == field
        assert not ProgressEntry.objects.exists()


class TestTerminationAndObjection:
    def test_terminate_object_and_correct(self, data, clock):
        case = in_progress(data, clock)
        with pytest.raises(ApplicationError) as exc:
            sc.case_terminate(actor=data["reviewer"], case=case, ground="T9", report="x")
        assert exc.value.field == "ground"
        with pytest.raises(ApplicationError) as exc:
            sc.case_terminate(actor=data["reviewer"], case=case, ground="T6", report="")
        assert exc.value.field == "report"
        case = sc.case_terminate(actor=data["reviewer"], case=case, ground="T6", report="受援人已自行委托律师")
        assert case.status == C.TERMINATED
        assert TerminationRecord.objects.get(case=case).ground == "T6"
        assert not Document.objects.filter(kind__startswith="termination").exists()

        objection = sc.termination_objection_file(actor=data["window_staff"], case=case,
                                                  reasons="并未委托律师，系误会")
        assert (objection.kind, objection.status, objection.application_id) == (
            "termination", "pending", case.application_id)
        assert objection.due == dt.date(2026, 10, 8)  # 5 days from 28 September, after the holiday
        case.refresh_from_db()
        assert case.status == C.TERMINATION_OBJECTION

        case = sc.termination_objection_decide(actor=data["bureau_admin"], objection=objection, correct=True,
                                               reasons="经核实未委托律师", expected_version=case.version)
        assert case.status == C.IN_PROGRESS
        objection.refresh_from_db()
        assert objection.status == "corrected" and objection.decided_by == data["bureau_admin"]
        with pytest.raises(ConflictError) as exc:
            sc.termination_objection_decide(actor=data["bureau_admin"], objection=objection, correct=False,
                                            reasons="再议")
        assert exc.value.code == "objection_decided"
        assert kinds(case)[-3:] == ["terminated", "termination_objection_filed", "termination_corrected"]

    def test_an_upheld_objection_leaves_the_case_terminated(self, data, clock):
        case = sc.case_terminate(actor=data["director"], case=in_progress(data, clock), ground="T4",
                                 report="经济状况好转")
        objection = sc.termination_objection_file(actor=data["window_staff"], case=case, reasons="不服")
        case = sc.termination_objection_decide(actor=data["bureau_admin"], objection=objection, correct=False,
                                               reasons="终止理由成立")
        assert case.status == C.TERMINATED
        assert Objection.objects.get(pk=objection.pk).status == "upheld"


class TestReassign:
    def test_art_55_reassignment_ends_the_old_assignment_and_restarts_the_agreement_clock(self, data, clock):
        case = in_progress(data, clock)
        clock.set(dt.date(2026, 10, 12))
        with pytest.raises(ApplicationError) as exc:
            sc.case_reassign(actor=data["director"], case=case, lawyer=data["other_lawyer"], reason=" ")
        assert exc.value.field == "reason"
        with pytest.raises(ApplicationError) as exc:
            sc.case_reassign(actor=data["director"], case=case, lawyer=data["lawyer"], reason="换人")
        assert exc.value.code == "same_lawyer"
        case = sc.case_reassign(actor=data["director"], case=case, lawyer=data["other_lawyer"],
                                reason="受援人要求更换承办律师", expected_version=case.version)
        assert case.status == C.ASSIGNED
        assert (case.lawyer, case.institution, case.lawyer_user) == (
            data["other_lawyer"], data["other_firm"], data["other_lawyer"].user)
        assert case.agreement_due == dt.date(2026, 10, 19) and case.agreement_signed_on is None
        old, new = Assignment.objects.filter(case=case).order_by("id")
        assert old.ended_at is not None and old.end_reason == "受援人要求更换承办律师"
        assert new.ended_at is None and new.lawyer == data["other_lawyer"]
        assert Document.objects.filter(application=case.application, kind="assignment_notice").count() == 2
        # The former lawyer no longer handles it: to them it is someone else's case.
        with pytest.raises(ApplicationError) as exc:
            sc.case_sign_agreement(actor=data["lawyer"].user, case=case, signed_on=clock.today)
        assert exc.value.status == 404
        case = sc.case_sign_agreement(actor=data["other_lawyer"].user, case=case, signed_on=clock.today)
        assert case.status == C.AGREEMENT_SIGNED


def snapshot(case: Case) -> tuple:
    case.refresh_from_db()
    return case.status, case.version, case.events.count(), AuditEvent.objects.count()


WRONG_STATE = [
    ("sign", C.IN_PROGRESS, lambda d, c, clock: sc.case_sign_agreement(actor=d["lawyer"].user, case=c,
                                                                       signed_on=clock.today)),
    ("begin", C.ASSIGNED, lambda d, c, clock: sc.case_begin(actor=d["lawyer"].user, case=c)),
    ("close", C.ASSIGNED, lambda d, c, clock: sc.case_close(actor=d["lawyer"].user, case=c, how_ended="judgment",
                                                            ended_on=clock.today, outcome="x")),
    ("archive", C.IN_PROGRESS, lambda d, c, clock: sc.archive_review(actor=d["director"], case=c, passed=True)),
    ("return", C.IN_PROGRESS, lambda d, c, clock: sc.archive_review(actor=d["director"], case=c, passed=False,
                                                                    reasons="x")),
    ("resubmit", C.CLOSED, lambda d, c, clock: sc.case_resubmit(actor=d["lawyer"].user, case=c)),
    ("pay", C.CLOSED, lambda d, c, clock: sc.subsidy_pay(actor=d["director"], case=c, paid_on=clock.today)),
    ("terminate", C.CLOSED, lambda d, c, clock: sc.case_terminate(actor=d["director"], case=c, ground="T7",
                                                                  report="x")),
    ("object", C.IN_PROGRESS, lambda d, c, clock: sc.termination_objection_file(actor=d["window_staff"], case=c,
                                                                                reasons="x")),
    ("reassign", C.CLOSED, lambda d, c, clock: sc.case_reassign(actor=d["director"], case=c,
                                                                lawyer=d["other_lawyer"], reason="x")),
    ("progress", C.CLOSED, lambda d, c, clock: sc.progress_add(actor=d["lawyer"].user, case=c, kind="other",
                                                               occurred_on=clock.today)),
]


@pytest.mark.parametrize(("name", "state", "act"), WRONG_STATE, ids=[w[0] for w in WRONG_STATE])
def test_a_transition_from_a_wrong_state_is_refused_and_changes_nothing(data, clock, name, state, act):
    if state == C.ASSIGNED:
        case = assigned(data)
    elif state == C.IN_PROGRESS:
        case = in_progress(data, clock)
    else:
        case = closed(data, clock)
    assert case.status == state
    before = snapshot(case)
    with pytest.raises(ConflictError) as exc:
        act(data, case, clock)
    assert exc.value.code == "invalid_transition"
    assert snapshot(case) == before


def test_a_stale_case_version_is_refused(data, clock):
    case = assigned(data)
    before = snapshot(case)
    with pytest.raises(ConflictError) as exc:
        sc.case_sign_agreement(actor=data["lawyer"].user, case=case, signed_on=clock.today, expected_version=7)
    assert exc.value.code == "stale_version"
    assert snapshot(case) == before


def test_materials_may_be_added_while_handled_or_returned_but_not_once_archived(data, clock):
    case = closed(data, clock)
    assert not sc.case_accepts_materials(case)
    case = sc.archive_review(actor=data["director"], case=case, passed=False, reasons="补充")
    assert sc.case_accepts_materials(case)
    case = sc.case_resubmit(actor=data["lawyer"].user, case=case)
    case = sc.archive_review(actor=data["director"], case=case, passed=True)
    assert not sc.case_accepts_materials(case)


@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_assigning_at_once_make_one_case(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises whole transactions")
    Clock(monkeypatch, ASSIGNED_ON)
    data = world()
    application = granted(data)
    results: list[str] = []
    barrier = threading.Barrier(2)

    def assign(user, person):
        from django.db import connections

        try:
            barrier.wait()
            sc.case_assign(actor=user, application=application, lawyer=person)
            results.append("ok")
        except ConflictError:
            results.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=assign, args=(data["reviewer"], data["lawyer"])),
               threading.Thread(target=assign, args=(data["director"], data["other_lawyer"]))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["conflict", "ok"]
    assert Case.objects.filter(application=application).count() == 1
    assert Assignment.objects.count() == 1
    assert CaseEvent.objects.filter(kind="assigned").count() == 1
    assert Document.objects.filter(application=application, kind="assignment_notice").count() == 1


class TestClosingChecklists:
    @pytest.mark.parametrize(("category", "stage", "aid_form", "must_have", "must_not_have"), [
        ("criminal", "first_instance", "criminal_defence",
         {"assignment_notice", "defence_agreement", "power_of_attorney", "meeting_record", "file_reading_record",
          "defence_statement", "judgment_or_ruling", "closing_report"}, {"representation_statement"}),
        ("criminal", "investigation", "criminal_defence", {"meeting_record", "defence_opinion"},
         {"file_reading_record", "judgment_or_ruling"}),
        ("criminal", "prosecution_review", "criminal_defence", {"file_reading_record", "indictment_or_decision"},
         {"defence_statement"}),
        ("criminal", "first_instance", "criminal_representation", {"representation_statement"}, {"defence_statement"}),
        ("criminal", "investigation", "duty_lawyer", {"help_register", "plea_witness"}, {"defence_agreement"}),
        ("civil", "first_instance", "civil_litigation",
         {"agency_agreement", "complaint_or_defence", "evidence", "representation_statement", "judgment_or_mediation",
          "closing_report"}, {"defence_statement"}),
        ("civil", "arbitration", "labour_arbitration", {"arbitration_application", "award_or_mediation"},
         {"complaint_or_defence"}),
        ("non_litigation", "", "non_litigation", {"legal_documents", "result_document"}, {"complaint_or_defence"}),
        ("civil", "mediation", "civil_litigation", {"result_document"}, {"judgment_or_mediation"}),
    ])
    def test_each_kind_of_case_has_its_annex_list(self, category, stage, aid_form, must_have, must_not_have):
        from open12348.legalaid.closing_checklists import checklist_category, closing_checklist_for

        items = closing_checklist_for(category=checklist_category(category=category, aid_form=aid_form), stage=stage)
        codes = [code for code, _label in items]
        assert len(codes) == len(set(codes)) and all(label for _code, label in items)
        assert must_have <= set(codes) and not (must_not_have & set(codes))
        assert codes[-1] == "closing_report"

    def test_the_case_uses_the_list_of_its_form_of_aid(self, data, clock):
        case = assigned(data)
        assert [code for code, _ in sc.case_checklist(case)] == [
            code for code, _ in sc.closing_checklist_for(category="civil", stage="arbitration")]
