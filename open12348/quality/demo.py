"""Demo quality work on the demo city's legal aid cases (`manage.py seed_demo`): three of the demo
lawyer's cases closed and archived, checked and graded (优秀, 良好, 不合格 with its ticket and
reduced subsidy), a review panel that named one exemplary and published it, a hearing planned for
observation, a letter to the arbitration commission awaiting its reply, and this month's sample."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from open12348.accounts.models import User
from open12348.legalaid import services_cases
from open12348.legalaid.choices import CaseStatus, ProgressKind
from open12348.legalaid.models import Case, ProgressEntry

from . import services, services_panels, services_review
from .models import Evaluation

# (file review score, follow-up satisfaction, the aided person says the lawyer explained the risks)
_CHECKS = [(94, 5, True), (82, 4, True), (52, 2, False)]


def _close(case: Case, *, lawyer: User, director: User, today: dt.date) -> Case:
    services_cases.case_close(actor=lawyer, case=case, how_ended="arbitral_award", ended_on=today,
                              outcome="仲裁裁决用人单位支付拖欠工资，受援人已领取。", amount_recovered="28000",
                              people_aided=1, hearings=0,
                              checklist={code: True for code, _label in services_cases.case_checklist(case)})
    case.refresh_from_db()
    services_cases.archive_review(actor=director, case=case, passed=True, file_rating="合格")
    case.refresh_from_db()
    return case


@transaction.atomic
def quality_demo_seed(*, seed: int) -> dict[str, int]:
    users = {u.username: u for u in User.objects.filter(
        username__in=["lawyer", "director", "evaluator", "admin", "county_admin"])}
    if len(users) < 5 or Evaluation.objects.exists():
        return {"graded": 0}
    lawyer, director, evaluator = users["lawyer"], users["director"], users["evaluator"]
    today = timezone.localdate()
    with_hearing = set(ProgressEntry.objects.filter(kind=ProgressKind.HEARING).values_list("case_id", flat=True))
    handled = list(Case.objects.filter(lawyer_user=lawyer, status=CaseStatus.IN_PROGRESS).select_related(
        "application", "region").order_by("id"))
    to_close = [c for c in handled if c.pk not in with_hearing][: len(_CHECKS)]
    if len(to_close) < len(_CHECKS):
        return {"graded": 0}
    grades = []
    for case, (score, satisfaction, risks) in zip(to_close, _CHECKS, strict=True):
        case = _close(case, lawyer=lawyer, director=director, today=today)
        items = [i.code for i in services.scheme_current_for(case).items.all() if "file_review" in i.methods]
        services.evaluation_record(actor=evaluator, case=case, method="file_review",
                                   scores=dict.fromkeys(items, score),
                                   comments="卷宗材料齐全，装订规范。" if score >= 60 else "缺少会见笔录和证据目录。")
        services.evaluation_record(actor=evaluator, case=case, method="follow_up", contact_mode="phone",
                                   satisfaction=satisfaction, lawyer_met_client=True, risks_explained=risks,
                                   money_asked=False, scores={"meeting": score, "client_contact": score},
                                   comments="电话回访受援人。")
        grades.append((case, services.case_grade(actor=evaluator, case=case)))

    best = grades[0][0]
    session = services_panels.panel_create(actor=evaluator, title=f"{today.year}年度法律援助精品案件评审会",
                                           region=best.region, held_on=today,
                                           members=[evaluator, users["admin"], users["county_admin"]])
    nomination = services_panels.nomination_propose(actor=evaluator, session=session, case=best,
                                                    reason="承办律师及时调取考勤和工资证据，仲裁裁决全额支持。")
    for member in (evaluator, users["admin"], users["county_admin"]):
        services_panels.panel_vote(actor=member, nomination=nomination, vote="yes")
    [exemplary] = services_panels.panel_close(actor=evaluator, session=session)
    services_panels.exemplary_publish(
        actor=evaluator, exemplary=exemplary, title="农民工追索劳动报酬仲裁案",
        summary="受援人在某建筑工地务工八个月，用人单位以工程款未结算为由拖欠工资。承办律师会见受援人后，"
                "指导其收集考勤记录、工友证言和微信聊天记录，申请劳动仲裁。仲裁委员会采纳代理意见，"
                "裁决用人单位支付全部拖欠工资。",
        significance="证据收集全面，代理意见有针对性，从受理到裁决仅用时一个半月。")

    hearing = ProgressEntry.objects.filter(kind=ProgressKind.HEARING, case__lawyer_user=lawyer,
                                           hearing_at__gte=timezone.now()).order_by("hearing_at").first()
    if hearing is not None:
        services_review.observation_plan(actor=evaluator, hearing=hearing)
    services_review.opinion_letter_send(actor=evaluator, case=grades[1][0], organ="arbitration",
                                        organ_name="平顶山市卫东区劳动人事争议仲裁委员会")
    services.sample_draw(actor=evaluator, centre_ids=[best.centre_id], period_start=today - dt.timedelta(days=30),
                         period_end=today, rate="0.5", min_per_lawyer=1, seed=seed)
    return {"graded": len(grades), "exemplary": 1}
