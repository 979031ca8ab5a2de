"""The check-up screens: the visit form with its check-list, the visit page with the report download,
the figures and their Excel file, refusals (audited, nothing changed) and query counts."""

import io
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from open12348.audit.models import AuditEvent
from open12348.checkup import services
from open12348.checkup.models import NamedWorker, Visit

from .factories import TODAY, VISITED_ON, code, visited, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    return world()


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def query_count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def form_post(data, **overrides) -> dict:
    post = {"enterprise_name": "平顶山市鹰城建筑劳务有限公司", "credit_code": code(1).lower(), "sector": "construction",
            "size": "small", "region": data["regions"]["weidong_township"].pk, "address": "建设路18号",
            "contact_name": "刘经理", "contact_phone": "13903750001", "planned_on": VISITED_ON.isoformat(),
            "visited_on": VISITED_ON.isoformat(), "workers_interviewed": "12",
            "team_users": [data["station"].pk], "team_practitioners": [data["team_lawyer"].pk],
            "opinion": "建议补签劳动合同。", "recommendations": "一个月内整改。",
            "written_contract-found": "on", "written_contract-workers_affected": "5",
            "written_contract-note": "5人未签合同"}
    post.update(overrides)
    return post


def test_the_station_records_a_visit_on_the_form(data):
    client = login(data["station"])
    url = reverse("checkup:visit_new", args=[data["campaign"].pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="written_contract-found"' in page.content.decode()
    response = client.post(url, form_post(data))
    assert response.status_code == 302, re.findall(r"invalid-feedback[^>]*>[^<]*|data-form-error>[^<]*", response.content.decode())
    visit = Visit.objects.get()
    assert visit.status == "visited" and visit.enterprise.credit_code == code(1)
    assert list(visit.team_users.all()) == [data["station"]]
    assert visit.findings.get(kind="written_contract").workers_affected == 5
    html = client.get(reverse("checkup:visit", args=[visit.pk])).content.decode()
    assert "5人未签合同" in html and 'data-finding="written_contract" class="table-danger"' in html


def test_a_wrong_credit_code_stays_on_the_form_at_its_field(data):
    client = login(data["station"])
    bad = code(1)[:17] + ("1" if code(1)[17] != "1" else "2")
    response = client.post(reverse("checkup:visit_new", args=[data["campaign"].pk]), form_post(data, credit_code=bad))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-field-error="credit_code"' in html
    assert "平顶山市鹰城建筑劳务有限公司" in html and "5人未签合同" in html  # what was typed is kept
    assert not Visit.objects.exists()


def test_the_visit_page_names_the_consenting_worker_masked_and_refers_them(data):
    visit = visited(data)
    client = login(data["director"])
    refused = client.post(reverse("checkup:worker_add", args=[visit.pk]),
                          {"name": "康建军", "phone": "13803751234", "problems": ["wages_on_time"]})
    assert refused.status_code == 400 and 'data-field-error="consent_given"' in refused.content.decode()
    assert not NamedWorker.objects.exists()
    client.post(reverse("checkup:worker_add", args=[visit.pk]),
                {"name": "康建军", "phone": "13803751234", "consent_given": "on", "consent_note": "口头同意",
                 "problems": ["wages_on_time"], "amount_owed": "9600"})
    worker = NamedWorker.objects.get()
    html = client.get(reverse("checkup:visit", args=[visit.pk])).content.decode()
    assert "138****1234" in html and "13803751234" not in html
    response = client.post(reverse("checkup:worker_refer", args=[visit.pk, worker.pk]))
    assert response.status_code == 302
    worker.refresh_from_db()
    assert worker.application.channel == "checkup" and worker.application.priority
    html = client.get(reverse("checkup:visit", args=[visit.pk])).content.decode()
    assert f'data-application="{worker.application.pk}"' in html and worker.application.number in html


def test_report_issued_then_downloaded(data):
    visit = visited(data)
    client = login(data["director"])
    assert client.get(reverse("checkup:report_pdf", args=[visit.pk])).status_code == 404  # not issued yet
    response = client.post(reverse("checkup:report_issue", args=[visit.pk]),
                           {"issued_on": TODAY.isoformat(), "follow_up_due": "2026-04-20"})
    assert response.status_code == 302
    pdf = client.get(reverse("checkup:report_pdf", args=[visit.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="checkup.visit.report_download").exists()
    assert client.get(reverse("checkup:visit_edit", args=[visit.pk])).status_code == 302  # frozen
    response = client.post(reverse("checkup:follow_up", args=[visit.pk]),
                           {"followed_up_on": "2026-04-20", "result": "rectified", "note": "已整改"})
    assert response.status_code == 302
    assert Visit.objects.get().status == "followed_up"


def test_window_staff_are_refused_with_an_audit_row_and_nothing_changes(data):
    visit = visited(data)
    client = login(data["window_staff"])
    for url in (reverse("checkup:list"), reverse("checkup:visit", args=[visit.pk]), reverse("checkup:figures")):
        assert client.get(url).status_code == 403
    response = client.post(reverse("checkup:report_issue", args=[visit.pk]),
                           {"issued_on": TODAY.isoformat(), "follow_up_due": "2026-04-20"})
    assert response.status_code == 403
    assert Visit.objects.get().status == "visited"
    assert AuditEvent.objects.filter(action="auth.permission_denied", actor=data["window_staff"]).count() == 4


def test_another_county_gets_a_404(data):
    visit = visited(data)
    client = login(data["xinhua_admin"])
    assert client.get(reverse("checkup:visit", args=[visit.pk])).status_code == 404
    assert client.post(reverse("checkup:report_issue", args=[visit.pk]),
                       {"issued_on": TODAY.isoformat(), "follow_up_due": "2026-04-20"}).status_code == 404
    assert Visit.objects.get().status == "visited"
    html = client.get(reverse("checkup:campaign", args=[data["campaign"].pk])).content.decode()
    assert f'data-visit="{visit.pk}"' not in html


def test_the_campaign_page_and_list_are_a_fixed_number_of_queries(data, django_assert_max_num_queries):
    client = login(data["city_admin"])
    visited(data, n=1)
    campaign_url = reverse("checkup:campaign", args=[data["campaign"].pk])
    few = query_count(client, campaign_url)
    few_list = query_count(client, reverse("checkup:list"))
    for n in range(2, 8):
        visited(data, n=n, name=f"平顶山市第{n}建筑有限公司")
    with django_assert_max_num_queries(few):
        html = client.get(campaign_url).content.decode()
    assert len(re.findall(r'data-visit="', html)) == 7
    with django_assert_max_num_queries(few_list):
        client.get(reverse("checkup:list"))


def test_the_figures_page_and_its_excel_export(data):
    visited(data, n=1)
    visited(data, n=2, workers=8)
    client = login(data["city_admin"])
    html = client.get(reverse("checkup:figures"), {"campaign": data["campaign"].pk}).content.decode()
    assert "卫东区" in html and ">20<" in html
    response = client.get(reverse("checkup:figures_export"), {"campaign": data["campaign"].pk, "county": "410403"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][1] == "农民工劳动合同法治体检" and rows[2][1] == "卫东区"
    assert rows[-1][1:4] == (2, 2, 20)
    assert AuditEvent.objects.filter(action="checkup.figures.export").exists()


def test_a_campaign_is_created_on_its_form(data):
    client = login(data["bureau_admin"])
    response = client.post(reverse("checkup:campaign_new"), {
        "name": "卫东区建筑工地法治体检", "starts_on": "2026-04-01", "ends_on": "2026-03-01",
        "organiser": data["centre"].pk, "region": data["regions"]["weidong"].pk, "goal_enterprises": "30"})
    assert response.status_code == 400  # ends before it starts
    response = client.post(reverse("checkup:campaign_new"), {
        "name": "卫东区建筑工地法治体检", "starts_on": "2026-04-01", "ends_on": "2026-06-01",
        "organiser": data["centre"].pk, "region": data["regions"]["weidong"].pk, "goal_enterprises": "30"})
    assert response.status_code == 302
    assert services.Campaign.objects.filter(name="卫东区建筑工地法治体检", goal_enterprises=30).exists()


def test_the_edit_form_shows_the_record_and_a_township_forwards_the_claim_to_its_countys_centre(data):
    visit = visited(data, actor=data["station"])
    services.worker_add(actor=data["station"], visit=visit, name="康建军", consent_given=True,
                        problems=["wages_on_time"])
    client = login(data["station"])
    html = client.get(reverse("checkup:visit_edit", args=[visit.pk])).content.decode()
    assert code(1) in html and "拖欠3人两个月工资" in html
    html = client.get(reverse("checkup:visit", args=[visit.pk])).content.decode()
    assert "/refer/" in html and "data-refer-elsewhere" not in html  # 司法所 forwards to 卫东区's centre
    html = login(data["director"]).get(reverse("checkup:visit", args=[visit.pk])).content.decode()
    assert "/refer/" in html
