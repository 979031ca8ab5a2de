"""Case reads: who sees which case, filters and deadlines, suggestions, hearings, subsidies, query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext

from open12348.legalaid import services_cases as sc
from open12348.legalaid.selectors_cases import (
    access_case,
    case_deadlines,
    case_list_visible_to,
    hearing_calendar,
    lawyer_suggestions,
    monthly_subsidies,
)
from open12348.network.tests.factories import staff_in

from .factories import WOMAN_ELDERLY, id_number, wage_claim
from .test_cases_fixtures import (
    assigned,
    at,
    closed,
    granted,
    in_progress,
    lawyer,
    notified,
)

pytestmark = pytest.mark.django_db




def claimant(n: int) -> dict:
    return wage_claim(applicant={"name": f"申请人{n}", "id_number": id_number(f"410403198001{n + 1:02d}123")})


def numbers(qs) -> set[str]:
    return {case.number for case in qs}


class TestVisibility:
    def test_a_lawyer_sees_only_their_own_cases_and_staff_see_their_region(self, data, clock):
        mine = assigned(data, granted(data, claimant(1)))
        theirs = assigned(data, granted(data, claimant(2)), lawyer=data["other_lawyer"])
        assert numbers(case_list_visible_to(user=data["lawyer"].user)) == {mine.number}
        assert numbers(case_list_visible_to(user=data["other_lawyer"].user)) == {theirs.number}
        assert numbers(case_list_visible_to(user=data["reviewer"])) == {mine.number, theirs.number}
        assert numbers(case_list_visible_to(user=data["bureau_admin"])) == {mine.number, theirs.number}
        assert numbers(case_list_visible_to(user=data["xinhua_reviewer"])) == set()

    def test_access_case_is_one_404_for_missing_and_not_yours(self, data, clock):
        theirs = assigned(data, lawyer=data["other_lawyer"])
        assert access_case(user=data["other_lawyer"].user, id=theirs.pk) == theirs
        for user, pk in ((data["lawyer"].user, theirs.pk), (data["xinhua_reviewer"], theirs.pk),
                         (data["reviewer"], theirs.pk + 1000)):
            with pytest.raises(Http404):
                access_case(user=user, id=pk)

    def test_filters(self, data, clock):
        first = assigned(data, granted(data, claimant(1)))
        second = in_progress(data, clock, granted(data, claimant(2)))
        third = assigned(data, granted(data, claimant(3)), lawyer=data["other_lawyer"])
        director = data["director"]
        assert numbers(case_list_visible_to(user=director, filters={"status": "in_progress"})) == {second.number}
        assert numbers(case_list_visible_to(user=director, filters={"status": ["assigned", "in_progress"]})) == {
            first.number, second.number, third.number}
        assert numbers(case_list_visible_to(user=director, filters={"lawyer": data["other_lawyer"].pk})) == {
            third.number}
        assert numbers(case_list_visible_to(user=director, filters={"q": "申请人2"})) == {second.number}
        assert numbers(case_list_visible_to(user=director, filters={"q": "李秀英"})) == {third.number}
        # Agreement due 8 October for the two still waiting for it.
        due = {"filters": {"deadline": "due_today"}, "today": dt.date(2026, 10, 8)}
        assert numbers(case_list_visible_to(user=director, **due)) == {first.number, third.number}
        soon = {"filters": {"deadline": "due_soon"}, "today": dt.date(2026, 10, 5)}
        assert numbers(case_list_visible_to(user=director, **soon)) == {first.number, third.number}
        late = {"filters": {"deadline": "overdue"}, "today": dt.date(2026, 10, 9)}
        assert numbers(case_list_visible_to(user=director, **late)) == {first.number, third.number}
        assert numbers(case_list_visible_to(user=director, filters={"deadline": "overdue"},
                                            today=dt.date(2026, 10, 8))) == set()

    def test_no_progress_flags_cases_quiet_for_the_configured_days(self, data, clock):
        case = in_progress(data, clock)  # begun 28 September, no entry yet
        flag = {"filters": {"deadline": "no_progress"}}
        assert numbers(case_list_visible_to(user=data["lawyer"].user, today=dt.date(2026, 10, 27), **flag)) == set()
        assert numbers(case_list_visible_to(user=data["lawyer"].user, today=dt.date(2026, 10, 28), **flag)) == {
            case.number}
        clock.set(dt.date(2026, 10, 20))
        sc.progress_add(actor=data["lawyer"].user, case=case, kind="meeting", occurred_on=clock.today)
        assert numbers(case_list_visible_to(user=data["lawyer"].user, today=dt.date(2026, 10, 28), **flag)) == set()


def test_the_case_list_is_a_fixed_number_of_queries(data, clock):
    def count() -> int:
        user = data["director"]
        with CaptureQueriesContext(connection) as queries:
            shown = [(case.application.applicant.name, case.lawyer.name, case.institution.name, case.centre.name,
                      case.region.name, case.lawyer_user and case.lawyer_user.username)
                     for case in case_list_visible_to(user=user, filters={"status": "assigned"})]
        assert shown
        return len(queries)

    for n in range(2):
        assigned(data, granted(data, claimant(n)))
    small = count()
    for n in range(2, 8):
        assigned(data, granted(data, claimant(n)), lawyer=data["other_lawyer"] if n % 2 else data["lawyer"])
    assert count() == small


class TestDeadlines:
    def test_buckets_overdue_today_and_soon(self, data, clock):
        first = assigned(data, granted(data, claimant(1)))  # agreement due 8 October
        clock.set(dt.date(2026, 10, 9))
        second = assigned(data, granted(data, claimant(2)))  # 9 Oct + 5 = Wednesday 14 October
        assert second.agreement_due == dt.date(2026, 10, 14)
        buckets = case_deadlines(user=data["lawyer"].user, today=dt.date(2026, 10, 12))
        assert buckets["overdue"] == [(first, "agreement", dt.date(2026, 10, 8))]
        assert buckets["due_soon"] == [(second, "agreement", dt.date(2026, 10, 14))]
        assert buckets["due_today"] == []
        assert case_deadlines(user=data["lawyer"].user, today=dt.date(2026, 10, 14))["due_today"] == [
            (second, "agreement", dt.date(2026, 10, 14))]
        assert case_deadlines(user=data["other_lawyer"].user, today=dt.date(2026, 10, 12)) == {
            "overdue": [], "due_today": [], "due_soon": []}

    def test_the_subsidy_review_is_the_centres_deadline_not_the_lawyers(self, data, clock):
        case = closed(data, clock)  # closed 28 September: review and subsidy due 30 days later
        assert case.subsidy_due == dt.date(2026, 10, 28)
        day = dt.date(2026, 10, 27)
        assert case_deadlines(user=data["director"], today=day)["due_soon"] == [(case, "subsidy", case.subsidy_due)]
        assert case_deadlines(user=data["lawyer"].user, today=day)["due_soon"] == []

    def test_a_returned_file_is_the_lawyers_closing_deadline(self, data, clock):
        case = sc.archive_review(actor=data["director"], case=closed(data, clock), passed=False, reasons="缺材料")
        assert case_deadlines(user=data["lawyer"].user, today=case.closing_due)["due_today"] == [
            (case, "closing", case.closing_due)]


class TestSuggestions:
    def test_specialty_and_load_beat_a_random_lawyer(self, data, clock):
        firm, labour = data["firm"], data["specialties"]["labour"]
        busy = lawyer(firm, name="忙律师", specialties=[labour])
        random = lawyer(firm, name="随机律师")
        for n in range(3):
            assigned(data, granted(data, claimant(n)), lawyer=busy)
        application = granted(data, claimant(9))
        ranked = lawyer_suggestions(application=application)
        order = [s.lawyer for s in ranked]
        assert order.index(data["lawyer"]) < order.index(busy)
        assert order.index(data["lawyer"]) < order.index(random)
        best = ranked[0]
        assert best.lawyer == data["lawyer"] and best.institution == data["firm"]
        assert any("劳动争议" in reason for reason in best.reasons)
        busy_suggestion = next(s for s in ranked if s.lawyer == busy)
        assert any("3" in reason for reason in busy_suggestion.reasons)
        assert busy_suggestion.score < best.score

    def test_gc_women_routes_to_the_womens_rights_team(self, data, clock):
        firm = data["other_firm"]
        team = lawyer(firm, name="妇女维权律师", specialties=[data["specialties"]["women"]])
        plain = lawyer(firm, name="普通律师")
        woman = granted(data, wage_claim(applicant={"name": "马桂兰", "id_number": WOMAN_ELDERLY}))
        assert "womens_rights_team" in {r["hint"] for r in woman.eligibility["routing"]}
        order = [s.lawyer for s in lawyer_suggestions(application=woman)]
        assert order.index(team) < order.index(plain)
        team_line = gettext("Member of the women's rights lawyer team, to which this case is routed.")
        assert team_line in next(s for s in lawyer_suggestions(application=woman) if s.lawyer == team).reasons
        # A man's wage claim is not routed to the team: no bonus, no such reason.
        man = granted(data, claimant(5))
        assert team_line not in next(s for s in lawyer_suggestions(application=man) if s.lawyer == team).reasons

    def test_minors_go_to_lawyers_familiar_with_minors(self, data, clock):
        firm = data["other_firm"]
        familiar = lawyer(firm, name="少年律师", specialties=[data["specialties"]["minors"]])
        plain = lawyer(firm, name="普通律师")
        order = [s.lawyer for s in lawyer_suggestions(application=notified(data))]
        assert order.index(familiar) < order.index(plain)

    def test_inexperienced_and_conflicted_lawyers_are_reported_after_the_others(self, data, clock):
        criminal = data["specialties"]["criminal"]
        novice = lawyer(data["firm"], name="新律师", since=2025, specialties=[criminal])
        application = notified(data, matter="CR-N-LIFE-DEATH", name="吴某", first17="41040319800202123")
        ranked = lawyer_suggestions(application=application, limit=3)
        novice_suggestion = next(s for s in ranked if s.lawyer == novice)
        assert novice_suggestion.eligible is False and ranked[-1].lawyer == novice
        assert all(s.eligible for s in ranked[:-1])

        # 李秀英 acts for the opposing company elsewhere: she is listed last, with the conflict.
        company = granted(data, wage_claim(applicant={"name": "平顶山某建筑公司", "id_number": ""},
                                           details={**wage_claim()["details"], "opposing_party": "刘某"}))
        other = assigned(data, company, lawyer=data["other_lawyer"])
        ranked = lawyer_suggestions(application=granted(data))
        assert ranked[-1].lawyer == data["other_lawyer"]
        assert [c.other_case_number for c in ranked[-1].conflicts] == [other.number]
        assert all(not s.conflicts for s in ranked[:-1])

    def test_suggestions_are_a_fixed_number_of_queries(self, data, clock):
        def count(application) -> int:
            with CaptureQueriesContext(connection) as queries:
                shown = [(s.lawyer.name, s.institution and s.institution.name, s.reasons)
                         for s in lawyer_suggestions(application=application, limit=50)]
            assert shown
            return len(queries)

        application = granted(data, claimant(20))
        small = count(application)
        for n in range(6):
            person = lawyer(data["other_firm"], name=f"律师{n}", specialties=[data["specialties"]["labour"]])
            assigned(data, granted(data, claimant(n)), lawyer=person)
        assert count(application) == small


class TestHearingsAndSubsidies:
    def test_the_hearing_calendar_shows_hearings_to_those_who_may_see_them(self, data, clock):
        case = in_progress(data, clock)
        hearing = sc.progress_add(actor=data["lawyer"].user, case=case, kind="hearing", occurred_on=clock.today,
                                  hearing_at=at(dt.date(2026, 10, 15), 9), court="卫东区人民法院")
        sc.progress_add(actor=data["lawyer"].user, case=case, kind="meeting", occurred_on=clock.today)
        evaluator = staff_in(data["regions"]["city"], role="evaluator")
        elsewhere = staff_in(data["regions"]["xinhua"], role="evaluator")
        october = {"start": dt.date(2026, 10, 1), "end": dt.date(2026, 10, 31)}
        for user in (data["lawyer"].user, data["reviewer"], evaluator):
            assert list(hearing_calendar(user=user, **october)) == [hearing]
        assert list(hearing_calendar(user=elsewhere, **october)) == []
        assert list(hearing_calendar(user=data["other_lawyer"].user, **october)) == []
        assert list(hearing_calendar(user=evaluator, start=dt.date(2026, 10, 16), end=dt.date(2026, 10, 31))) == []
        assert list(hearing_calendar(user=evaluator, start=dt.date(2026, 10, 15), end=dt.date(2026, 10, 15))) == [
            hearing]

    def test_the_monthly_payment_list(self, data, clock):
        case = sc.archive_review(actor=data["director"], case=closed(data, clock), passed=True)
        subsidy = sc.subsidy_pay(actor=data["director"], case=case, paid_on=clock.today)
        assert list(monthly_subsidies(user=data["director"], month="2026-09")) == [subsidy]
        assert list(monthly_subsidies(user=data["director"], month="2026-10")) == []
        assert list(monthly_subsidies(user=data["xinhua_reviewer"], month="2026-09")) == []
        assert list(monthly_subsidies(user=data["lawyer"].user, month="2026-09")) == [subsidy]
        assert list(monthly_subsidies(user=data["other_lawyer"].user, month="2026-09")) == []
