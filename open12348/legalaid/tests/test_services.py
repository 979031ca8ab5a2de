import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from open12348.audit.models import AuditEvent
from open12348.core.errors import ApplicationError, ConflictError
from open12348.legalaid import services
from open12348.legalaid.choices import ApplicationStatus as S
from open12348.legalaid.models import Application, ApplicationEvent, Person

from .factories import MAN, centre_setup, contract_dispute, id_number, wage_claim

pytestmark = pytest.mark.django_db


def create(setup, data=None, *, actor=None, channel="window", **kwargs):
    data = data or wage_claim()
    return services.application_create(
        actor=actor if actor is not None else setup["window_staff"], centre=setup["centre"], channel=channel,
        **data, **kwargs,
    )


@pytest.fixture
def setup():
    return centre_setup()


def at(year, month, day, hour=10):
    return timezone.make_aware(dt.datetime(year, month, day, hour))


class TestIntake:
    def test_a_window_application_is_numbered_checked_and_clocked(self, setup):
        application = create(setup, received_at=at(2026, 9, 28))
        assert application.number == "卫法援〔2026〕第00001号"
        assert application.status == S.RECEIVED
        assert application.eligibility["eligible"] is True
        assert application.priority is True  # migrant worker: green channel
        # 7 days from 2026-09-28 end on 10-05, inside the National Day holiday: the first working day after it.
        assert application.review_due == dt.date(2026, 10, 8)
        assert application.events.get().kind == "received"
        assert AuditEvent.objects.filter(action="legalaid.application.create", object_id=str(application.pk)).exists()

    @pytest.mark.parametrize(("retrial_ordered", "in_scope"), [(False, False), (True, True)])
    def test_a_petition_is_in_scope_only_when_a_retrial_was_ordered(self, setup, retrial_ordered, in_scope):
        data = contract_dispute()
        data["details"] = {**data["details"], "matter": "PET-RETRIAL", "aid_form": "civil_litigation",
                           "retrial_ordered": retrial_ordered}
        application = create(setup, data)
        assert application.retrial_ordered is retrial_ordered
        assert application.eligibility["in_scope"] is in_scope

    def test_an_applicant_who_already_has_counsel_is_not_eligible_and_loses_the_green_channel(self, setup):
        data = wage_claim()
        data["details"] = {**data["details"], "other_counsel": True}
        application = create(setup, data)
        assert application.other_counsel is True
        assert application.eligibility["eligible"] is False and application.priority is False

    def test_numbers_run_per_centre_and_year_and_are_never_reused(self, setup):
        first = create(setup, received_at=at(2026, 3, 2))
        second = create(setup, wage_claim(applicant={"name": "张三", "id_number": id_number("41040319800101123")}),
                        received_at=at(2026, 3, 3))
        next_year = create(setup, received_at=at(2027, 1, 4))
        assert [first.number[-13:], second.number[-13:]] == ["〔2026〕第00001号", "〔2026〕第00002号"]
        assert next_year.number.endswith("〔2027〕第00001号")

    def test_the_same_person_is_recognised_by_id_number_and_earlier_applications_are_counted(self, setup):
        create(setup)
        again = create(setup, wage_claim(applicant={"name": "康建军", "id_number": MAN.lower()}))
        assert Person.objects.count() == 1
        assert again.events.get().data["previous_applications"] == 1

    def test_a_double_submit_with_the_same_key_makes_one_application(self, setup):
        first = create(setup, idempotency_key="k-1")
        second = create(setup, idempotency_key="k-1")
        assert first.pk == second.pk
        assert Application.objects.count() == 1

    def test_a_notification_skips_review_and_has_a_3_day_assignment_clock(self, setup):
        data = {
            "applicant": {"name": "王小", "id_number": id_number("41040320100101123")},
            "details": {"matter": "CR-N-MINOR", "category": "criminal", "aid_form": "criminal_defence",
                        "stage": "investigation", "cause": "盗窃"},
        }
        application = create(setup, data, channel="notification", notifying_organ="public_security",
                             notice_number="卫公通〔2026〕12号", received_at=at(2026, 6, 1))
        assert application.status == S.NOTIFIED
        assert application.review_due is None
        assert application.assignment_due == dt.date(2026, 6, 4)
        assert application.eligibility["economic_review"] == "not_required"

    def test_detention_forwarding_records_the_24_hour_clock_and_lateness(self, setup):
        application = create(setup, channel="detention_forwarding", channel_detail="平顶山市看守所",
                             facility_received_at=at(2026, 5, 4, 9), received_at=at(2026, 5, 5, 15))
        assert application.forwarding_due_at == at(2026, 5, 5, 9)
        assert application.events.get().data["forwarded_late"] is True

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"applicant": {"name": "康建军", "id_number": MAN[:-1] + ("0" if MAN[-1] != "0" else "1")}},
             "applicant.id_number"),
            ({"applicant": {"name": "康建军", "id_number": MAN, "birth_date": dt.date(1986, 1, 1)}},
             "applicant.birth_date"),
            ({"household": {"members": 2, "monthly_income": "-5"}}, "household.monthly_income"),
            ({"household": {"members": 0, "monthly_income": "100"}}, "household.members"),
        ],
    )
    def test_bad_input_names_its_field_and_saves_nothing(self, setup, change, field):
        with pytest.raises(ApplicationError) as exc:
            create(setup, wage_claim(**change))
        assert exc.value.field == field
        assert Application.objects.count() == 0
        assert Person.objects.count() == 0

    def test_staff_cannot_register_for_another_countys_centre(self, setup):
        with pytest.raises(ApplicationError) as exc:
            services.application_create(actor=setup["xinhua_reviewer"], centre=setup["centre"], channel="window",
                                        **wage_claim())
        assert exc.value.code == "centre_out_of_scope"
        assert Application.objects.count() == 0

    def test_a_township_judicial_office_forwards_to_its_countys_centre(self, setup):
        from open12348.network.tests.factories import staff_in

        station = staff_in(setup["regions"]["weidong_township"], role="station_staff", username="wd_station",
                           kind="judicial_office")
        application = services.application_create(actor=station, centre=setup["centre"], channel="window",
                                                  **wage_claim())
        assert application.centre == setup["centre"]
        with pytest.raises(ApplicationError) as exc:  # but not to a neighbouring county's
            services.application_create(actor=station, centre=setup["other_centre"], channel="window",
                                        **wage_claim(applicant={"name": "张三", "id_number": id_number("41040319800101123")}))
        assert exc.value.code == "centre_out_of_scope"
        assert Application.objects.count() == 1

    def test_the_database_holds_no_plain_id_numbers_phones_facts_or_incomes(self, setup):
        create(setup)
        with connection.cursor() as cursor:
            cursor.execute("SELECT id_number, phone FROM legalaid_person")
            person_row = " ".join(cursor.fetchone())
            cursor.execute("SELECT facts, household FROM legalaid_application")
            application_row = " ".join(cursor.fetchone())
        assert MAN not in person_row and "13803751234" not in person_row
        assert "加班" not in application_row and "2400" not in application_row


class TestDecisions:
    def test_grant_sets_the_assignment_clock(self, setup):
        application = create(setup)
        granted = services.application_decide(actor=setup["reviewer"], application=application, decision="grant",
                                              reasons="符合条件")
        assert granted.status == S.APPROVED
        assert granted.assignment_due is not None and granted.review_due is None
        assert list(granted.events.values_list("kind", flat=True)) == ["received", "granted", "document_issued"]
        assert granted.documents.get().kind == "decision_grant"

    def test_differing_from_the_check_needs_a_recorded_reason(self, setup):
        application = create(setup, contract_dispute())
        assert application.eligibility["eligible"] is False
        with pytest.raises(ApplicationError) as exc:
            services.application_decide(actor=setup["reviewer"], application=application, decision="grant",
                                        reasons="")
        assert exc.value.field == "override_reason"
        application.refresh_from_db()
        assert application.status == S.RECEIVED
        granted = services.application_decide(actor=setup["reviewer"], application=application, decision="grant",
                                              reasons="", override_reason="经中心主任研究，属重大社会影响案件")
        assert granted.decision_override is True

    def test_a_refusal_needs_written_reasons(self, setup):
        application = create(setup, contract_dispute())
        with pytest.raises(ApplicationError) as exc:
            services.application_decide(actor=setup["reviewer"], application=application, decision="refuse",
                                        reasons=" ")
        assert exc.value.field == "reasons"

    def test_window_staff_may_not_decide_and_nothing_changes(self, setup):
        application = create(setup)
        with pytest.raises(ApplicationError) as exc:
            services.application_decide(actor=setup["window_staff"], application=application, decision="grant",
                                        reasons="x")
        assert exc.value.status == 403
        application.refresh_from_db()
        assert (application.status, application.version) == (S.RECEIVED, 1)

    def test_a_stale_version_is_a_conflict(self, setup):
        application = create(setup)
        services.application_review_start(actor=setup["reviewer"], application=application, expected_version=1)
        with pytest.raises(ConflictError):
            services.application_decide(actor=setup["director"], application=application, decision="grant",
                                        reasons="ok", expected_version=1)

    def test_deciding_twice_is_refused(self, setup):
        application = create(setup)
        services.application_decide(actor=setup["reviewer"], application=application, decision="grant", reasons="ok")
        with pytest.raises(ConflictError) as exc:
            services.application_decide(actor=setup["director"], application=application, decision="refuse",
                                        reasons="no", override_reason="x")
        assert exc.value.code == "invalid_transition"


class TestSupplements:
    def test_the_clock_stops_while_materials_are_awaited_and_restarts_after(self, setup, monkeypatch):
        application = create(setup, received_at=at(2026, 3, 2))  # Monday; due 2026-03-09
        assert application.review_due == dt.date(2026, 3, 9)
        monkeypatch.setattr(services, "_today", lambda: dt.date(2026, 3, 4))
        request = services.supplement_request(actor=setup["reviewer"], application=application,
                                              items=["身份证复印件", "劳动合同或工资欠条"])
        application.refresh_from_db()
        assert application.status == S.SUPPLEMENT_REQUESTED and application.review_due is None
        assert request.due == dt.date(2026, 3, 19)
        monkeypatch.setattr(services, "_today", lambda: dt.date(2026, 3, 10))
        services.supplement_receive(actor=setup["window_staff"], application=application)
        application.refresh_from_db()
        # Paused from 03-04 to 03-10: six more days, so 03-15 (a Sunday) → Monday 03-16.
        assert application.review_due == dt.date(2026, 3, 16)
        assert application.status == S.UNDER_REVIEW

    def test_materials_not_supplied_in_time_mean_deemed_withdrawn(self, setup, monkeypatch):
        application = create(setup, received_at=at(2026, 3, 2))
        monkeypatch.setattr(services, "_today", lambda: dt.date(2026, 3, 4))
        request = services.supplement_request(actor=setup["reviewer"], application=application, items=["工资欠条"])
        assert services.supplement_expire(application_id=application.pk, today=request.due) is False
        assert services.supplement_expire(application_id=application.pk,
                                          today=request.due + dt.timedelta(days=1)) is True
        assert services.supplement_expire(application_id=application.pk,
                                          today=request.due + dt.timedelta(days=2)) is False
        application.refresh_from_db()
        assert application.status == S.WITHDRAWN_DEEMED
        assert application.events.filter(kind="deemed_withdrawn").count() == 1

    def test_an_empty_list_of_materials_is_refused(self, setup):
        application = create(setup)
        with pytest.raises(ApplicationError) as exc:
            services.supplement_request(actor=setup["reviewer"], application=application, items=[" "])
        assert exc.value.field == "items"


class TestObjectionAndAdvanceAid:
    def test_objection_to_a_refusal_can_order_a_correction(self, setup):
        application = create(setup, contract_dispute())
        services.application_decide(actor=setup["reviewer"], application=application, decision="refuse",
                                    reasons="不属于法律援助事项范围")
        objection = services.objection_file(actor=setup["window_staff"], application=application,
                                            reasons="申请人认为属于范围")
        assert objection.due is not None
        with pytest.raises(ApplicationError):
            services.objection_decide(actor=setup["reviewer"], objection=objection, correct=True, reasons="x")
        services.objection_decide(actor=setup["bureau_admin"], objection=objection, correct=True,
                                  reasons="属于事项范围，责令改正")
        application.refresh_from_db()
        assert application.status == S.APPROVED
        assert application.assignment_due is not None

    def test_an_upheld_objection_leaves_the_refusal(self, setup):
        application = create(setup, contract_dispute())
        services.application_decide(actor=setup["reviewer"], application=application, decision="refuse", reasons="x")
        objection = services.objection_file(actor=setup["window_staff"], application=application, reasons="y")
        services.objection_decide(actor=setup["bureau_admin"], objection=objection, correct=False, reasons="维持")
        application.refresh_from_db()
        assert application.status == S.REJECTED
        with pytest.raises(ConflictError):
            services.objection_decide(actor=setup["bureau_admin"], objection=objection, correct=True, reasons="z")

    def test_advance_aid_only_when_a_deadline_is_under_7_days_away(self, setup, monkeypatch):
        application = create(setup)
        monkeypatch.setattr(services, "_today", lambda: dt.date(2026, 6, 1))
        with pytest.raises(ApplicationError) as exc:
            services.advance_aid_grant(actor=setup["reviewer"], application=application, reason="时效将届满",
                                       limitation_deadline=dt.date(2026, 6, 8))
        assert exc.value.field == "limitation_deadline"
        services.advance_aid_grant(actor=setup["reviewer"], application=application, reason="仲裁时效将届满",
                                   limitation_deadline=dt.date(2026, 6, 7))
        application.refresh_from_db()
        assert application.status == S.ADVANCE_AID
        services.advance_aid_regularise(actor=setup["director"], application=application, reasons="补齐材料")
        application.refresh_from_db()
        assert application.status == S.APPROVED and application.regularised_at is not None


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_deciding_at_once_make_one_decision():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises whole transactions")
    setup = centre_setup()
    application = create(setup)
    results: list[str] = []
    barrier = threading.Barrier(2)

    def decide(user, decision):
        from django.db import connections

        try:
            barrier.wait()
            services.application_decide(actor=user, application=application, decision=decision, reasons="r",
                                        override_reason="o", expected_version=1)
            results.append("ok")
        except ConflictError:
            results.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide, args=(setup["reviewer"], "grant")),
               threading.Thread(target=decide, args=(setup["director"], "refuse"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["conflict", "ok"]
    assert ApplicationEvent.objects.filter(application=application, kind__in=["granted", "refused"]).count() == 1
