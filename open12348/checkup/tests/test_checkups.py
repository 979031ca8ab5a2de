"""Check-ups through the services: the issue's end-to-end (a check-up producing a report and a legal
aid application), the lifecycle's guards, consent, permissions (nothing changes on refusal), scope,
and the figures against hand-counted visits."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from open12348.audit.models import AuditEvent
from open12348.checkup import documents, selectors, services
from open12348.checkup.models import Campaign, Enterprise, Finding, NamedWorker, Visit, VisitEvent
from open12348.core.errors import ApplicationError
from open12348.legalaid.models import Application

from .factories import TODAY, VISITED_ON, code, enterprise, findings, visited, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    return world()


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def snapshot() -> tuple:
    return (Campaign.objects.count(), Visit.objects.count(), Enterprise.objects.count(), Finding.objects.count(),
            NamedWorker.objects.count(), Application.objects.count(), VisitEvent.objects.count(),
            list(Visit.objects.values_list("status", "workers_interviewed", "report_number").order_by("id")))


# --- the issue's end-to-end --------------------------------------------------------------------

def test_a_check_up_produces_a_report_and_a_green_channel_application(data):
    director = data["director"]
    visit = visited(data)
    assert visit.status == "visited"
    assert Finding.objects.filter(visit=visit).count() == 10
    assert set(Finding.objects.filter(visit=visit, found=True).values_list("kind", flat=True)) == {
        "written_contract", "wages_on_time"}

    worker = services.worker_add(actor=director, visit=visit, name="康建军", phone="13803751234",
                                 consent_given=True, consent_note="当面口头同意，两名队员在场",
                                 problems=["wages_on_time", "written_contract"], claim="拖欠2026年1月至2月工资",
                                 amount_owed="9600")
    application = services.worker_refer(actor=director, worker=worker)

    assert application.channel == "checkup"
    assert application.priority is True
    assert application.eligibility["eligible"] is True
    assert application.centre == data["centre"]  # the county's centre
    assert application.matter == "CV-05" and application.matter_subtype == "wages"
    assert "migrant_worker" in application.applicant.groups
    assert application.opposing_party == "平顶山市鹰城建筑劳务有限公司"
    assert application.amount_claimed == Decimal("9600")
    worker.refresh_from_db()
    assert worker.application == application
    assert services.worker_refer(actor=director, worker=worker) == application  # once only
    assert Application.objects.count() == 1

    visit = services.report_issue(actor=director, visit=visit, issued_on=dt.date(2026, 3, 12),
                                  follow_up_due=dt.date(2026, 4, 12))
    assert visit.status == "reported" and visit.report_number.startswith("法治体检〔2026〕")
    text = pdf_text(documents.report_pdf(visit))
    for expected in ("企业法治体检报告", "平顶山市司法局", "平顶山市鹰城建筑劳务有限公司", code(1), "书面劳动合同",
                     "拖欠3人两个月工资", "建议补签劳动合同", "2026年3月10日", "2026年4月12日", "王德洲"):
        assert expected in text.replace("\n", ""), expected
    assert "康建军" not in text  # the report speaks of numbers, never of named workers

    visit = services.follow_up_record(actor=director, visit=visit, followed_up_on=dt.date(2026, 4, 12),
                                      result="partly", note="已补签合同，工资尚欠一个月")
    assert visit.status == "followed_up"
    assert list(visit.timeline.values_list("kind", flat=True)) == [
        "planned", "visited", "worker_named", "referred", "report_issued", "followed_up"]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"checkup.visit.create", "checkup.worker.create", "checkup.worker.refer", "checkup.visit.report_issue",
            "checkup.visit.follow_up", "legalaid.application.create"} <= actions


def test_the_worker_page_data_is_encrypted_at_rest(data):
    from django.db import connection

    visit = visited(data)
    worker = services.worker_add(actor=data["director"], visit=visit, name="康建军", phone="13803751234",
                                 consent_given=True, problems=["wages_on_time"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, phone FROM checkup_namedworker WHERE id = %s", [worker.pk])
        name, phone = cursor.fetchone()
    assert "康建军" not in name and "13803751234" not in phone


# --- guards ------------------------------------------------------------------------------------

def test_no_worker_is_named_without_consent(data):
    visit = visited(data)
    before = snapshot()
    with pytest.raises(ApplicationError) as exc:
        services.worker_add(actor=data["director"], visit=visit, name="康建军", consent_given=False)
    assert exc.value.code == "consent_required" and exc.value.field == "consent_given"
    assert snapshot() == before


def test_only_a_wage_claim_goes_to_legal_aid(data):
    visit = visited(data)
    worker = services.worker_add(actor=data["director"], visit=visit, name="李华", consent_given=True,
                                 problems=["safety_training"])
    with pytest.raises(ApplicationError) as exc:
        services.worker_refer(actor=data["director"], worker=worker)
    assert exc.value.code == "not_a_wage_claim"
    assert Application.objects.count() == 0


def test_a_wrong_credit_code_is_refused_at_its_field(data):
    bad = code(1)[:17] + ("1" if code(1)[17] != "1" else "2")
    before = snapshot()
    with pytest.raises(ApplicationError) as exc:
        services.visit_save(actor=data["director"], campaign=data["campaign"],
                            enterprise=enterprise(data, credit_code=bad), planned_on=VISITED_ON, today=TODAY)
    assert exc.value.code == "credit_code_invalid" and exc.value.field == "credit_code"
    assert snapshot() == before


def test_findings_need_a_visit_day_and_the_report_freezes_the_record(data):
    with pytest.raises(ApplicationError) as exc:
        services.visit_save(actor=data["director"], campaign=data["campaign"], enterprise=enterprise(data),
                            planned_on=VISITED_ON, workers_interviewed=3, today=TODAY)
    assert exc.value.code == "visited_on_required"
    planned = services.visit_save(actor=data["director"], campaign=data["campaign"], enterprise=enterprise(data),
                                  planned_on=VISITED_ON, today=TODAY)
    assert planned.status == "planned"
    with pytest.raises(ApplicationError) as exc:
        services.report_issue(actor=data["director"], visit=planned, issued_on=TODAY, follow_up_due=TODAY)
    assert exc.value.code == "invalid_transition"
    visit = services.visit_save(actor=data["director"], campaign=data["campaign"], visit=planned,
                                enterprise=enterprise(data), planned_on=VISITED_ON, visited_on=VISITED_ON,
                                workers_interviewed=4, findings=findings(overtime_pay=(4, "")), today=TODAY)
    assert visit.pk == planned.pk and visit.status == "visited" and Enterprise.objects.count() == 1
    services.report_issue(actor=data["director"], visit=visit, issued_on=TODAY, follow_up_due=TODAY + dt.timedelta(30))
    before = snapshot()
    with pytest.raises(ApplicationError) as exc:
        services.visit_save(actor=data["director"], campaign=data["campaign"], visit=visit,
                            enterprise=enterprise(data), planned_on=VISITED_ON, visited_on=VISITED_ON,
                            workers_interviewed=40, today=TODAY)
    assert exc.value.code == "not_editable"
    assert snapshot() == before


# --- permissions and scope ---------------------------------------------------------------------

def test_window_staff_may_not_record_check_ups_and_nothing_changes(data):
    visit = visited(data)
    before = snapshot()
    for call in (
        lambda: services.visit_save(actor=data["window_staff"], campaign=data["campaign"],
                                    enterprise=enterprise(data, n=2), planned_on=VISITED_ON, today=TODAY),
        lambda: services.worker_add(actor=data["window_staff"], visit=visit, name="康建军", consent_given=True),
        lambda: services.report_issue(actor=data["window_staff"], visit=visit, issued_on=TODAY,
                                      follow_up_due=TODAY + dt.timedelta(30)),
        lambda: services.campaign_create(actor=data["window_staff"], name="x", starts_on=TODAY, ends_on=TODAY,
                                         organiser=data["centre"], region=data["regions"]["weidong"]),
    ):
        with pytest.raises(ApplicationError) as exc:
            call()
        assert exc.value.status == 403
    assert snapshot() == before


def test_a_bureau_admin_without_intake_may_not_apply_for_legal_aid(data):
    visit = visited(data, actor=data["bureau_admin"])
    worker = services.worker_add(actor=data["bureau_admin"], visit=visit, name="康建军", consent_given=True,
                                 problems=["wages_on_time"])
    before = snapshot()
    with pytest.raises(ApplicationError) as exc:
        services.worker_refer(actor=data["bureau_admin"], worker=worker)
    assert exc.value.status == 403
    assert snapshot() == before


def test_another_county_neither_sees_nor_changes_the_visit(data):
    visit = visited(data)
    xinhua = data["xinhua_admin"]
    assert not selectors.visits_for(xinhua).exists()
    assert selectors.visits_for(data["city_admin"]).count() == 1
    assert selectors.visits_for(data["station"]).count() == 1  # the township's own enterprise
    before = snapshot()
    with pytest.raises(ApplicationError) as exc:
        services.report_issue(actor=xinhua, visit=visit, issued_on=TODAY, follow_up_due=TODAY + dt.timedelta(30))
    assert exc.value.status == 404
    with pytest.raises(ApplicationError) as exc:  # nor records one in a township outside its area
        services.visit_save(actor=xinhua, campaign=data["campaign"], enterprise=enterprise(data, n=5),
                            planned_on=VISITED_ON, today=TODAY)
    assert exc.value.code == "region_out_of_scope"
    assert snapshot() == before
    # the city campaign is visible to the county and the township that take part in it
    assert list(selectors.campaigns_for(xinhua)) == [data["campaign"]]
    assert list(selectors.campaigns_for(data["station"])) == [data["campaign"]]


# --- figures -----------------------------------------------------------------------------------

def hand_counted(data):
    """Four visits: two to the same 卫东区 enterprise (counted once), one in 新华区, one only planned."""
    regions = data["regions"]
    first = visited(data, n=1, workers=10, problems={"written_contract": (4, ""), "wages_on_time": (2, "")})
    visited(data, n=1, workers=6, opinion="", problems={"wages_on_time": (1, "")},
            visited_on=dt.date(2026, 5, 5))
    xinhua = visited(data, actor=data["city_admin"], n=2, workers=20, region=regions["xinhua_township"],
                     name="平顶山市中兴机械制造有限公司", problems={"social_insurance": (20, ""), "overtime_pay": (8, "")})
    services.visit_save(actor=data["director"], campaign=data["campaign"], enterprise=enterprise(data, n=3),
                        planned_on=VISITED_ON, today=TODAY)
    services.report_issue(actor=data["director"], visit=first, issued_on=TODAY, follow_up_due=TODAY + dt.timedelta(30))
    services.report_issue(actor=data["city_admin"], visit=xinhua, issued_on=TODAY,
                          follow_up_due=TODAY + dt.timedelta(30))
    return first, xinhua


def test_figures_match_the_hand_count(data):
    first, _xinhua = hand_counted(data)
    worker = NamedWorker.objects.create(visit=first, name="康建军", consent_given=True, problems=["wages_on_time"])
    services.worker_refer(actor=data["director"], worker=worker)

    figures = selectors.checkup_figures(data["city_admin"], campaign=data["campaign"])
    total = figures.total
    assert (total.visits, total.enterprises_visited, total.workers_interviewed) == (3, 2, 36)
    assert total.problems == {"written_contract": 1, "wages_on_time": 2, "social_insurance": 1, "overtime_pay": 1}
    assert total.workers_affected["wages_on_time"] == 3
    assert (total.opinions, total.reports, total.applications) == (2, 2, 1)
    assert [(r.label, r.enterprises_visited, r.workers_interviewed) for r in figures.by_county] == [
        ("新华区", 1, 20), ("卫东区", 1, 16)]

    # the period and the county filter, and the county's own view
    may = selectors.checkup_figures(data["city_admin"], start=dt.date(2026, 5, 1), end=dt.date(2026, 5, 31))
    assert (may.total.visits, may.total.workers_interviewed) == (1, 6)
    weidong = selectors.checkup_figures(data["city_admin"], county=data["regions"]["weidong"])
    assert (weidong.total.visits, weidong.total.applications) == (2, 1)
    assert selectors.checkup_figures(data["bureau_admin"]).total.workers_interviewed == 16
    assert selectors.checkup_figures(data["xinhua_admin"]).total.workers_interviewed == 20


def test_the_excel_file_writes_its_filters_then_the_figures(data):
    hand_counted(data)
    figures = selectors.checkup_figures(data["city_admin"], campaign=data["campaign"], start=dt.date(2026, 3, 1))
    sheet = load_workbook(io.BytesIO(documents.figures_xlsx(figures))).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[1][1] == "农民工劳动合同法治体检"
    assert rows[3][1] == "2026-03-01"
    header = rows[6]
    body = rows[7:]
    assert [r[0] for r in body] == ["新华区", "卫东区", body[-1][0]]
    total = dict(zip(header, body[-1], strict=True))
    assert total[header[1]] == 2 and total[header[3]] == 36 and total[header[4]] == 5
    assert body[-1][-1] == 0  # no application in this count


def test_a_walk_in_visit_is_planned_for_its_own_day_and_the_team_is_reminded_of_the_follow_up(data):
    from open12348.checkup.reminders import follow_up_deadlines

    visit = services.visit_save(actor=data["director"], campaign=data["campaign"], enterprise=enterprise(data),
                                planned_on=None, visited_on=VISITED_ON, workers_interviewed=2,
                                team_users=[data["station"]], today=TODAY)
    assert visit.planned_on == VISITED_ON
    with pytest.raises(ApplicationError) as exc:
        services.visit_save(actor=data["director"], campaign=data["campaign"], enterprise=enterprise(data, n=2),
                            planned_on=None, today=TODAY)
    assert exc.value.code == "planned_on_required"
    due = TODAY + dt.timedelta(days=30)
    services.report_issue(actor=data["director"], visit=visit, issued_on=TODAY, follow_up_due=due)
    assert list(follow_up_deadlines(today=TODAY)) == []  # not yet in the reminder window
    [deadline] = follow_up_deadlines(today=due)
    assert deadline.recipients == (data["station"],) and deadline.due == due
    services.follow_up_record(actor=data["director"], visit=visit, followed_up_on=due, result="rectified")
    assert list(follow_up_deadlines(today=due)) == []
