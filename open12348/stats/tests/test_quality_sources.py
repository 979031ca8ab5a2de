"""Case quality, enterprise check-ups and outreach from the tallies, against hand-counted records.

Quality (卫东区, September 2026; the clock stands on 28 September):
| case | evaluations (method, score) | grade | ticket | exemplary |
|---|---|---|---|---|
| 1 | file review 90, follow-up 88 | 优秀 89 | — | named at the panel of 20 Sept |
| 2 | file review 50 | 不合格 50 | unqualified grade, open | — |
| 3 | file review — (not scored) | — | complaint opened 1 Sept, due 10 Sept, escalated, closed 20 Sept | — |
plus an evaluation of case 1 dated 2025 (outside the period).

Check-ups (卫东区's 东安路街道, March 2026): two visits made (12 and 8 workers interviewed; the first
with an opinion and a report), one only planned. Outreach: two lectures held (120 and 30 people), one
school visit planned, one held in 新华区 (40 people).
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from open12348.audit.models import AuditEvent
from open12348.legalaid.tests.test_cases_fixtures import ASSIGNED_ON, assigned, at, granted
from open12348.network.tests.factories import staff_in
from open12348.quality.models import (
    CaseGrade,
    Evaluation,
    ExemplaryCase,
    Nomination,
    PanelSession,
    Scheme,
    Ticket,
)
from open12348.stats.drilldown import DRILLS, Cell, records
from open12348.stats.models import Tally
from open12348.stats.selectors import Period, checkup_figures, outreach_figures, quality_figures
from open12348.stats.services import stats_check, stats_sweep
from open12348.stats.sources import SOURCES

from .test_townships import claim

pytestmark = pytest.mark.django_db

SEPTEMBER = Period(dt.date(2026, 9, 1), dt.date(2026, 9, 30))


def consistent() -> None:
    for name in SOURCES:
        result = stats_check(source=name)
        assert result.ok, (name, result.differences)


def evaluation(case, method: str, score, day: dt.date) -> Evaluation:
    scheme = Scheme.objects.filter(code="civil", is_current=True).first()
    return Evaluation.objects.create(case=case, scheme=scheme, method=method, evaluated_on=day,
                                     score=Decimal(score) if score is not None else None, recorded_at=timezone.now())


@pytest.fixture
def quality(data, clock):
    stats_sweep()
    case1, case2, case3 = (assigned(data, granted(data, claim(n))) for n in (1, 2, 3))
    evaluation(case1, "file_review", 90, dt.date(2026, 9, 20))
    evaluation(case1, "follow_up", 88, dt.date(2026, 9, 21))
    evaluation(case1, "file_review", 70, dt.date(2025, 6, 1))
    evaluation(case2, "file_review", 50, dt.date(2026, 9, 22))
    evaluation(case3, "file_review", None, dt.date(2026, 9, 23))
    CaseGrade.objects.create(case=case1, score=Decimal(89), grade="优秀", graded_at=timezone.now())
    CaseGrade.objects.create(case=case2, score=Decimal(50), grade="不合格", graded_at=timezone.now())
    Ticket.objects.create(case=case2, reason="unqualified_grade", deadline=dt.date(2026, 10, 28),
                          correction="重新整理卷宗", opened_at=timezone.now())
    Ticket.objects.create(case=case3, reason="complaint", complaint="律师未按时出庭", deadline=dt.date(2026, 9, 10),
                          correction="说明情况", opened_at=at(dt.date(2026, 9, 1)), escalated_at=at(dt.date(2026, 9, 11)),
                          status="closed", evidence="已说明", closed_at=at(dt.date(2026, 9, 20)))
    session = PanelSession.objects.create(title="2026年第三季度精品案件评审会", region=data["regions"]["weidong"],
                                          held_on=dt.date(2026, 9, 20), status="closed", closed_at=timezone.now())
    nomination = Nomination.objects.create(session=session, case=case1, reason="裁决全额支持", outcome="exemplary")
    ExemplaryCase.objects.create(case=case1, nomination=nomination, region=case1.region, category=case1.category,
                                 title="农民工追索劳动报酬案", summary="康某等三人追回工资。")
    stats_sweep()  # incremental: every record above is found by the sweep, not by a rebuild
    data.update(cases=(case1, case2, case3), leader=staff_in(data["regions"]["city"], role="leader",
                                                             username="city_leader"))
    return data


def test_the_quality_figures_are_the_hand_counted_ones(quality):
    f = quality_figures(user=quality["leader"], period=SEPTEMBER, today=ASSIGNED_ON)
    assert f["evaluations"] == 4 and f["evaluations_by_method"] == {"file_review": 3, "follow_up": 1}
    assert f["average_evaluation_score"] == 76.0  # (90 + 88 + 50) / 3 scored
    assert (f["graded"], f["grades"], f["average_grade_score"]) == (2, {"优秀": 1, "不合格": 1}, 69.5)
    assert (f["excellent_share_pct"], f["unqualified"], f["exemplary_cases"]) == (50.0, 1, 1)
    assert (f["tickets_opened"], f["tickets_open"], f["tickets_closed"], f["tickets_escalated"]) == (2, 1, 1, 1)
    assert f["tickets_closed_on_time_pct"] == 0.0  # closed on 20 Sept, ten days after its deadline
    assert f["tickets_by_reason"] == {"unqualified_grade": 1, "complaint": 1}
    assert f["tickets_open_now"] == 1
    # 新华区 has none of it; 卫东区's director sees all of it.
    assert quality_figures(user=quality["leader"], period=SEPTEMBER, region=quality["regions"]["xinhua"])[
        "evaluations"] == 0
    assert quality_figures(user=quality["director"], period=SEPTEMBER)["graded"] == 2
    consistent()


def test_a_regrade_a_closed_ticket_and_a_case_moved_to_another_county_move_their_cells(quality, clock):
    case1, case2, _case3 = quality["cases"]
    clock.set(ASSIGNED_ON + dt.timedelta(days=1))
    CaseGrade.objects.filter(case=case2).update(grade="合格", score=Decimal(65), graded_at=timezone.now())
    ticket = Ticket.objects.get(case=case2)
    ticket.status, ticket.evidence, ticket.closed_at = "closed", "已重新整理", timezone.now()
    ticket.save()
    case1.region = quality["regions"]["xinhua"]
    case1.save()  # its evaluations and grade follow it (the exemplary case keeps the panel's region)
    stats_sweep()
    period = Period(dt.date(2026, 9, 1), dt.date(2026, 9, 30))
    leader, xinhua = quality["leader"], quality["regions"]["xinhua"]
    f = quality_figures(user=leader, period=period, today=ASSIGNED_ON)
    assert f["grades"] == {"优秀": 1, "合格": 1} and f["tickets_open"] == 0 and f["tickets_open_now"] == 0
    assert f["tickets_closed_on_time_pct"] == 50.0
    moved = quality_figures(user=leader, period=period, region=xinhua)
    assert (moved["evaluations"], moved["graded"], moved["exemplary_cases"]) == (2, 1, 0)
    consistent()


def test_every_quality_cell_drills_down_to_exactly_the_records_it_counts(quality):
    year = Period(dt.date(2025, 1, 1), dt.date(2026, 12, 31))
    cells = (Tally.objects.filter(metric__startswith="quality.", grain="d").values("metric", "a", "b", "c")
             .order_by("metric", "a", "b", "c"))
    checked = 0
    for row in cells:
        total = sum(Tally.objects.filter(grain="d", **row).values_list("n", flat=True))
        cell = Cell(metric=row["metric"], period=year, a=row["a"], b=row["b"], c=row["c"])
        assert records(user=quality["leader"], cell=cell).count() == total, row
        checked += 1
    assert checked >= 7
    assert {m for m in DRILLS if m.startswith(("quality.", "checkup.", "education."))} == {
        "quality.evaluation", "quality.grade", "quality.ticket", "quality.exemplary", "checkup.visit",
        "education.activity"}


def test_the_quality_page_shows_the_figures_links_them_and_exports_them(client, quality):
    client.force_login(quality["leader"])
    query = {"start": "2026-09-01", "end": "2026-09-30"}
    response = client.get("/dashboard/quality/", query)
    assert response.status_code == 200 and b"chart-grades" in response.content
    grades = {label: (n, url) for label, n, url in response.context["grades"]}
    assert [n for n, _url in grades.values()] == [1, 0, 0, 1]  # 优秀, 良好, 合格, 不合格
    excellent = client.get(next(url for n, url in grades.values() if n))
    assert excellent.status_code == 200 and excellent.context["page_obj"].paginator.count == 1
    assert excellent.context["rows"][0]["number"] == quality["cases"][0].number
    drilled = client.get("/dashboard/records/", {**query, "metric": "quality.ticket", "a": "open", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(drilled.content)).active
    assert sheet.max_row == 8 and sheet["A8"].value == quality["cases"][1].number  # one open ticket
    export = client.get("/dashboard/quality/", {**query, "format": "xlsx"})
    rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(export.content)).active.iter_rows()]
    values = [row[1] for row in rows[6:]]
    assert values[:3] == [4, 76.0, 2] and AuditEvent.objects.filter(action="stats.export").count() == 2
    client.force_login(quality["window_staff"])
    assert client.get("/dashboard/quality/", {**query, "format": "xlsx"}).status_code == 403
    assert AuditEvent.objects.filter(action="stats.export").count() == 2  # the refusal exported nothing


def test_the_quality_api_gives_the_same_figures(client, quality):
    client.force_login(quality["leader"])
    body = client.get("/api/v1/stats/quality", {"start": "2026-09-01", "end": "2026-09-30"}).json()
    assert body["quality"]["evaluations"] == 4 and body["quality"]["grades"] == {"优秀": 1, "不合格": 1}
    assert body["quality"]["exemplary_cases"] == 1 and body["quality"]["tickets_open"] == 1
    assert body["checkups"]["visits"] == 0 and body["outreach"]["activities"] == 0
    client.force_login(quality["window_staff"])
    assert client.get("/api/v1/stats/quality").status_code == 403


def test_check_ups_and_outreach_are_tallied_and_drill_down():
    from open12348.checkup import services as checkup_services
    from open12348.checkup.tests.factories import TODAY, VISITED_ON, enterprise, visited
    from open12348.checkup.tests.factories import world as checkup_world
    from open12348.education.models import Activity

    data = checkup_world()
    regions = data["regions"]
    stats_sweep()
    first = visited(data, n=1, workers=12)
    visited(data, n=2, workers=8, opinion="")
    checkup_services.visit_save(actor=data["director"], campaign=data["campaign"], enterprise=enterprise(data, n=3),
                                planned_on=dt.date(2026, 4, 1), today=TODAY)
    first.report_number, first.report_issued_on, first.status = "卫体检〔2026〕1号", VISITED_ON, "reported"
    first.save()

    def activity(kind: str, status: str, people: int | None, region, day: int) -> Activity:
        return Activity.objects.create(kind=kind, title=f"{kind}{day}", organiser=data["office"], region=region,
                                       place="东安路街道综合文化站", starts_at=at(dt.date(2026, 3, day)),
                                       audience="migrant_workers", attendance=people, status=status,
                                       created_by=data["director"])

    activity("lecture", "held", 120, regions["weidong_township"], 5)
    activity("lecture", "held", 30, regions["weidong"], 6)
    activity("school_visit", "planned", None, regions["weidong_township"], 25)
    activity("lecture", "held", 40, regions["xinhua_township"], 7)
    stats_sweep()
    march = Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    director = data["director"]  # 卫东区
    c = checkup_figures(user=director, period=march)
    assert (c["visits"], c["workers_interviewed"], c["opinions"], c["reports"]) == (2, 20, 1, 1)
    assert c["by_status"] == {"reported": 1, "visited": 1}
    o = outreach_figures(user=director, period=march)
    assert (o["activities"], o["attendance"], o["planned"], o["cancelled"]) == (2, 150, 1, 0)
    assert o["by_kind"] == {"lecture": 2} and o["attendance_by_kind"] == {"lecture": 150}
    assert outreach_figures(user=data["city_admin"], period=march)["attendance"] == 190
    assert records(user=director, cell=Cell("checkup.visit", march, b="report")).get() == first
    assert records(user=director, cell=Cell("checkup.visit", march, c="")).count() == 1
    assert records(user=director, cell=Cell("education.activity", march, b="held")).count() == 2
    assert records(user=data["city_admin"], cell=Cell("education.activity", march, b="held")).count() == 3
    consistent()


def test_the_openapi_document_describes_the_new_figures(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    quality = schema["paths"]["/api/v1/stats/quality"]["get"]
    assert {p["name"] for p in quality["parameters"]} == {"start", "end", "region"}
    ref = quality["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert set(schema["components"]["schemas"][ref]["properties"]) == {"start", "end", "region", "quality",
                                                                       "checkups", "outreach"}
    townships = schema["paths"]["/api/v1/stats/legal-aid/townships"]["get"]
    assert next(p for p in townships["parameters"] if p["name"] == "region")["required"] is True
