"""The reads behind the quality screens: who sees which sample, ticket, panel and hearing, the order
of the desk's lists, and what the public library lets out."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from open12348.legalaid import services_cases
from open12348.legalaid.tests.test_cases_fixtures import at, granted, in_progress
from open12348.quality import selectors, services, services_panels, services_review
from open12348.quality.models import Evaluation

from .test_panels import graded, panel_members
from .test_quality import ASSIGNED_ON, CIVIL_FILE_ITEMS, archive, claim, with_hearing
from .test_review import evaluator_in

pytestmark = pytest.mark.django_db


def hearing_in(data, clock, n: int, *, days: int):
    case = in_progress(data, clock, granted(data, claim(n)))
    return services_cases.progress_add(actor=data["lawyer"].user, case=case, kind="hearing", occurred_on=clock.today,
                                       hearing_at=at(clock.today + dt.timedelta(days=days), 9), court="卫东区人民法院")


def peer_sample(data, clock):
    case, _hearing = with_hearing(data, clock)
    archive(data, case)
    sample = services.sample_draw(actor=data["evaluator"], centre_ids=[data["centre"].pk], period_start=ASSIGNED_ON,
                                  period_end=ASSIGNED_ON, rate="1", seed=5, peer_review=True)
    return case, sample


def test_a_sample_is_seen_whole_in_its_region_and_by_its_peer_reviewer_only_for_their_cases(data, clock):
    case, sample = peer_sample(data, clock)
    peer = evaluator_in(data["regions"]["xinhua"], "xh_peer")
    stranger = evaluator_in(data["regions"]["xinhua"], "xh_stranger")
    colleague = evaluator_in(data["regions"]["weidong"], "wd_colleague")

    assert selectors.sample_for(user=colleague, id=sample.pk).whole is True
    assert list(selectors.samples_visible_to(user=peer)) == []
    services_review.sample_assign_peers(actor=data["evaluator"], sample=sample, reviewers=[peer])

    seen = selectors.sample_for(user=peer, id=sample.pk)
    assert seen.whole is False and seen.size == 1
    assert [e.case for e in selectors.sample_entries(sample=seen, user=peer, whole=False)] == [case]
    with pytest.raises(Http404):
        selectors.sample_for(user=stranger, id=sample.pk)
    with pytest.raises(Http404):
        selectors.sample_for(user=data["lawyer"].user, id=sample.pk)

    assert [e.case for e in selectors.peer_assignments_pending(user=peer)] == [case]
    services.evaluation_record(actor=peer, case=case, method="file_review", sample=sample,
                               scores=dict.fromkeys(CIVIL_FILE_ITEMS, 90))
    assert list(selectors.peer_assignments_pending(user=peer)) == []
    entry = selectors.sample_entries(sample=seen, user=data["evaluator"], whole=True).get()
    assert entry.checked is True and entry.grade is None


def test_observation_plans_come_upcoming_first_then_held_ones_still_to_record(data, clock):
    later = hearing_in(data, clock, 1, days=10)
    sooner = hearing_in(data, clock, 2, days=2)
    held = hearing_in(data, clock, 3, days=1)
    for hearing in (later, sooner, held):
        services_review.observation_plan(actor=data["evaluator"], hearing=hearing)
    today = clock.today + dt.timedelta(days=2)
    plans = list(selectors.observation_plans_of(user=data["evaluator"], today=today))
    assert [(p.hearing, p.held) for p in plans] == [(sooner, False), (later, False), (held, True)]
    assert list(selectors.observation_plans_of(user=evaluator_in(data["regions"]["weidong"], "wd_other"),
                                               today=today)) == []


def test_unplanned_hearings_are_the_regions_hearings_nobody_observes(data, clock):
    free = hearing_in(data, clock, 1, days=3)
    taken = hearing_in(data, clock, 2, days=4)
    hearing_in(data, clock, 3, days=40)  # past the horizon
    colleague = evaluator_in(data["regions"]["weidong"], "wd_colleague")
    services_review.observation_plan(actor=colleague, hearing=taken)
    end = clock.today + dt.timedelta(days=30)
    assert list(selectors.hearings_unplanned(user=data["evaluator"], start=clock.today, end=end)) == [free]
    outsider = evaluator_in(data["regions"]["xinhua"], "xh_evaluator")
    assert list(selectors.hearings_unplanned(user=outsider, start=clock.today, end=end)) == []


def test_tickets_are_the_regions_for_an_evaluator_and_ones_own_for_a_lawyer(data, clock):
    case, _hearing = with_hearing(data, clock)
    ticket = services_review.complaint_record(actor=data["evaluator"], case=case, complaint="未联系",
                                              correction="联系受援人")
    assert list(selectors.tickets_visible_to(user=data["evaluator"])) == [ticket]
    assert list(selectors.tickets_visible_to(user=data["lawyer"].user)) == [ticket]
    assert list(selectors.tickets_visible_to(user=data["other_lawyer"].user)) == []
    assert list(selectors.tickets_visible_to(user=data["xinhua_reviewer"])) == []
    assert selectors.ticket_for(user=data["lawyer"].user, id=ticket.pk) == ticket
    for refused in (data["other_lawyer"].user, data["reviewer"], evaluator_in(data["regions"]["xinhua"], "xh_e")):
        with pytest.raises(Http404):
            selectors.ticket_for(user=refused, id=ticket.pk)
    late = ticket.deadline + dt.timedelta(days=1)
    assert list(selectors.tickets_visible_to(user=data["evaluator"], status="overdue", today=ticket.deadline)) == []
    assert list(selectors.tickets_visible_to(user=data["evaluator"], status="overdue", today=late)) == [ticket]


def test_a_panel_is_seen_in_its_region_and_by_its_members_from_elsewhere(data, clock):
    members = panel_members(data)
    guest = evaluator_in(data["regions"]["xinhua"], "xh_guest")
    panel = services_panels.panel_create(actor=data["evaluator"], title="评审会", region=data["regions"]["weidong"],
                                         held_on=clock.today, members=[*members, guest])
    assert selectors.panel_for(user=guest, id=panel.pk) == panel
    assert selectors.panel_for(user=data["evaluator"], id=panel.pk).seats == 4
    with pytest.raises(Http404):
        selectors.panel_for(user=evaluator_in(data["regions"]["xinhua"], "xh_other"), id=panel.pk)

    case = graded(data, clock, 1, 92)
    assert list(selectors.panels_open_for_case(user=data["evaluator"], case=case)) == [panel]
    assert list(selectors.panels_open_for_case(user=guest, case=case)) == []  # not of the guest's region
    nomination = services_panels.nomination_propose(actor=data["evaluator"], session=panel, case=case, reason="好")
    services_panels.panel_vote(actor=members[0], nomination=nomination, vote="yes")
    services_panels.panel_vote(actor=members[1], nomination=nomination, vote="no")
    services_panels.panel_vote(actor=guest, nomination=nomination, vote="yes")
    row = selectors.panel_nominations(session=panel, user=guest).get()
    assert (row.yes, row.no, row.abstain, row.my_vote, row.grade) == (2, 1, 0, "yes", "优秀")


def test_the_library_lets_out_only_published_text(data, clock):
    members = panel_members(data)
    panel = services_panels.panel_create(actor=data["evaluator"], title="评审会", region=data["regions"]["weidong"],
                                         held_on=clock.today, members=members)
    for n in (1, 2):
        nomination = services_panels.nomination_propose(actor=data["evaluator"], session=panel,
                                                        case=graded(data, clock, n, 95), reason="好")
        for member in members:
            services_panels.panel_vote(actor=member, nomination=nomination, vote="yes")
    published, draft = services_panels.panel_close(actor=data["evaluator"], session=panel)
    services_panels.exemplary_publish(actor=data["evaluator"], exemplary=published, title="精品", summary="摘要")
    assert list(selectors.library_cases()) == [published]
    assert list(selectors.library_cases(category="criminal")) == []
    with pytest.raises(Http404):
        selectors.library_case(id=draft.pk)
    with CaptureQueriesContext(connection) as queries:
        shown = selectors.library_case(id=published.pk)
        assert (shown.title, shown.region.name) == ("精品", "卫东区")
    assert len(queries) == 1
    assert "applicant" not in queries[0]["sql"] and "legalaid_case" not in queries[0]["sql"]
    with pytest.raises(Http404):
        selectors.exemplary_for(user=evaluator_in(data["regions"]["xinhua"], "xh_e"), id=draft.pk)
    assert selectors.exemplary_for(user=data["evaluator"], id=draft.pk) == draft


def test_scheme_families_are_the_current_versions_with_their_count(data):
    services.scheme_publish(actor=data["bureau_admin"], data={
        "code": "civil", "category": "civil", "title": "民事（2027）", "effective_from": "2027-01-01",
        "items": [{"code": "closing_file", "title": "结案归档", "weight": 100, "methods": ["file_review"]}]})
    families = {s.code: s for s in selectors.scheme_families()}
    assert (families["civil"].version, families["civil"].versions) == (2, 2)
    assert (families["duty_lawyer"].version, families["duty_lawyer"].versions) == (1, 1)
    assert not Evaluation.objects.exists()
