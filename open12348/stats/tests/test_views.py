"""The overview page, its Excel export and the API: the same figures, within the viewer's scope."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from open12348.audit.models import AuditEvent
from open12348.legalaid import services
from open12348.legalaid.tests.factories import id_number, wage_claim
from open12348.legalaid.tests.test_cases_fixtures import closed, granted
from open12348.network.tests.factories import staff_in
from open12348.stats.figures import HEADLINES
from open12348.stats.services import stats_sweep

pytestmark = pytest.mark.django_db

PERIOD = {"start": "2026-01-01", "end": "2026-12-31"}


@pytest.fixture
def figures(data, clock):
    """卫东区: one case closed (3 people, 36,000 yuan); 新华区: one application received."""
    closed(data, clock, granted(data))
    services.application_create(
        actor=data["xinhua_reviewer"], centre=data["other_centre"], channel="online",
        **wage_claim(applicant={"name": "张三", "id_number": id_number("41040219800101123")}))
    stats_sweep()
    data["leader"] = staff_in(data["regions"]["city"], role="leader", username="city_leader")
    return data


def test_the_leader_sees_the_citys_figures(client, figures, django_assert_max_num_queries):
    client.force_login(figures["leader"])
    with django_assert_max_num_queries(60):
        response = client.get("/dashboard/", PERIOD)
    assert response.status_code == 200
    rows = {str(row["key"]): row for row in response.context["headlines"]}
    assert rows["applications"]["value"] == 2 and rows["cases"]["value"] == 1
    assert rows["amount_recovered"]["value"] == 36000 and rows["people_aided"]["value"] == 3
    assert rows["migrant_worker_cases"]["value"] == 1
    tiles = {tile["name"]: tile["value"] for tile in response.context["tiles"]}
    assert tiles == {"新华区": 0, "卫东区": 1}
    assert b"dashboard-charts" in response.content and b"echarts.min.js" in response.content


def test_a_county_sees_only_its_own_figures(client, figures):
    client.force_login(figures["director"])  # 卫东区 legal aid centre
    response = client.get("/dashboard/", PERIOD)
    rows = {str(row["key"]): row for row in response.context["headlines"]}
    assert rows["applications"]["value"] == 1  # 新华区's application is not theirs
    assert [tile["name"] for tile in response.context["tiles"]] == ["卫东区"]
    api = client.get("/api/v1/stats/overview", {**PERIOD, "region": "410402"})
    assert api.status_code == 400 and "region" in api.json()["fields"]


def test_staff_without_the_dashboard_are_refused_and_nothing_is_exported(client, figures):
    client.force_login(figures["window_staff"])
    assert client.get("/dashboard/", {**PERIOD, "format": "xlsx"}).status_code == 403
    assert client.get("/api/v1/stats/overview", PERIOD).status_code == 403
    assert not AuditEvent.objects.filter(action="stats.export").exists()


def test_the_excel_export_writes_the_filters_at_the_top_and_the_same_figures(client, figures):
    client.force_login(figures["leader"])
    response = client.get("/dashboard/", {**PERIOD, "region": figures["regions"]["weidong"].pk, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[1][1] == "2026-01-01 – 2026-12-31" and rows[2][1] == "卫东区"
    assert rows[5][:3] == ["指标", "本期", "上年同期"]
    values = {key: row[1] for (_area, key, _label, _unit), row in zip(HEADLINES, rows[6:], strict=True)}
    assert values["cases"] == 1 and values["amount_recovered"] == 36000 and values["people_aided"] == 3
    assert values["applications"] == 1  # 卫东区 only, as filtered
    assert AuditEvent.objects.filter(action="stats.export", actor=figures["leader"]).count() == 1


def test_the_api_gives_the_same_figures(client, figures):
    client.force_login(figures["leader"])
    body = client.get("/api/v1/stats/overview", PERIOD).json()
    assert body["legal_aid"]["applications"] == 2 and body["legal_aid"]["cases"] == 1
    assert body["legal_aid"]["amount_recovered"] == "36000.00"
    assert body["hotline"]["calls"] == 0 and body["hotline"]["satisfaction_pct"] is None


def test_a_period_that_ends_before_it_starts_is_refused_at_its_field(client, figures):
    client.force_login(figures["leader"])
    response = client.get("/dashboard/", {"start": "2026-12-31", "end": "2026-01-01"})
    assert response.status_code == 400 and "end" in response.context["form"].errors
    api = client.get("/api/v1/stats/overview", {"start": "2026-12-31", "end": "2026-01-01"})
    assert api.status_code == 400 and "end" in api.json()["fields"]


def test_every_cell_drills_down_to_exactly_the_records_it_counts(figures, clock):
    from django.db.models import Sum

    from open12348.legalaid.tests.factories import contract_dispute
    from open12348.stats.drilldown import DRILLS, Cell, records
    from open12348.stats.models import Tally
    from open12348.stats.selectors import Period

    refused = services.application_create(actor=figures["window_staff"], centre=figures["centre"], channel="online",
                                          **contract_dispute())
    services.application_decide(actor=figures["director"], application=refused, decision="refuse",
                                reasons="不属于法律援助范围", override_reason="")
    withdrawn = services.application_create(
        actor=figures["window_staff"], centre=figures["centre"], channel="window",
        **wage_claim(applicant={"name": "李四", "id_number": id_number("41040319750101123"),
                                "groups": ["migrant_worker", "elderly"]}))
    services.application_withdraw(actor=figures["window_staff"], application=withdrawn, note="已协商解决")
    stats_sweep()
    period = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    cells = (Tally.objects.filter(metric__in=list(DRILLS), grain="d").values("metric", "a", "b", "c")
             .annotate(n=Sum("n")).order_by("metric", "a", "b", "c"))
    checked = 0
    for row in cells:
        cell = Cell(metric=row["metric"], period=period, a=row["a"], b=row["b"], c=row["c"])
        assert records(user=figures["leader"], cell=cell).count() == row["n"], row
        checked += 1
    assert checked >= 12
    # and a whole metric with no dimension given is every record of it
    assert records(user=figures["leader"], cell=Cell(metric="aid.applied", period=period)).count() == 4


def test_a_headline_links_to_its_records_within_the_viewers_scope(client, figures):
    client.force_login(figures["leader"])
    response = client.get("/dashboard/", PERIOD)
    rows = {str(row["key"]): row for row in response.context["headlines"]}
    page = client.get(rows["applications"]["url"])
    assert page.status_code == 200 and page.context["page_obj"].paginator.count == 2
    client.force_login(figures["director"])  # 卫东区 only
    page = client.get(rows["applications"]["url"])
    assert page.context["page_obj"].paginator.count == 1
    assert "新华区" not in page.content.decode()
    xlsx = client.get(rows["applications"]["url"] + "&format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["B2"].value == "2026-01-01 – 2026-12-31" and sheet.max_row == 7  # title, 2 filters, time, gap, head, 1 record
    client.force_login(figures["window_staff"])
    assert client.get(rows["applications"]["url"]).status_code == 403
    assert client.get("/dashboard/records/?metric=nothing").status_code in (403, 404)


def test_the_legal_aid_page_breaks_the_figures_down_and_links_each_number(client, figures,
                                                                        django_assert_max_num_queries):
    client.force_login(figures["leader"])
    with django_assert_max_num_queries(60):
        response = client.get("/dashboard/legal-aid/", PERIOD)
    assert response.status_code == 200
    context = response.context
    assert {row["key"]: row["n"] for row in context["channels"]} == {"window": 1, "online": 1}
    assert [(row["key"], row["n"], row["people"]) for row in context["categories"]] == [("civil", 1, 3)]
    assert [(row["key"], row["n"]) for row in context["groups"]] == [("migrant_worker", 1)]
    assert [(row["label"], row["n"]) for row in context["institutions"]] == [("河南鹰城律师事务所", 1)]
    matter = context["matters"][0]
    assert matter["label"].startswith("CV-05") and matter["n"] == 1
    drilled = client.get(matter["url"])
    assert drilled.context["page_obj"].paginator.count == 1


def test_a_county_outside_the_viewers_scope_gives_no_figures(figures):
    from open12348.stats.selectors import Period, legal_aid_figures

    period = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    xinhua = figures["regions"]["xinhua"]
    assert legal_aid_figures(user=figures["director"], period=period, region=xinhua)["applications"] == 0
    assert legal_aid_figures(user=figures["leader"], period=period, region=xinhua)["applications"] == 1


def test_the_network_page_counts_points_and_coverage_within_scope(client, figures):
    from open12348.network.models import ServicePoint

    regions = figures["regions"]
    ServicePoint.objects.create(kind="station", name="东安路街道公共法律服务工作站", region=regions["weidong_township"])
    ServicePoint.objects.create(kind="station", name="中兴路街道公共法律服务工作站", region=regions["xinhua_township"])
    ServicePoint.objects.create(kind="room", name="建设路社区公共法律服务工作室", region=regions["weidong_village"])
    client.force_login(figures["leader"])
    city = client.get("/dashboard/network/", PERIOD).context["figures"]
    assert city["service_points"] == {"station": 2, "room": 1}
    assert (city["townships_served"], city["townships"], city["villages_served"], city["villages"]) == (2, 2, 1, 2)
    client.force_login(figures["director"])  # 卫东区 only
    county = client.get("/dashboard/network/", PERIOD).context["figures"]
    assert county["service_points"] == {"station": 1, "room": 1}
    assert (county["townships_served"], county["townships"]) == (1, 1)
    client.force_login(figures["window_staff"])
    assert client.get("/dashboard/network/", PERIOD).status_code == 403
