"""Quality reports and profiles: the figures checked against a small known world, the screens, who
may read what (a refusal exports nothing), and a fixed number of queries whatever the size.

The world (`build`) is the 卫东区 centre in the third quarter of 2026 (the clock stands on
28 September 2026) with five closed civil cases:

| case | lawyer | checks | grade |
|---|---|---|---|
| 1 | 王德洲 | file review 90, hearing 90, follow-up 90 (satisfaction 5, met, risks explained) | 优秀 90.00 |
| 2 | 李秀英 | file review 80 | 良好 80.00 |
| 3 | 王德洲 | file review 50 (archived first: subsidy 1200 → 600) | 不合格 50.00, ticket |
| 4 | 王德洲 | file review 65, follow-up 65 (satisfaction 2, risks not explained, money asked) | 合格 65.00 |
| 5 | 王德洲 | none | — |

plus a complaint ticket on case 2 (opened 1 Sept, due 10 Sept, escalated 11 Sept, closed 20 Sept),
case 1 named exemplary at a panel on 20 Sept, and noise outside the quarter: a case of 王德洲 closed
and graded on 15 October 2026 and one closed and graded on 3 November 2025.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from open12348.audit.models import AuditEvent
from open12348.core.errors import ApplicationError
from open12348.legalaid import services_cases
from open12348.legalaid.tests.test_cases_fixtures import (
    ASSIGNED_ON,
    Clock,
    assigned,
    at,
    full_checklist,
    granted,
    world,
)
from open12348.network.tests.factories import MembershipFactory, UserFactory, staff_in
from open12348.quality import reports, services
from open12348.quality.models import ExemplaryCase, Nomination, PanelSession, Ticket
from open12348.quality.reports import Share

from .test_quality import archive, claim, file_review, observation, with_hearing

pytestmark = pytest.mark.django_db

Q3 = (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
OCTOBER = dt.date(2026, 10, 15)
LAST_YEAR = dt.date(2025, 11, 3)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, ASSIGNED_ON)


def follow_up(data, case, *, score: int, satisfaction: int, risks: bool, money: bool):
    return services.evaluation_record(actor=data["evaluator"], case=case, method="follow_up", contact_mode="phone",
                                      satisfaction=satisfaction, lawyer_met_client=True, risks_explained=risks,
                                      money_asked=money, scores={"meeting": score, "client_contact": score})


def closed_by(data, clock, n: int, person):
    """A civil case handled and closed by `person` (a practitioner with an account)."""
    case = assigned(data, granted(data, claim(n)), lawyer=person)
    services_cases.case_sign_agreement(actor=person.user, case=case, signed_on=clock.today)
    services_cases.case_begin(actor=person.user, case=case)
    services_cases.case_close(actor=person.user, case=case, how_ended="arbitral_award", ended_on=clock.today,
                              outcome="裁决支付工资", amount_recovered="36000", people_aided=1, hearings=1,
                              checklist=full_checklist(case))
    case.refresh_from_db()
    return case


def graded(data, case, score: int):
    file_review(data, case, score)
    return services.case_grade(actor=data["evaluator"], case=case)


def exemplary(data, case, *, held_on: dt.date) -> ExemplaryCase:
    session = PanelSession.objects.create(title="2026年第三季度精品案件评审会", region=data["regions"]["weidong"],
                                          held_on=held_on)
    nomination = Nomination.objects.create(session=session, case=case, reason="裁决全额支持", outcome="exemplary")
    return ExemplaryCase.objects.create(case=case, nomination=nomination, region=case.region, category=case.category,
                                        title="农民工追索劳动报酬案", summary="康某等三人追回工资。")


def base_world() -> dict:
    data = world()
    evaluator = UserFactory(username="wd_evaluator")
    MembershipFactory(user=evaluator, institution=data["centre"], role="evaluator")
    data["evaluator"] = evaluator
    data["leader"] = staff_in(data["regions"]["weidong"], role="leader", username="wd_leader")
    data["xinhua_evaluator"] = staff_in(data["regions"]["xinhua"], role="evaluator", username="xh_evaluator")
    return data


def build(clock) -> dict:
    data = base_world()
    case1, hearing = with_hearing(data, clock, n=1)
    file_review(data, case1, 90)
    observation(data, case1, hearing, 90)
    follow_up(data, case1, score=90, satisfaction=5, risks=True, money=False)
    services.case_grade(actor=data["evaluator"], case=case1)

    case2 = closed_by(data, clock, 2, data["other_lawyer"])
    graded(data, case2, 80)

    case3, _hearing = with_hearing(data, clock, n=3)
    graded(data, archive(data, case3), 50)

    case4, _hearing = with_hearing(data, clock, n=4)
    file_review(data, case4, 65)
    follow_up(data, case4, score=65, satisfaction=2, risks=False, money=True)
    services.case_grade(actor=data["evaluator"], case=case4)

    case5, _hearing = with_hearing(data, clock, n=5)
    # ticket_open leaves opened_at to the model default, bound to the real timezone.now before the
    # test clock replaced it: put the unqualified grade's ticket on the day it was opened.
    Ticket.objects.filter(case=case3).update(opened_at=at(ASSIGNED_ON))

    Ticket.objects.create(case=case2, reason="complaint", complaint="律师未按时出庭", owner=data["other_lawyer"].user,
                          deadline=dt.date(2026, 9, 10), correction="说明情况", opened_at=at(dt.date(2026, 9, 1)),
                          escalated_at=at(dt.date(2026, 9, 11)), status="closed", evidence="已说明",
                          closed_at=at(dt.date(2026, 9, 20)))
    exemplary(data, case1, held_on=dt.date(2026, 9, 20))

    clock.set(OCTOBER)
    graded(data, with_hearing(data, clock, n=6)[0], 95)
    clock.set(LAST_YEAR)
    graded(data, with_hearing(data, clock, n=7)[0], 70)
    clock.set(ASSIGNED_ON)
    data["cases"] = [case1, case2, case3, case4, case5]
    return data


@pytest.fixture
def data(clock):
    return build(clock)


def q3_report(data, user=None):
    return reports.quality_report(user=user or data["evaluator"], centre=data["centre"], start=Q3[0], end=Q3[1])


# --- the figures ---------------------------------------------------------------------------------

class TestQualityReport:
    def test_title_names_the_city_the_centre_and_the_quarter(self, data):
        report = q3_report(data)
        assert report.title == "平顶山市卫东区法律援助中心 2026年第三季度 法律援助案件质量报告"

    def test_cases_closed_by_category_count_the_quarter_only(self, data):
        report = q3_report(data)
        assert {row.code: row.count for row in report.closed_by_category} == {
            "criminal": 0, "civil": 5, "administrative": 0, "non_litigation": 0}
        assert report.closed_total == 5

    def test_checks_by_method_count_records_and_cases(self, data):
        report = q3_report(data)
        assert {m.method: (m.records, m.cases) for m in report.evaluations} == {
            "file_review": (4, 4), "hearing": (1, 1), "follow_up": (2, 2), "opinion": (0, 0)}
        assert report.cases_evaluated == 4

    def test_grade_distribution_good_rate_pass_rate_and_mean(self, data):
        grades = q3_report(data).grades
        assert grades.ordered() == [("优秀", 1), ("良好", 1), ("合格", 1), ("不合格", 1)]
        assert grades.graded == 4
        assert grades.mean_score == Decimal("71.25")  # (90 + 80 + 50 + 65) / 4
        assert grades.good_rate == Decimal("0.5000") and isinstance(grades.good_rate, Share)
        assert grades.pass_rate == Decimal("0.7500")

    def test_follow_up_findings(self, data):
        follow = q3_report(data).follow_up
        assert follow.records == 2
        assert follow.satisfaction_mean == Decimal("3.50")
        assert follow.met_client == Decimal("1.0000")
        assert follow.risks_explained == Decimal("0.5000")
        assert follow.money_asked == 1

    def test_tickets_by_reason(self, data):
        report = q3_report(data)
        rows = {t.reason: (t.opened, t.closed, t.overdue, t.escalated, t.open_at_end) for t in report.tickets}
        # The unqualified grade's ticket is due in October: not overdue in the quarter, still open at its end.
        assert rows == {"unqualified_grade": (1, 0, 0, 0, 1), "complaint": (1, 1, 1, 1, 0)}
        total = report.tickets_total
        assert (total.opened, total.closed, total.overdue, total.escalated, total.open_at_end) == (2, 1, 1, 1, 1)

    def test_a_ticket_closed_on_its_deadline_is_not_overdue(self, data):
        Ticket.objects.filter(reason="complaint").update(closed_at=at(dt.date(2026, 9, 10), 17))
        rows = {t.reason: t.overdue for t in q3_report(data).tickets}
        assert rows["complaint"] == 0

    def test_subsidies_reduced_for_quality(self, data):
        report = q3_report(data)
        [cut] = report.subsidy_cuts
        assert cut.case_number == data["cases"][2].number
        assert (cut.amount_before, cut.amount, cut.factor, cut.withheld) == (
            Decimal("1200.00"), Decimal("600.00"), Decimal("0.5"), False)
        assert report.subsidy_reduced_total == Decimal("600.00")

    def test_exemplary_cases_named_in_the_quarter(self, data):
        [named] = q3_report(data).exemplary
        assert (named.case_number, named.lawyer, named.named_on) == (
            data["cases"][0].number, "王德洲", dt.date(2026, 9, 20))
        later = reports.quality_report(user=data["evaluator"], centre=data["centre"], start=dt.date(2026, 10, 1),
                                       end=dt.date(2026, 12, 31))
        assert later.exemplary == []

    def test_per_lawyer_table(self, data):
        rows = q3_report(data).lawyers
        assert [row.name for row in rows] == ["李秀英", "王德洲"]  # by pinyin
        li, wang = rows
        assert (li.grades.graded, li.grades.mean_score, li.grades.ordered(), li.open_tickets) == (
            1, Decimal("80.00"), [("优秀", 0), ("良好", 1), ("合格", 0), ("不合格", 0)], 0)
        assert (wang.grades.graded, wang.grades.mean_score, wang.open_tickets) == (3, Decimal("68.33"), 1)
        assert wang.grades.ordered() == [("优秀", 1), ("良好", 0), ("合格", 1), ("不合格", 1)]
        assert wang.institution == "河南鹰城律师事务所"

    def test_another_period_counts_its_own_cases(self, data):
        report = reports.quality_report(user=data["evaluator"], centre=data["centre"], start=dt.date(2026, 10, 1),
                                        end=dt.date(2026, 12, 31))
        assert report.closed_total == 1 and report.grades.graded == 1
        assert report.grades.mean_score == Decimal("95.00") and report.grades.good_rate == Decimal("1")
        assert report.period == "2026年第四季度"

    def test_an_empty_period_has_no_rates(self, data):
        report = reports.quality_report(user=data["evaluator"], centre=data["centre"], start=dt.date(2024, 1, 1),
                                        end=dt.date(2024, 12, 31))
        assert report.closed_total == 0 and report.grades.graded == 0
        assert report.grades.mean_score is None and report.grades.good_rate is None
        assert report.follow_up.satisfaction_mean is None
        assert report.title.endswith("2024年度 法律援助案件质量报告")

    def test_directors_leaders_and_the_bureau_read_it_lawyers_and_other_regions_do_not(self, data):
        for who in ("director", "leader", "bureau_admin"):
            assert q3_report(data, data[who]).grades.graded == 4
        with pytest.raises(ApplicationError) as error:
            q3_report(data, data["lawyer"].user)
        assert error.value.status == 403
        with pytest.raises(ApplicationError) as error:
            q3_report(data, data["xinhua_evaluator"])
        assert error.value.status == 404
        with pytest.raises(ApplicationError) as error:  # a law firm has no quality report
            reports.quality_report(user=data["evaluator"], centre=data["firm"], start=Q3[0], end=Q3[1])
        assert error.value.status == 404


def test_period_words():
    words = reports.period_words
    assert words(dt.date(2026, 7, 1), dt.date(2026, 9, 30)) == "2026年第三季度"
    assert words(dt.date(2026, 1, 1), dt.date(2026, 3, 31)) == "2026年第一季度"
    assert words(dt.date(2026, 1, 1), dt.date(2026, 12, 31)) == "2026年度"
    assert words(dt.date(2026, 7, 1), dt.date(2026, 12, 31)) == "2026年下半年"
    assert words(dt.date(2026, 2, 1), dt.date(2026, 2, 28)) == "2026年2月"
    assert words(dt.date(2026, 7, 1), dt.date(2026, 9, 29)) == "2026年7月1日至2026年9月29日"
    assert words(dt.date(2025, 10, 1), dt.date(2026, 3, 31)) == "2025年10月1日至2026年3月31日"


def test_the_report_is_a_fixed_number_of_queries(clock, django_assert_max_num_queries):
    data = base_world()
    graded(data, with_hearing(data, clock, n=1)[0], 90)
    evaluator = type(data["evaluator"]).objects.get(pk=data["evaluator"].pk)  # no cached region paths
    with CaptureQueriesContext(connection) as small:
        reports.quality_report(user=evaluator, centre=data["centre"], start=Q3[0], end=Q3[1])
    for n, score in ((2, 40), (3, 80), (4, 65), (5, 85)):
        case = closed_by(data, clock, n, data["other_lawyer"]) if n % 2 else with_hearing(data, clock, n=n)[0]
        graded(data, case, score)
        follow_up(data, case, score=score, satisfaction=4, risks=True, money=False)
    exemplary(data, case, held_on=dt.date(2026, 9, 1))
    evaluator = type(data["evaluator"]).objects.get(pk=data["evaluator"].pk)
    with django_assert_max_num_queries(len(small)):
        report = reports.quality_report(user=evaluator, centre=data["centre"], start=Q3[0], end=Q3[1])
    assert report.grades.graded == 5 and len(report.lawyers) == 2 and len(report.exemplary) == 1
    assert len(small) <= 14


# --- profiles ------------------------------------------------------------------------------------

class TestProfiles:
    def test_a_lawyers_profile_by_year(self, data):
        profile = reports.lawyer_quality_profile(user=data["evaluator"], practitioner=data["lawyer"])
        assert [year for year, _f in profile.years] == [2026, 2025]
        this_year, last_year = (figures for _year, figures in profile.years)
        # 2026: cases 1, 3, 4, 5 (September) and 6 (October).
        assert (this_year.assigned, this_year.closed) == (5, 5)
        assert this_year.grades.ordered() == [("优秀", 2), ("良好", 0), ("合格", 1), ("不合格", 1)]
        assert this_year.grades.mean_score == Decimal("75.00")  # (90 + 50 + 65 + 95) / 4
        assert (this_year.tickets_opened, this_year.tickets_closed, this_year.complaints) == (1, 0, 0)
        assert (this_year.exemplary, this_year.follow_ups, this_year.satisfaction_mean) == (1, 2, Decimal("3.50"))
        assert (last_year.assigned, last_year.closed, last_year.grades.graded) == (1, 1, 1)
        assert last_year.grades.mean_score == Decimal("70.00")
        assert profile.total.grades.graded == 5 and profile.total.assigned == 6

    def test_complaints_and_overdue_tickets_count_for_the_lawyer_concerned(self, data):
        profile = reports.lawyer_quality_profile(user=data["evaluator"], practitioner=data["other_lawyer"])
        [(year, figures)] = profile.years
        assert year == 2026
        assert (figures.tickets_opened, figures.tickets_closed, figures.tickets_overdue, figures.complaints) == (
            1, 1, 1, 1)
        assert figures.grades.ordered() == [("优秀", 0), ("良好", 1), ("合格", 0), ("不合格", 0)]

    def test_an_open_ticket_past_its_deadline_is_overdue(self, data, clock):
        ticket = Ticket.objects.get(reason="unqualified_grade")
        clock.set(ticket.deadline + dt.timedelta(days=1))
        profile = reports.lawyer_quality_profile(user=data["evaluator"], practitioner=data["lawyer"])
        assert dict(profile.years)[2026].tickets_overdue == 1

    def test_a_firms_profile(self, data):
        profile = reports.institution_quality_profile(user=data["director"], institution=data["firm"])
        this_year = dict(profile.years)[2026]
        assert this_year.grades.graded == 4 and this_year.exemplary == 1
        other = reports.institution_quality_profile(user=data["director"], institution=data["other_firm"])
        assert dict(other.years)[2026].complaints == 1

    def test_a_lawyer_sees_their_own_profile_only(self, data):
        own = reports.lawyer_quality_profile(user=data["lawyer"].user, practitioner=data["lawyer"])
        assert own.total.grades.graded == 5
        for call in (lambda: reports.lawyer_quality_profile(user=data["lawyer"].user,
                                                            practitioner=data["other_lawyer"]),
                     lambda: reports.institution_quality_profile(user=data["lawyer"].user, institution=data["firm"])):
            with pytest.raises(ApplicationError) as error:
                call()
            assert error.value.status == 404

    def test_staff_of_another_region_and_staff_without_the_capability_are_refused(self, data):
        with pytest.raises(ApplicationError) as error:
            reports.lawyer_quality_profile(user=data["xinhua_evaluator"], practitioner=data["lawyer"])
        assert error.value.status == 404
        with pytest.raises(ApplicationError) as error:
            reports.lawyer_quality_profile(user=data["window_staff"], practitioner=data["lawyer"])
        assert error.value.status == 403

    def test_the_annual_list(self, data):
        rows = reports.profile_list(user=data["evaluator"], kind="lawyer", year=2026)
        assert [row.subject.name for row in rows] == ["李秀英", "王德洲"]
        assert [row.figures.grades.graded for row in rows] == [1, 4]
        assert reports.profile_list(user=data["xinhua_evaluator"], kind="lawyer", year=2026) == []
        firms = reports.profile_list(user=data["evaluator"], kind="institution", year=2025)
        assert [(row.subject.name, row.figures.grades.graded) for row in firms] == [("河南鹰城律师事务所", 1)]

    def test_profiles_are_a_fixed_number_of_queries(self, data, clock, django_assert_max_num_queries):
        def fresh():
            return type(data["evaluator"]).objects.get(pk=data["evaluator"].pk)

        with CaptureQueriesContext(connection) as before:
            reports.lawyer_quality_profile(user=fresh(), practitioner=data["lawyer"])
            reports.profile_list(user=fresh(), kind="lawyer", year=2026)
        for n in range(20, 24):
            graded(data, with_hearing(data, clock, n=n)[0], 60 + n)
        with django_assert_max_num_queries(len(before)):
            reports.lawyer_quality_profile(user=fresh(), practitioner=data["lawyer"])
            reports.profile_list(user=fresh(), kind="lawyer", year=2026)


# --- the screens -----------------------------------------------------------------------------------

def login(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # assert on the English source strings
    return client


def q3_query(data, **extra) -> dict:
    return {"centre": data["centre"].pk, "start": "2026-07-01", "end": "2026-09-30", **extra}


def exports() -> int:
    return AuditEvent.objects.filter(action="quality.report_export").count()


class TestReportScreens:
    def test_the_form_offers_the_visible_centres_and_the_previous_quarter(self, data):
        body = login(data["evaluator"]).get(reverse("quality:report")).content.decode()
        assert "卫东区法律援助中心" in body and "新华区法律援助中心" not in body
        assert 'value="2026-04-01"' in body and 'value="2026-06-30"' in body  # the last whole quarter
        bureau = login(data["bureau_admin"]).get(reverse("quality:report")).content.decode()
        assert "卫东区法律援助中心" in bureau

    def test_the_preview_shows_the_report_and_the_download_links(self, data):
        response = login(data["evaluator"]).get(reverse("quality:report"), q3_query(data))
        body = response.content.decode()
        assert response.status_code == 200
        assert "平顶山市卫东区法律援助中心 2026年第三季度 法律援助案件质量报告" in body
        for key in ("summary", "closed", "evaluations", "grades", "follow_up", "tickets", "subsidies", "exemplary",
                    "lawyers"):
            assert f'data-table="{key}"' in body
        assert "71.25" in body and "50.00%" in body and "75.00%" in body
        assert 'data-export="pdf"' in body and "format=xlsx" in body
        assert exports() == 0  # a preview is not an export

    def test_field_errors_are_shown_and_what_was_typed_is_kept(self, data):
        response = login(data["evaluator"]).get(reverse("quality:report"), q3_query(data, start="2026-09-30",
                                                                                   end="2026-07-01"))
        body = response.content.decode()
        assert response.status_code == 400
        assert "The end of the period is before its start." in body
        assert 'value="2026-09-30"' in body and 'value="2026-07-01"' in body
        response = login(data["evaluator"]).get(reverse("quality:report"), q3_query(data, start="30.9.2026"))
        assert response.status_code == 400
        assert "Enter the date as YYYY-MM-DD." in response.content.decode()
        assert 'value="30.9.2026"' in response.content.decode()

    def test_the_pdf_download_is_audited(self, data):
        response = login(data["director"]).get(reverse("quality:report_download"), q3_query(data, format="pdf"))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
        event = AuditEvent.objects.get(action="quality.report_export")
        assert event.actor == data["director"] and event.object_id == str(data["centre"].pk)
        assert event.extra["format"] == "pdf" and event.extra["start"] == "2026-07-01"

    def test_the_excel_download_has_the_numbers_as_numbers(self, data):
        response = login(data["evaluator"]).get(reverse("quality:report_download"), q3_query(data, format="xlsx"))
        assert response.status_code == 200
        workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        summary = {row[0]: row[1] for row in workbook.worksheets[0].iter_rows(min_row=2, values_only=True)}
        assert list(summary.values())[2:8] == [5, 4, 4, 71.25, 0.5, 0.75]
        assert exports() == 1

    def test_refused_users_get_403_or_404_and_nothing_is_exported(self, data):
        for who, status in (("lawyer", 403), ("window_staff", 403), ("xinhua_evaluator", 404)):
            user = data[who].user if who == "lawyer" else data[who]
            client = login(user)
            assert client.get(reverse("quality:report"), q3_query(data)).status_code == status
            for fmt in ("pdf", "xlsx"):
                assert client.get(reverse("quality:report_download"), q3_query(data, format=fmt)).status_code == status
        assert exports() == 0

    def test_a_bad_format_is_a_400_and_exports_nothing(self, data):
        response = login(data["evaluator"]).get(reverse("quality:report_download"), q3_query(data, format="docx"))
        assert response.status_code == 400
        assert exports() == 0


class TestProfileScreens:
    def test_staff_find_a_lawyer_and_a_firm_by_name(self, data):
        body = login(data["evaluator"]).get(reverse("quality:profiles"), {"q": "鹰城"}).content.decode()
        assert f'data-institution="{data["firm"].pk}"' in body
        body = login(data["evaluator"]).get(reverse("quality:profiles"), {"q": "wdz"}).content.decode()
        assert f'data-practitioner="{data["lawyer"].pk}"' in body
        assert f'data-practitioner="{data["other_lawyer"].pk}"' not in body

    def test_a_lawyer_finds_only_themselves(self, data):
        body = login(data["lawyer"].user).get(reverse("quality:profiles"), {"q": "李"}).content.decode()
        assert f'data-practitioner="{data["lawyer"].pk}"' in body
        assert f'data-practitioner="{data["other_lawyer"].pk}"' not in body
        assert "data-export-form" not in body

    def test_profile_pages(self, data):
        client = login(data["evaluator"])
        body = client.get(reverse("quality:lawyer_profile", args=[data["lawyer"].pk])).content.decode()
        assert "王德洲" in body and 'data-table="years"' in body and "75.00" in body
        body = client.get(reverse("quality:institution_profile", args=[data["firm"].pk])).content.decode()
        assert "河南鹰城律师事务所" in body and 'data-table="years"' in body

    def test_who_may_open_a_profile(self, data):
        own = login(data["lawyer"].user)
        assert own.get(reverse("quality:lawyer_profile", args=[data["lawyer"].pk])).status_code == 200
        assert own.get(reverse("quality:lawyer_profile", args=[data["other_lawyer"].pk])).status_code == 404
        assert own.get(reverse("quality:institution_profile", args=[data["firm"].pk])).status_code == 404
        outsider = login(data["xinhua_evaluator"])
        assert outsider.get(reverse("quality:lawyer_profile", args=[data["lawyer"].pk])).status_code == 404
        assert outsider.get(reverse("quality:institution_profile", args=[data["firm"].pk])).status_code == 404
        assert login(data["window_staff"]).get(reverse("quality:profiles")).status_code == 403
        assert login(data["evaluator"]).get(reverse("quality:lawyer_profile", args=[999999])).status_code == 404

    def test_the_annual_export(self, data):
        response = login(data["evaluator"]).get(reverse("quality:profiles_export"), {"year": 2026, "kind": "lawyer"})
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
        assert [row[0] for row in rows[1:]] == ["李秀英", "王德洲"]
        wang = rows[2]
        with translation.override("zh-hans"):  # the workbook is always in Chinese
            graded_at = rows[0].index(gettext("Cases graded"))
        assert wang[graded_at] == 4 and wang[graded_at + 1:graded_at + 5] == (2, 0, 1, 1)
        event = AuditEvent.objects.get(action="quality.profiles_export")
        assert event.extra == {"year": 2026, "kind": "lawyer", "rows": 2, "format": "xlsx"}

    def test_the_annual_export_is_refused_to_lawyers_and_checks_its_input(self, data):
        assert login(data["lawyer"].user).get(reverse("quality:profiles_export"),
                                              {"year": 2026, "kind": "lawyer"}).status_code == 403
        response = login(data["evaluator"]).get(reverse("quality:profiles_export"), {"year": 1999, "kind": "lawyer"})
        assert response.status_code == 400
        assert "Choose one of the years listed." in response.content.decode()
        assert not AuditEvent.objects.filter(action="quality.profiles_export").exists()


def test_previous_quarter():
    from open12348.quality.views_reports import previous_quarter

    assert previous_quarter(dt.date(2026, 9, 28)) == (dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    assert previous_quarter(dt.date(2026, 2, 1)) == (dt.date(2025, 10, 1), dt.date(2025, 12, 31))
