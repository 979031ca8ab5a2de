"""The summary tables against hand-counted records: each figure, and the edge cases the dashboard
must not get wrong (a withdrawn application, a case reassigned to another county's lawyer, a case
aiding 48 people, a call whose events arrive twice)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum

from open12348.hotline.services.ingest import call_events_ingest
from open12348.hotline.tests.factories import call_events, hotline_world, local
from open12348.legalaid import services, services_cases
from open12348.legalaid.tests.factories import contract_dispute, id_number, wage_claim
from open12348.legalaid.tests.test_cases_fixtures import ASSIGNED_ON, closed, granted, lawyer
from open12348.network.choices import InstitutionKind
from open12348.network.tests.factories import InstitutionFactory
from open12348.stats.models import Tally
from open12348.stats.services import stats_check, stats_rebuild, stats_refresh, stats_sweep
from open12348.stats.sources import SOURCES

pytestmark = pytest.mark.django_db


def total(metric: str, measure: str = "n", **cell) -> int | Decimal:
    return Tally.objects.filter(metric=metric, grain="d", **cell).aggregate(s=Sum(measure))["s"] or 0


def all_consistent() -> None:
    for name in SOURCES:
        result = stats_check(source=name)
        assert result.ok, result.differences


def test_the_legal_aid_figures_are_the_hand_counted_ones(data, clock):
    stats_sweep()  # builds every source (empty) and sets the watermarks
    wage = granted(data)                                    # 3 people, migrant worker, granted …
    case = closed(data, clock, wage)                        # … and closed: 3 aided, 36,000 yuan recovered
    refused = services.application_create(actor=data["window_staff"], centre=data["centre"], channel="online",
                                          **contract_dispute())
    services.application_decide(actor=data["director"], application=refused, decision="refuse",
                                reasons="不属于法律援助范围", override_reason="")
    withdrawn = services.application_create(
        actor=data["window_staff"], centre=data["centre"], channel="window",
        **wage_claim(applicant={"name": "张三", "id_number": id_number("41040319800101123"),
                                "groups": ["migrant_worker"]}))
    services.application_withdraw(actor=data["window_staff"], application=withdrawn, note="已自行协商解决")
    big = wage_claim(applicant={"name": "李四", "id_number": id_number("41040319750101123"),
                                "groups": ["migrant_worker"]})
    big["details"] = {**big["details"], "people_count": 48}
    granted(data, big)                                      # 48 people, granted, no lawyer yet
    stats_sweep()

    assert total("aid.applied") == 4
    assert total("aid.applied", "people") == 3 + 1 + 3 + 48
    assert {c: total("aid.applied", c=c) for c in ("grant", "refuse", "withdrawn", "pending")} == {
        "grant": 2, "refuse": 1, "withdrawn": 1, "pending": 0}
    assert total("aid.applied", a="online") == 1 and total("aid.applied", a="window") == 3
    assert total("aid.applied", "on_time") == 3  # the three migrant workers' claims took the green channel
    assert total("aid.group", a="migrant_worker") == 3 and total("aid.group", "people", a="migrant_worker") == 54
    assert total("aid.decided") == 3 and total("aid.decided", "on_time") == 3
    assert total("aid.decided", a="refuse") == 1
    assert total("aid.case") == 1 and total("aid.case", b="closed") == 1 and total("aid.case", "on_time") == 1
    assert total("aid.case", "people") == 3 and total("aid.case", "amount") == Decimal("36000")
    assert total("aid.closed", "amount") == Decimal("36000") and total("aid.closed", b="arbitral_award") == 1
    assert total("aid.case_group", "amount", a="migrant_worker") == Decimal("36000")
    assert case.status == "closed"
    all_consistent()


def test_a_case_aiding_48_people_counts_48_people_once(data, clock):
    stats_sweep()
    payload = wage_claim()
    payload["details"] = {**payload["details"], "people_count": 48}
    application = granted(data, payload)
    case = services_cases.case_assign(actor=data["director"], application=application, lawyer=data["lawyer"])
    stats_sweep()
    assert total("aid.applied") == 1 and total("aid.applied", "people") == 48
    assert total("aid.case") == 1 and total("aid.case", "people") == 48
    assert total("aid.group", "people", a="migrant_worker") == 48
    assert case.pk
    all_consistent()


def test_a_withdrawn_application_leaves_pending_and_is_counted_once(data, clock):
    stats_sweep()
    application = services.application_create(actor=data["window_staff"], centre=data["centre"], channel="window",
                                              **wage_claim())
    stats_sweep()
    assert total("aid.applied", c="pending") == 1
    clock.set(ASSIGNED_ON + dt.timedelta(days=1))
    services.application_withdraw(actor=data["window_staff"], application=application, note="不再需要")
    stats_sweep()
    assert total("aid.applied", c="pending") == 0 and total("aid.applied", c="withdrawn") == 1
    assert total("aid.applied") == 1 and not Tally.objects.filter(metric="aid.applied", n=0).exists()
    all_consistent()


def test_a_case_reassigned_to_another_countys_lawyer_moves_between_institutions_not_double_counted(data, clock):
    stats_sweep()
    case = services_cases.case_assign(actor=data["director"], application=granted(data), lawyer=data["lawyer"])
    stats_sweep()
    assert total("aid.handler", a=str(data["firm"].pk)) == 1
    xinhua_firm = InstitutionFactory(kind=InstitutionKind.LAW_FIRM, name="河南新华律师事务所",
                                     region=data["regions"]["xinhua"])
    elsewhere = lawyer(xinhua_firm, name="赵刚", region=data["regions"]["xinhua"])
    clock.set(ASSIGNED_ON + dt.timedelta(days=1))
    services_cases.case_reassign(actor=data["director"], case=case, lawyer=elsewhere, reason="受援人申请更换律师",
                                 institution=xinhua_firm)
    stats_sweep()
    assert total("aid.handler", a=str(data["firm"].pk)) == 0
    assert total("aid.handler", a=str(xinhua_firm.pk)) == 1
    assert total("aid.lawyer", a=str(elsewhere.pk), b=str(xinhua_firm.pk)) == 1
    assert total("aid.case") == 1 and total("aid.case", region=data["regions"]["weidong"]) == 1
    all_consistent()


def test_a_call_whose_events_arrive_twice_is_one_call():
    world = hotline_world()
    stats_sweep()
    events = call_events(at=local(2026, 11, 2, 9, 30), wait=6)
    missed = call_events(at=local(2026, 11, 2, 9, 40), answered=False)
    call_events_ingest(hotline=world["hotline"], events=events + events[::-1] + missed, actor=None,
                       client=world["client"])
    stats_sweep()
    assert total("hotline.call") == 2
    assert total("hotline.call", "on_time") == 1 and total("hotline.call", "duration", b="answered") == 6
    assert total("hotline.callback") == 1 and total("hotline.callback", a="open") == 1
    all_consistent()


def test_the_check_reports_a_changed_cell_and_the_rebuild_repairs_it(data, clock):
    granted(data)
    stats_sweep()
    Tally.objects.filter(metric="aid.applied").update(n=5)
    result = stats_check(source="legalaid.application")
    assert not result.ok
    assert any("aid.applied" in line and "records 1" in line for line in result.differences)
    stats_rebuild(source="legalaid.application")
    assert stats_check(source="legalaid.application").ok and total("aid.applied") == 1


def test_refreshing_a_record_twice_changes_nothing(data, clock):
    application = granted(data)
    stats_sweep()
    before = list(Tally.objects.order_by("pk").values())
    assert stats_refresh(source="legalaid.application", ids=[application.pk, application.pk]) == 0
    assert list(Tally.objects.order_by("pk").values()) == before


def test_a_deleted_record_leaves_its_cells_on_the_next_sweep(data, clock):
    application = services.application_create(actor=data["window_staff"], centre=data["centre"], channel="window",
                                              **wage_claim())
    stats_sweep()
    assert total("aid.applied") == 1
    application.events.all().delete()
    application.delete()
    stats_sweep()
    assert total("aid.applied") == 0 and not Tally.objects.filter(metric__startswith="aid.").exists()
    all_consistent()


def test_mediation_figures_follow_each_dispute_to_its_end():
    from open12348.mediation.models import DisputeCase
    from open12348.network.tests.factories import pingdingshan, staff_in
    from open12348.stats.selectors import Period, mediation_figures

    regions = pingdingshan()
    committee = InstitutionFactory(kind=InstitutionKind.MEDIATION_COMMITTEE, region=regions["weidong_township"])
    received = dt.date(2026, 3, 2)

    def dispute(number: str, status: str, days: int | None) -> DisputeCase:
        return DisputeCase.objects.create(
            number=number, committee=committee, region=regions["weidong_township"], dispute_type="neighbours",
            source="walk_in", status=status, received_on=received, guideline_due=dt.date(2026, 4, 2),
            closed_on=received + dt.timedelta(days=days) if days is not None else None)

    dispute("调1", "agreed", 20)   # within the month
    dispute("调2", "failed", 40)   # past it
    pending = dispute("调3", "mediating", None)
    stats_sweep()
    leader = staff_in(regions["city"], role="leader")
    period = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    f = mediation_figures(user=leader, period=period)
    assert (f["disputes"], f["agreed"], f["failed"], f["open"]) == (3, 1, 1, 1)
    assert (f["success_rate_pct"], f["closed_within_a_month_pct"], f["average_days_to_close"]) == (50.0, 50.0, 30.0)
    pending.status, pending.closed_on = "agreed", received + dt.timedelta(days=10)
    pending.save()
    stats_sweep()
    f = mediation_figures(user=leader, period=period)
    assert (f["disputes"], f["agreed"], f["open"], f["success_rate_pct"]) == (3, 2, 0, 66.67)
    all_consistent()


def test_video_figures_count_waiting_and_talking_time():
    from open12348.network.tests.factories import pingdingshan, staff_in
    from open12348.stats.selectors import Period, video_figures
    from open12348.video.models import VideoSession

    regions = pingdingshan()
    office = InstitutionFactory(kind=InstitutionKind.JUDICIAL_OFFICE, region=regions["weidong_township"])
    centre = InstitutionFactory(kind=InstitutionKind.LEGAL_AID_CENTRE, region=regions["weidong"])
    station = staff_in(regions["weidong_township"], role="station_staff")
    asked = local(2026, 5, 6, 9, 0)
    common = {"requesting_point": office, "serving_point": centre, "region": regions["weidong_township"],
              "mode": "now", "visitor_name": "张大爷", "requested_by": station, "waiting_since": asked}
    VideoSession.objects.create(number="视1", status="ended", taken_at=asked + dt.timedelta(minutes=5),
                                ended_at=asked + dt.timedelta(minutes=35), **common)
    VideoSession.objects.create(number="视2", status="waiting", **common)
    stats_sweep()
    f = video_figures(user=staff_in(regions["city"], role="leader"), period=Period(dt.date(2026, 1, 1),
                                                                                   dt.date(2026, 12, 31)))
    assert (f["sessions"], f["served"], f["average_minutes_waited"], f["average_minutes_talked"]) == (2, 1, 5.0, 30.0)
    assert f["points_served"] == 1
    all_consistent()


def test_a_courts_notification_is_counted_as_notified_not_as_waiting_for_a_decision(data, clock):
    from open12348.legalaid.tests.test_cases_fixtures import notified

    stats_sweep()
    notified(data)
    stats_sweep()
    assert total("aid.applied", c="notified") == 1 and total("aid.applied", c="pending") == 0
    all_consistent()
