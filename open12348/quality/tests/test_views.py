"""The case quality screens: the evaluator's desk, samples and peer review, a case's quality page with
the four checks, tickets, schemes, review panels, exemplary cases and the public library.

Forms are driven through the test client end to end; every refusal also checks that nothing changed;
lists are checked for a fixed number of queries whatever their length.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from open12348.audit.models import AuditEvent
from open12348.legalaid import services_cases
from open12348.legalaid.models import ProgressEntry
from open12348.legalaid.tests.test_cases_fixtures import at, granted, in_progress
from open12348.network.tests.factories import MembershipFactory, UserFactory, staff_in
from open12348.notifications.models import Notification
from open12348.quality import services, services_panels, services_review
from open12348.quality.models import (
    CaseGrade,
    Evaluation,
    ExemplaryCase,
    Nomination,
    ObservationPlan,
    OpinionLetter,
    PanelSession,
    PanelVote,
    Sample,
    SampleCase,
    Scheme,
    Ticket,
)

from .test_panels import graded, panel_members
from .test_quality import ASSIGNED_ON, CIVIL_FILE_ITEMS, archive, claim, file_review, with_hearing
from .test_review import evaluator_in

pytestmark = pytest.mark.django_db


def login(user, *, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def zh(message: str, **values) -> str:
    """The message as a Chinese user sees it (the catalogue's translation once the lead fills it)."""
    with translation.override("zh-hans"):
        text = translation.gettext(message)
    return text % values if values else text


def field_errors(response, name: str) -> list[str]:
    """The messages shown at one field (legalaid/_field.html marks them with data-field)."""
    html = response.content.decode()
    return re.findall(rf'data-field="{re.escape(name)}">([^<]*)<', html)


def is_checked(response, name: str, value) -> bool:
    html = response.content.decode()
    return bool(re.search(rf'<input[^>]*name="{re.escape(name)}" value="{value}"[^>]*checked', html))


def query_count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def file_review_post(case, score: int, **extra) -> dict:
    scheme = Scheme.objects.get(code="civil", is_current=True)
    return {"scheme": scheme.pk, "evaluated_on": "", "comments": "卷宗材料齐全",
            **{f"score_{code}": score for code in CIVIL_FILE_ITEMS}, **extra}


def upcoming_hearing(data, clock, n: int, *, days: int = 5, hour: int = 9):
    """A case in progress with a hearing `days` from today."""
    case = in_progress(data, clock, granted(data, claim(n)))
    return services_cases.progress_add(actor=data["lawyer"].user, case=case, kind="hearing",
                                       occurred_on=clock.today, court="卫东区人民法院", courtroom="第三法庭",
                                       hearing_at=at(clock.today + dt.timedelta(days=days), hour))


# --- the evaluator's desk --------------------------------------------------------------------------

def desk_world(data, clock, *, n: int, start: int = 1) -> None:
    """n of each thing the desk lists: hearings nobody observes, planned ones, open tickets, letters."""
    for i in range(start, start + n):
        upcoming_hearing(data, clock, 100 + i)
        planned = upcoming_hearing(data, clock, 200 + i, days=3)
        services_review.observation_plan(actor=data["evaluator"], hearing=planned)
        case, _hearing = with_hearing(data, clock, 300 + i)
        services_review.complaint_record(actor=data["evaluator"], case=case, complaint=f"投诉{i}",
                                         correction="联系受援人")
        services_review.opinion_letter_send(actor=data["evaluator"], case=case, organ="court",
                                            organ_name="平顶山市卫东区人民法院")
    services.sample_draw(actor=data["evaluator"], centre_ids=[data["centre"].pk], period_start=ASSIGNED_ON,
                         period_end=ASSIGNED_ON, rate="1", seed=start)
    services_panels.panel_create(actor=data["evaluator"], title=f"评审会{start}", region=data["regions"]["weidong"],
                                 held_on=clock.today, members=panel_members(data) if start == 1 else
                                 list(PanelSession.objects.first().members.all()))


def test_the_desk_lists_the_evaluators_work_and_marks_what_is_late(data, clock):
    desk_world(data, clock, n=1)
    client = login(data["evaluator"])
    response = client.get(reverse("quality:home"))
    assert response.status_code == 200
    html = response.content.decode()
    for section in ("assignments", "plans", "unplanned", "tickets", "letters", "samples", "panels"):
        assert f'data-section="{section}"' in html
    unplanned = ProgressEntry.objects.filter(kind="hearing", hearing_at__gt=at(ASSIGNED_ON, 23)).exclude(
        pk__in=ObservationPlan.objects.values("hearing")).get()
    assert f'data-hearing="{unplanned.pk}"' in html and "Plan to observe" in html
    plan = ObservationPlan.objects.get()
    assert f'data-plan="{plan.pk}"' in html
    ticket, letter = Ticket.objects.get(), OpinionLetter.objects.get()
    assert f'data-ticket="{ticket.pk}"' in html and f'data-letter="{letter.pk}"' in html
    assert "data-overdue" not in html and "Overdue" not in html

    # Past the deadlines the ticket and the letter are marked in words, not by colour alone.
    clock.set(max(ticket.deadline, letter.reply_due) + dt.timedelta(days=1))
    html = login(data["evaluator"]).get(reverse("quality:home")).content.decode()
    assert html.count("data-overdue") == 2
    assert "Overdue" in html and "Reply overdue" in html


def test_the_desk_is_a_fixed_number_of_queries(data, clock, django_assert_max_num_queries):
    desk_world(data, clock, n=1)
    client = login(data["evaluator"])
    few = query_count(client, reverse("quality:home"))
    desk_world(data, clock, n=3, start=2)
    assert query_count(client, reverse("quality:home")) == few
    with django_assert_max_num_queries(few):
        client.get(reverse("quality:home"))


def test_plan_to_observe_a_hearing_and_cancel(data, clock):
    hearing = upcoming_hearing(data, clock, 1)
    client = login(data["evaluator"])
    response = client.post(reverse("quality:observe", args=[hearing.pk]))
    assert response.status_code == 302
    plan = ObservationPlan.objects.get(hearing=hearing, observer=data["evaluator"])
    html = client.get(reverse("quality:home")).content.decode()
    assert f'data-plan="{plan.pk}"' in html and f'data-hearing="{hearing.pk}"' not in html

    # Someone from another county cannot plan it (the hearing is not theirs): a 404, nothing planned.
    outsider = evaluator_in(data["regions"]["xinhua"], "xh_evaluator")
    assert login(outsider).post(reverse("quality:observe", args=[hearing.pk])).status_code == 404
    assert ObservationPlan.objects.count() == 1

    client.post(reverse("quality:observation_cancel", args=[plan.pk]))
    assert not ObservationPlan.objects.exists()


# --- samples and peer review -----------------------------------------------------------------------

def test_draw_a_sample_and_assign_peers_through_the_forms(data, clock):
    case, _hearing = with_hearing(data, clock)
    archive(data, case)
    client = login(data["evaluator"])
    page = client.get(reverse("quality:sample_new"))
    assert page.status_code == 200 and data["centre"].name in page.content.decode()
    response = client.post(reverse("quality:sample_new"), {
        "centres": [data["centre"].pk], "period_start": ASSIGNED_ON.isoformat(), "period_end": ASSIGNED_ON.isoformat(),
        "rate": "0.5", "min_per_lawyer": "1", "seed": "20261", "peer_review": "on"})
    sample = Sample.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("quality:sample", args=[sample.pk])
    assert (sample.seed, sample.peer_review, list(sample.cases.all())) == (20261, True, [case])

    own_county = evaluator_in(data["regions"]["weidong"], "wd_peer")
    other_county = evaluator_in(data["regions"]["xinhua"], "xh_peer")
    html = client.get(reverse("quality:sample", args=[sample.pk])).content.decode()
    assert '<code data-seed>20261</code>' in html and case.number in html
    assert "新华区法律援助中心" in html  # evaluators are listed with their organisation

    # Only an evaluator of the same county: refused at the field, nothing assigned.
    response = client.post(reverse("quality:sample_peers", args=[sample.pk]), {"reviewers": [own_county.pk]})
    assert response.status_code == 400
    assert field_errors(response, "reviewers") and case.number in field_errors(response, "reviewers")[0]
    assert is_checked(response, "reviewers", own_county.pk)
    assert SampleCase.objects.get().reviewer is None

    response = client.post(reverse("quality:sample_peers", args=[sample.pk]),
                           {"reviewers": [own_county.pk, other_county.pk]})
    assert response.status_code == 302
    assert SampleCase.objects.get().reviewer == other_county
    assert Notification.objects.filter(recipient=other_county, kind="quality.peer_review").exists()


def test_the_sample_page_is_a_fixed_number_of_queries(data, clock, django_assert_max_num_queries):
    def draw(numbers):
        for n in numbers:
            with_hearing(data, clock, n)
        return services.sample_draw(actor=data["evaluator"], centre_ids=[data["centre"].pk],
                                    period_start=ASSIGNED_ON, period_end=ASSIGNED_ON, rate="1", seed=1,
                                    peer_review=True)

    client = login(data["evaluator"])
    small = draw((1,))
    few = query_count(client, reverse("quality:sample", args=[small.pk]))
    large = draw((2, 3, 4))
    assert large.cases.count() == 4
    with django_assert_max_num_queries(few):
        client.get(reverse("quality:sample", args=[large.pk]))


def test_a_bad_sampling_rate_is_shown_at_its_field_in_chinese_and_the_form_is_kept(data, clock):
    client = login(data["evaluator"], language="zh-hans")
    response = client.post(reverse("quality:sample_new"), {
        "centres": [data["centre"].pk], "period_start": ASSIGNED_ON.isoformat(), "period_end": ASSIGNED_ON.isoformat(),
        "rate": "1.5", "min_per_lawyer": "2", "seed": "77"})
    assert response.status_code == 400
    assert field_errors(response, "rate") == ["抽样比例必须大于 0 且不超过 1（例如 0.1 表示 10%）。"]
    html = response.content.decode()
    assert 'name="seed" value="77"' in html and 'name="min_per_lawyer" value="2"' in html
    assert not Sample.objects.exists()


def test_a_peer_reviewer_from_another_county_checks_the_case_for_the_sample(data, clock):
    case, _hearing = with_hearing(data, clock)
    archive(data, case)
    sample = services.sample_draw(actor=data["evaluator"], centre_ids=[data["centre"].pk], period_start=ASSIGNED_ON,
                                  period_end=ASSIGNED_ON, rate="1", seed=3, peer_review=True)
    peer = evaluator_in(data["regions"]["xinhua"], "xh_peer")
    services_review.sample_assign_peers(actor=data["evaluator"], sample=sample, reviewers=[peer])
    client = login(peer)
    desk = client.get(reverse("quality:home")).content.decode()
    assert f'data-assignment="{case.pk}"' in desk

    page = client.get(reverse("quality:case", args=[case.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "data-peer" in html and 'id="check-file_review"' in html
    assert 'id="grade"' not in html and 'id="complaint"' not in html  # the region's own work stays theirs
    response = client.post(reverse("quality:case_check", args=[case.pk, "file_review"]), file_review_post(case, 88))
    assert response.status_code == 302
    record = Evaluation.objects.get()
    assert (record.evaluator, record.sample) == (peer, sample)
    assert f'data-assignment="{case.pk}"' not in client.get(reverse("quality:home")).content.decode()
    # The other actions of the page are not theirs: a 404, nothing done.
    assert client.post(reverse("quality:case_act", args=[case.pk, "grade"])).status_code == 404
    assert not CaseGrade.objects.exists()
    # An evaluator of that county who was not given the case does not see it at all.
    other = evaluator_in(data["regions"]["xinhua"], "xh_other")
    assert login(other).get(reverse("quality:case", args=[case.pk])).status_code == 404
    assert login(other).get(reverse("quality:sample", args=[sample.pk])).status_code == 404


# --- the case's quality page -----------------------------------------------------------------------

def test_the_case_page_shows_the_case_the_scheme_and_the_forms(data, clock):
    case, hearing = with_hearing(data, clock)
    file_review(data, case, 80, comments="会见笔录完整")
    response = login(data["evaluator"]).get(reverse("quality:case", args=[case.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert case.number in html and "王德洲" in html and "Civil" in html
    assert "民事法律援助案件质量评估标准" in html and "version 1" in html
    assert 'data-item="evidence"' in html and "主动调查取证并提交" in html  # what 优秀 means for the item
    assert "优秀 ≥ 85" in html
    assert 'data-method="file_review"' in html and "会见笔录完整" in html and "Score 80.00" in html
    for check in ("file_review", "hearing", "follow_up"):
        assert f'id="check-{check}"' in html
    assert f'value="{hearing.pk}"' in html  # the hearing observed is chosen among the case's hearings
    for section in ("grade", "tickets", "opinion", "complaint", "propose"):
        assert f'id="{section}"' in html


def test_record_a_file_review_through_the_form(data, clock):
    case, _hearing = with_hearing(data, clock)
    client = login(data["evaluator"])
    response = client.post(reverse("quality:case_check", args=[case.pk, "file_review"]), file_review_post(case, 90))
    assert response.status_code == 302
    assert response["Location"] == reverse("quality:case", args=[case.pk]) + "#records"
    record = Evaluation.objects.get()
    assert (record.method, record.score, record.evaluator) == ("file_review", Decimal("90.00"), data["evaluator"])
    assert record.item_scores == dict.fromkeys(CIVIL_FILE_ITEMS, 90) and record.comments == "卷宗材料齐全"
    assert "The check has been recorded." in client.get(response["Location"]).content.decode()


def test_a_refused_check_keeps_what_was_typed_with_the_chinese_message_at_the_field(data, clock):
    case, _hearing = with_hearing(data, clock)
    client = login(data["evaluator"], language="zh-hans")
    tomorrow = (clock.today + dt.timedelta(days=1)).isoformat()
    response = client.post(reverse("quality:case_check", args=[case.pk, "file_review"]),
                           file_review_post(case, 77, evaluated_on=tomorrow, comments="补充说明"))
    assert response.status_code == 400
    assert field_errors(response, "evaluated_on") == ["检查日期不能晚于今天。"]
    html = response.content.decode()
    assert f'value="{tomorrow}"' in html and 'name="score_evidence" value="77"' in html and "补充说明" in html
    # A score out of range is refused by the form at its item.
    response = client.post(reverse("quality:case_check", args=[case.pk, "file_review"]),
                           file_review_post(case, 80, score_meeting="130"))
    assert response.status_code == 400 and field_errors(response, "score_meeting")
    assert 'name="score_meeting" value="130"' in response.content.decode()
    assert not Evaluation.objects.exists()


def test_hearing_observation_and_follow_up_through_the_forms(data, clock):
    case, hearing = with_hearing(data, clock)
    client = login(data["evaluator"])
    scheme = Scheme.objects.get(code="civil", is_current=True).pk
    response = client.post(reverse("quality:case_check", args=[case.pk, "hearing"]),
                           {"scheme": scheme, "score_hearing": "92"})
    assert response.status_code == 400 and field_errors(response, "hearing")
    response = client.post(reverse("quality:case_check", args=[case.pk, "hearing"]),
                           {"scheme": scheme, "hearing": hearing.pk, "score_hearing": "92"})
    assert response.status_code == 302
    observed = Evaluation.objects.get(method="hearing")
    assert (observed.hearing, observed.score) == (hearing, Decimal("92.00"))

    response = client.post(reverse("quality:case_check", args=[case.pk, "follow_up"]), {
        "scheme": scheme, "contact_mode": "visit", "satisfaction": "2", "lawyer_met_client": "yes",
        "risks_explained": "unknown", "money_asked": "yes", "score_meeting": "70", "score_client_contact": "50"})
    assert response.status_code == 302
    follow = Evaluation.objects.get(method="follow_up")
    assert (follow.contact_mode, follow.satisfaction, follow.lawyer_met_client, follow.risks_explained,
            follow.money_asked) == ("visit", 2, True, None, True)
    html = client.get(reverse("quality:case", args=[case.pk])).content.decode()
    assert 'data-money="yes"' in html


def test_a_check_is_recorded_against_the_version_on_screen(data, clock):
    """A new version published while the evaluator typed: the scores go to the version they saw."""
    case, _hearing = with_hearing(data, clock)
    shown = Scheme.objects.get(code="civil", is_current=True)
    services.scheme_publish(actor=data["bureau_admin"], data={
        "code": "civil", "category": "civil", "title": "民事（2027）", "effective_from": "2027-01-01",
        "items": [{"code": "hearing", "title": "出庭", "weight": 40, "methods": ["hearing"]},
                  {"code": "closing_file", "title": "结案归档", "weight": 60, "methods": ["file_review"]}]})
    response = login(data["evaluator"]).post(reverse("quality:case_check", args=[case.pk, "file_review"]),
                                             file_review_post(case, 85, scheme=shown.pk))
    assert response.status_code == 302
    assert Evaluation.objects.get().scheme == shown


def test_grade_through_the_button_and_see_how_it_was_combined(data, clock):
    case, hearing = with_hearing(data, clock)
    client = login(data["evaluator"])
    response = client.post(reverse("quality:case_act", args=[case.pk, "grade"]))
    assert response.status_code == 400
    assert "The case has no scored check yet" in response.content.decode()
    assert not CaseGrade.objects.exists()

    file_review(data, case, 80)
    services.evaluation_record(actor=data["evaluator"], case=case, method="hearing", hearing=hearing,
                               scores={"hearing": 95})
    services.evaluation_record(actor=data["evaluator"], case=case, method="follow_up", contact_mode="phone",
                               satisfaction=4, lawyer_met_client=True, money_asked=True,
                               scores={"meeting": 90, "client_contact": 90})
    response = client.post(reverse("quality:case_act", args=[case.pk, "grade"]))
    assert response.status_code == 302
    grade = CaseGrade.objects.get(case=case)
    assert grade.grade == "合格"
    html = client.get(reverse("quality:case", args=[case.pk])).content.decode()
    assert f'data-grade="{grade.grade}"' in html and str(grade.score) in html
    assert "By the grade bands: 优秀" in html  # before the cap
    assert "asked the aided person for money" in html
    assert "Hearing observation" in html and "× 3" in html


def test_send_a_letter_and_record_the_reply(data, clock):
    case, _hearing = with_hearing(data, clock)
    client = login(data["evaluator"])
    response = client.post(reverse("quality:case_act", args=[case.pk, "letter"]),
                           {"organ": "court", "organ_name": "  ", "reply_days": "15"})
    assert response.status_code == 400 and field_errors(response, "organ_name")
    assert 'option value="court" selected' in response.content.decode()
    assert not OpinionLetter.objects.exists()

    response = client.post(reverse("quality:case_act", args=[case.pk, "letter"]),
                           {"organ": "court", "organ_name": "平顶山市卫东区人民法院", "reply_days": "10"})
    assert response.status_code == 302
    letter = OpinionLetter.objects.get()
    assert letter.number == f"卫法援质询〔{clock.today.year}〕第001号"
    html = client.get(reverse("quality:case", args=[case.pk])).content.decode()
    assert letter.number in html and f'action="{reverse("quality:letter_reply", args=[letter.pk])}"' in html
    try:  # the printable letter comes from the reports module; linked when it is installed
        assert f'href="{reverse("quality:letter_pdf", args=[letter.pk])}" data-pdf' in html
    except NoReverseMatch:
        assert "data-pdf" not in html

    reply = {f"reply{letter.pk}-organ_reply": "承办律师出庭认真", f"reply{letter.pk}-score_written_opinion": "90",
             f"reply{letter.pk}-score_hearing": "92"}
    response = client.post(reverse("quality:letter_reply", args=[letter.pk]), reply)
    assert response.status_code == 400  # one item left unscored: said at the item, the rest kept
    assert field_errors(response, "score_legal_effect") and "承办律师出庭认真" in response.content.decode()
    response = client.post(reverse("quality:letter_reply", args=[letter.pk]),
                           {**reply, f"reply{letter.pk}-score_legal_effect": "88"})
    assert response.status_code == 302
    letter.refresh_from_db()
    assert (letter.reply.method, letter.reply.organ_reply) == ("opinion", "承办律师出庭认真")
    html = client.get(reverse("quality:case", args=[case.pk])).content.decode()
    assert "Reply recorded" in html


def test_a_complaint_opens_a_ticket_its_owner_closes_with_evidence(data, clock):
    case, _hearing = with_hearing(data, clock)
    client = login(data["evaluator"])
    response = client.post(reverse("quality:case_act", args=[case.pk, "complaint"]),
                           {"complaint": "受援人反映律师三周未联系", "correction": ""})
    assert response.status_code == 400 and field_errors(response, "correction")
    assert "受援人反映律师三周未联系" in response.content.decode()
    response = client.post(reverse("quality:case_act", args=[case.pk, "complaint"]),
                           {"complaint": "受援人反映律师三周未联系", "correction": "联系受援人并报告进展"})
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert (ticket.reason, ticket.owner) == ("complaint", data["lawyer"].user)

    lawyer = login(data["lawyer"].user)
    page = lawyer.get(reverse("quality:ticket", args=[ticket.pk]))
    assert page.status_code == 200 and "联系受援人并报告进展" in page.content.decode()
    assert f'data-ticket="{ticket.pk}"' in lawyer.get(reverse("quality:tickets")).content.decode()
    # Another lawyer: the same 404 as a missing ticket, and the ticket stays open.
    other = login(data["other_lawyer"].user)
    assert other.get(reverse("quality:ticket", args=[ticket.pk])).status_code == 404
    assert other.post(reverse("quality:ticket", args=[ticket.pk]), {"evidence": "已处理"}).status_code == 404
    assert f'data-ticket="{ticket.pk}"' not in other.get(reverse("quality:tickets")).content.decode()
    ticket.refresh_from_db()
    assert ticket.status == "open"

    response = lawyer.post(reverse("quality:ticket", args=[ticket.pk]), {"evidence": "  "})
    assert response.status_code == 400 and field_errors(response, "evidence")
    response = lawyer.post(reverse("quality:ticket", args=[ticket.pk]), {"evidence": "已电话联系受援人并书面报告"})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.status, ticket.closed_by, ticket.evidence) == ("closed", data["lawyer"].user, "已电话联系受援人并书面报告")
    assert AuditEvent.objects.filter(action="quality.ticket_close", object_id=str(ticket.pk)).exists()


def test_propose_a_graded_case_to_a_panel_from_its_page(data, clock):
    case = graded(data, clock, 1, 92)
    panel = services_panels.panel_create(actor=data["evaluator"], title="2026年第三季度评审会",
                                         region=data["regions"]["weidong"], held_on=clock.today,
                                         members=panel_members(data))
    client = login(data["evaluator"])
    html = client.get(reverse("quality:case", args=[case.pk])).content.decode()
    assert "2026年第三季度评审会" in html
    response = client.post(reverse("quality:case_act", args=[case.pk, "propose"]),
                           {"session": panel.pk, "reason": "辩护意见被法院采纳"})
    assert response.status_code == 302
    assert Nomination.objects.get().case == case
    response = client.post(reverse("quality:case_act", args=[case.pk, "propose"]),
                           {"session": panel.pk, "reason": "再次推荐"})
    assert response.status_code == 400 and "data-form-error" in response.content.decode()
    assert Nomination.objects.count() == 1


# --- who may see and do what -----------------------------------------------------------------------

def test_people_without_the_quality_capability_or_the_region_are_refused_and_nothing_changes(data, clock):
    case, _hearing = with_hearing(data, clock)
    lawyer, reviewer = login(data["lawyer"].user), login(data["reviewer"])
    outsider = login(staff_in(data["regions"]["xinhua"], role="evaluator", username="xh_evaluator"))
    before = (Evaluation.objects.count(), CaseGrade.objects.count(), Ticket.objects.count(),
              OpinionLetter.objects.count(), Sample.objects.count(), PanelSession.objects.count())
    for client in (lawyer, reviewer):
        for url in (reverse("quality:home"), reverse("quality:case", args=[case.pk]), reverse("quality:sample_new"),
                    reverse("quality:panels")):
            assert client.get(url).status_code == 403
        assert client.post(reverse("quality:case_check", args=[case.pk, "file_review"]),
                           file_review_post(case, 100)).status_code == 403
        assert client.post(reverse("quality:case_act", args=[case.pk, "grade"])).status_code == 403
        assert client.post(reverse("quality:sample_new"), {
            "centres": [data["centre"].pk], "period_start": ASSIGNED_ON.isoformat(),
            "period_end": ASSIGNED_ON.isoformat(), "rate": "1", "min_per_lawyer": "1"}).status_code == 403
    assert outsider.get(reverse("quality:case", args=[case.pk])).status_code == 404
    assert outsider.post(reverse("quality:case_check", args=[case.pk, "file_review"]),
                         file_review_post(case, 100)).status_code == 404
    assert outsider.post(reverse("quality:case_act", args=[case.pk, "complaint"]),
                         {"complaint": "x", "correction": "y"}).status_code == 404
    assert before == (Evaluation.objects.count(), CaseGrade.objects.count(), Ticket.objects.count(),
                      OpinionLetter.objects.count(), Sample.objects.count(), PanelSession.objects.count())
    assert AuditEvent.objects.filter(action="auth.permission_denied", actor=data["reviewer"]).exists()
    anonymous = Client().get(reverse("quality:case", args=[case.pk]))
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]


# --- tickets -------------------------------------------------------------------------------------

def tickets_for(data, clock, numbers) -> list[Ticket]:
    tickets = []
    for n in numbers:
        case, _hearing = with_hearing(data, clock, n)
        tickets.append(services_review.complaint_record(actor=data["evaluator"], case=case, complaint=f"投诉{n}",
                                                        correction="联系受援人"))
    return tickets


def test_the_ticket_list_filters_open_overdue_and_closed(data, clock):
    first, second, third = tickets_for(data, clock, (1, 2, 3))
    services.ticket_close(actor=data["evaluator"], ticket=third, evidence="已整改")

    def listed(status: str) -> set[int]:
        # A fresh sign-in each time: moving the clock days ahead expires the session.
        html = login(data["evaluator"]).get(reverse("quality:tickets"), {"status": status}).content.decode()
        return {int(pk) for pk in re.findall(r'data-ticket="(\d+)"', html)}

    assert listed("open") == {first.pk, second.pk} == listed("")
    assert listed("closed") == {third.pk}
    assert listed("all") == {first.pk, second.pk, third.pk}
    assert listed("overdue") == set()
    clock.set(first.deadline + dt.timedelta(days=1))
    assert listed("overdue") == {first.pk, second.pk}
    html = login(data["evaluator"]).get(reverse("quality:tickets")).content.decode()
    assert html.count("data-overdue") == 2
    # Another county's evaluator sees none of them, and opening one is a 404.
    outsider = login(staff_in(data["regions"]["xinhua"], role="evaluator", username="xh_evaluator"))
    assert "data-ticket=" not in outsider.get(reverse("quality:tickets"), {"status": "all"}).content.decode()
    assert outsider.get(reverse("quality:ticket", args=[first.pk])).status_code == 404


def test_the_ticket_list_is_a_fixed_number_of_queries(data, clock, django_assert_max_num_queries):
    tickets_for(data, clock, (1,))
    client = login(data["evaluator"])
    few = query_count(client, reverse("quality:tickets") + "?status=all")
    tickets_for(data, clock, (2, 3, 4))
    assert query_count(client, reverse("quality:tickets") + "?status=all") == few
    with django_assert_max_num_queries(few):
        client.get(reverse("quality:tickets"))


# --- schemes -------------------------------------------------------------------------------------

def scheme_post(**overrides) -> dict:
    """The new-version form as the browser sends it: two items and one row left empty."""
    data = {
        "stage": "", "title": "民事法律援助案件质量评估标准（2027）", "effective_from": "2027-01-01",
        "band_excellent": "90", "band_good": "80", "band_qualified": "70", "band_unqualified": "0",
        "items-TOTAL_FORMS": "3", "items-INITIAL_FORMS": "0", "items-MIN_NUM_FORMS": "0", "items-MAX_NUM_FORMS": "40",
        "items-0-code": "hearing", "items-0-title": "出庭", "items-0-weight": "40", "items-0-methods": ["hearing"],
        "items-0-level_0": "准备充分", "items-0-level_1": "按时出庭", "items-0-level_2": "无故不出庭",
        "items-1-code": "closing_file", "items-1-title": "结案归档", "items-1-weight": "60",
        "items-1-methods": ["file_review", "opinion"],
    }
    data.update(overrides)
    return data


def test_schemes_are_read_by_evaluators_and_published_by_the_scheme_administrator(data, clock):
    evaluator = login(data["evaluator"])
    html = evaluator.get(reverse("quality:schemes")).content.decode()
    assert 'data-scheme="civil"' in html and "民事法律援助案件质量评估标准" in html and "New version" not in html
    assert 'data-version="1"' in evaluator.get(reverse("quality:scheme", args=["civil"])).content.decode()
    assert evaluator.get(reverse("quality:scheme_new", args=["civil"])).status_code == 403
    assert evaluator.post(reverse("quality:scheme_new", args=["civil"]), scheme_post()).status_code == 403
    assert Scheme.objects.filter(code="civil").count() == 1
    assert evaluator.get(reverse("quality:scheme", args=["nonsense"])).status_code == 404

    admin = login(data["bureau_admin"])
    page = admin.get(reverse("quality:scheme_new", args=["civil"]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="items-0-code"' in html and 'value="meeting"' in html  # pre-filled from version 1
    assert 'name="band_excellent"' in html and 'value="85"' in html
    assert 'name="items-TOTAL_FORMS" value="10"' in html  # seven items and three empty rows

    response = admin.post(reverse("quality:scheme_new", args=["civil"]), scheme_post())
    assert response.status_code == 302
    v2 = Scheme.objects.get(code="civil", is_current=True)
    assert (v2.version, v2.title, v2.effective_from) == (2, "民事法律援助案件质量评估标准（2027）", dt.date(2027, 1, 1))
    assert [b["min"] for b in v2.bands] == [90, 80, 70, 0]
    items = {i.code: i for i in v2.items.all()}
    assert set(items) == {"hearing", "closing_file"}
    assert items["closing_file"].methods == ["file_review", "opinion"]
    assert items["hearing"].levels == {"优秀": "准备充分", "合格": "按时出庭", "不合格": "无故不出庭"}
    html = admin.get(response["Location"]).content.decode()
    assert 'data-version="2"' in html and 'data-version="1"' in html


def test_a_refused_scheme_keeps_everything_typed_with_the_message_where_it_belongs(data, clock):
    admin = login(data["bureau_admin"], language="zh-hans")
    response = admin.post(reverse("quality:scheme_new", args=["civil"]), scheme_post(**{"items-1-weight": "50"}))
    assert response.status_code == 400
    assert field_errors(response, "items") == ["各评估项目权重合计为 90，合计必须为 100。"]
    html = response.content.decode()
    assert 'value="民事法律援助案件质量评估标准（2027）"' in html and 'name="items-1-weight" value="50"' in html
    assert "准备充分" in html and is_checked(response, "items-1-methods", "opinion")

    response = admin.post(reverse("quality:scheme_new", args=["civil"]),
                          scheme_post(band_excellent="60", band_qualified="85"))
    assert response.status_code == 400
    assert field_errors(response, "bands") == [zh("Give a lowest score from 0 to 100 for each of the grades 优秀, "
                                                  "良好, 合格 and 不合格, best grade highest.")]

    # A row with a weight but no check ticked is refused at that row.
    response = admin.post(reverse("quality:scheme_new", args=["civil"]), scheme_post(**{"items-1-methods": []}))
    assert response.status_code == 400 and field_errors(response, "items-1-methods")
    assert list(Scheme.objects.filter(code="civil").values_list("version", flat=True)) == [1]


# --- review panels, exemplary cases and the public library ---------------------------------------

def test_a_panel_from_set_up_to_a_published_exemplary_case(data, clock):
    case = graded(data, clock, 1, 92)
    weak = graded(data, clock, 2, 80)
    members = panel_members(data)
    client = login(data["evaluator"])
    page = client.get(reverse("quality:panels"))
    assert page.status_code == 200 and "卫东区法律援助中心" in page.content.decode()

    response = client.post(reverse("quality:panels"), {"title": "2026年第三季度评审会", "region": data["regions"]["weidong"].pk,
                                                       "held_on": clock.today.isoformat(), "members": [members[0].pk]})
    assert response.status_code == 400 and field_errors(response, "members")
    assert 'value="2026年第三季度评审会"' in response.content.decode()
    assert not PanelSession.objects.exists()
    response = client.post(reverse("quality:panels"), {"title": "2026年第三季度评审会", "region": data["regions"]["weidong"].pk,
                                                       "held_on": clock.today.isoformat(),
                                                       "members": [m.pk for m in members]})
    panel = PanelSession.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("quality:panel", args=[panel.pk])

    # Propose by case number: an unknown number is said at the field; a good case goes in.
    response = client.post(reverse("quality:panel_propose", args=[panel.pk]), {"number": "无此案号", "reason": "好"})
    assert response.status_code == 400 and field_errors(response, "number")
    for proposed in (case, weak):
        response = client.post(reverse("quality:panel_propose", args=[panel.pk]),
                               {"number": proposed.number, "reason": "辩护意见被采纳"})
        assert response.status_code == 302
    nomination, other = Nomination.objects.order_by("id")
    for member, vote in zip(members, ("yes", "yes", "no"), strict=True):
        response = login(member).post(reverse("quality:panel_vote", args=[panel.pk, nomination.pk]),
                                      {f"vote{nomination.pk}-vote": vote})
        assert response.status_code == 302
    login(members[0]).post(reverse("quality:panel_vote", args=[panel.pk, other.pk]), {f"vote{other.pk}-vote": "no"})
    html = client.get(reverse("quality:panel", args=[panel.pk])).content.decode()
    row = html[html.index(f'data-nomination="{nomination.pk}"'):]
    assert '<td data-yes>2</td><td data-no>1</td><td data-abstain>0</td>' in row
    # Not a member: no vote form, and a vote posted anyway is refused with nothing recorded.
    outsider = UserFactory(username="wd_not_member")
    MembershipFactory(user=outsider, institution=data["centre"], role="evaluator")
    assert login(outsider).post(reverse("quality:panel_vote", args=[panel.pk, nomination.pk]),
                                {f"vote{nomination.pk}-vote": "yes"}).status_code == 403
    assert PanelVote.objects.count() == 4

    response = client.post(reverse("quality:panel_close", args=[panel.pk]))
    assert response.status_code == 302
    exemplary = ExemplaryCase.objects.get()
    assert exemplary.case == case and exemplary.published_at is None
    html = client.get(reverse("quality:panel", args=[panel.pk])).content.decode()
    assert reverse("quality:exemplary_edit", args=[exemplary.pk]) in html and "Named exemplary" in html

    # The public library does not show it before it is published.
    public = Client()
    assert public.get(reverse("quality:library_case", args=[exemplary.pk])).status_code == 404
    assert f'data-exemplary="{exemplary.pk}"' not in public.get(reverse("quality:library")).content.decode()

    edit = client.get(reverse("quality:exemplary_edit", args=[exemplary.pk]))
    assert edit.status_code == 200 and "data-warning" in edit.content.decode()
    response = client.post(reverse("quality:exemplary_edit", args=[exemplary.pk]),
                           {"title": "农民工追索劳动报酬案", "summary": "", "significance": "x", "publish": "on"})
    assert response.status_code == 400 and field_errors(response, "summary")
    assert 'value="农民工追索劳动报酬案"' in response.content.decode()
    response = client.post(reverse("quality:exemplary_edit", args=[exemplary.pk]), {
        "title": "农民工追索劳动报酬案", "publish": "on",
        "summary": "受援人申请人1（电话13803751234）被拖欠工资，承办律师调查取证后申请仲裁。",
        "significance": "及时调查取证"})
    assert response.status_code == 302
    exemplary.refresh_from_db()
    assert exemplary.published_at is not None
    assert "申请人1" not in exemplary.summary and "13803751234" not in exemplary.summary

    listing = public.get(reverse("quality:library"))
    html = listing.content.decode()
    assert listing.status_code == 200 and f'data-exemplary="{exemplary.pk}"' in html
    assert "农民工追索劳动报酬案" in html and "卫东区" in html
    detail = public.get(reverse("quality:library_case", args=[exemplary.pk])).content.decode()
    assert "及时调查取证" in detail and "[电话已隐去]" in detail
    for private in (case.number, "王德洲", "13803751234", "申请人1"):
        assert private not in detail and private not in html
    assert public.get(reverse("quality:library"), {"category": "criminal"}).content.decode().count(
        "data-exemplary=") == 0

    # Withdrawn: gone from the library again.
    client.post(reverse("quality:exemplary_edit", args=[exemplary.pk]),
                {"title": "农民工追索劳动报酬案", "summary": "摘要", "significance": ""})
    assert public.get(reverse("quality:library_case", args=[exemplary.pk])).status_code == 404


def test_the_library_is_a_fixed_number_of_queries(data, clock, django_assert_max_num_queries):
    members = panel_members(data)

    def publish(numbers):
        panel = services_panels.panel_create(actor=data["evaluator"], title="评审会", region=data["regions"]["weidong"],
                                             held_on=clock.today, members=members)
        for n in numbers:
            nomination = services_panels.nomination_propose(actor=data["evaluator"], session=panel,
                                                            case=graded(data, clock, n, 95), reason="好")
            for member in members:
                services_panels.panel_vote(actor=member, nomination=nomination, vote="yes")
        for exemplary in services_panels.panel_close(actor=data["evaluator"], session=panel):
            services_panels.exemplary_publish(actor=data["evaluator"], exemplary=exemplary, title="精品案件",
                                              summary="摘要", publish=True)

    publish((1,))
    public = Client()
    few = query_count(public, reverse("quality:library"))
    publish((2, 3, 4))
    assert ExemplaryCase.objects.filter(published_at__isnull=False).count() == 4
    assert query_count(public, reverse("quality:library")) == few
    with django_assert_max_num_queries(few):
        public.get(reverse("quality:library"))
