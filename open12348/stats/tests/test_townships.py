"""Legal aid figures by the applicant's township, against hand-counted records.

The world: 卫东区 (townships 东安路街道 and 五一路街道) and 新华区 (中兴路街道).

| record | centre | township of residence | what happens | counted at |
|---|---|---|---|---|
| application 1 | 卫东区 | 东安路街道 | granted, case assigned | 东安路街道 (application and case) |
| application 2 | 卫东区 | 东安路街道 | granted, case assigned, then moved to 新华区 | application 东安路街道, case 新华区 |
| application 3 | 卫东区 | 五一路街道 | waiting for review | 五一路街道 |
| application 4 | 卫东区 | none | waiting for review | 卫东区 itself |
| application 5 | 新华区 | 中兴路街道 | waiting for review | 中兴路街道 |
"""

from __future__ import annotations

import datetime as dt

import pytest

from open12348.core.errors import ApplicationError
from open12348.legalaid import services
from open12348.legalaid.models import Application
from open12348.legalaid.tests.factories import id_number, wage_claim
from open12348.legalaid.tests.test_cases_fixtures import ASSIGNED_ON, assigned, granted
from open12348.network.choices import RegionLevel
from open12348.network.tests.factories import make_region, staff_in
from open12348.stats.drilldown import Cell, records
from open12348.stats.selectors import Period, by_township, legal_aid_figures
from open12348.stats.services import stats_check, stats_sweep
from open12348.stats.sources import SOURCES

pytestmark = pytest.mark.django_db

PERIOD = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def claim(n: int, residence=None) -> dict:
    payload = wage_claim(applicant={"name": f"申请人{n}", "id_number": id_number(f"41040319850317{n:03d}")})
    return {**payload, "residence": residence}


@pytest.fixture
def towns(data, clock):
    regions = data["regions"]
    dongan, zhongxing = regions["weidong_township"], regions["xinhua_township"]
    wuyi = make_region("410403002", "五一路街道", RegionLevel.TOWNSHIP, regions["weidong"])
    stats_sweep()
    first = assigned(data, granted(data, claim(1, dongan)))
    moved = assigned(data, granted(data, claim(2, dongan)))
    services.application_create(actor=data["window_staff"], centre=data["centre"], channel="window",
                                **claim(3, wuyi))
    services.application_create(actor=data["window_staff"], centre=data["centre"], channel="window", **claim(4))
    services.application_create(actor=data["xinhua_reviewer"], centre=data["other_centre"], channel="online",
                                **claim(5, zhongxing))
    stats_sweep()
    # A transfer to 新华区 (no service moves a case between counties yet; the dashboard must follow it).
    moved.region = regions["xinhua"]
    moved.save()
    stats_sweep()
    data.update(dongan=dongan, wuyi=wuyi, zhongxing=zhongxing, first=first, moved=moved,
                leader=staff_in(regions["city"], role="leader", username="city_leader"))
    return data


def test_applications_and_cases_are_counted_at_the_applicants_township(towns):
    leader, weidong, xinhua = towns["leader"], towns["regions"]["weidong"], towns["regions"]["xinhua"]
    dongan, wuyi, zhongxing = towns["dongan"].pk, towns["wuyi"].pk, towns["zhongxing"].pk

    assert by_township(user=leader, metric="aid.applied", period=PERIOD, county=weidong) == (
        {dongan: 2, wuyi: 1}, 1)  # application 4 has no township: the county holds it itself
    assert by_township(user=leader, metric="aid.case", period=PERIOD, county=weidong) == ({dongan: 1}, 0)
    assert by_township(user=leader, metric="aid.case", period=PERIOD, county=weidong, measure="people") == (
        {dongan: 3}, 0)
    # The moved case left 东安路街道 (a township of the county it left) and is counted at 新华区 itself.
    assert by_township(user=leader, metric="aid.case", period=PERIOD, county=xinhua) == ({}, 1)
    assert by_township(user=leader, metric="aid.applied", period=PERIOD, county=xinhua) == ({zhongxing: 1}, 0)
    # The counties' totals did not change: every record is still in its own county's figures.
    assert legal_aid_figures(user=leader, period=PERIOD, region=weidong)["applications"] == 4
    assert legal_aid_figures(user=leader, period=PERIOD, region=weidong)["cases"] == 1
    assert legal_aid_figures(user=leader, period=PERIOD, region=xinhua)["cases"] == 1
    assert legal_aid_figures(user=leader, period=PERIOD)["applications"] == 5
    for name in ("legalaid.application", "legalaid.case"):
        result = stats_check(source=name)
        assert result.ok, result.differences


def test_a_county_sees_all_its_rows_and_no_township_of_another_county(towns):
    director, weidong, xinhua = towns["director"], towns["regions"]["weidong"], towns["regions"]["xinhua"]
    assert legal_aid_figures(user=director, period=PERIOD)["applications"] == 4
    assert legal_aid_figures(user=director, period=PERIOD)["cases"] == 1  # the moved case went to 新华区
    assert by_township(user=director, metric="aid.applied", period=PERIOD, county=xinhua) == ({}, 0)
    assert records(user=director, cell=Cell("aid.applied", PERIOD, region=towns["zhongxing"])).count() == 0
    assert records(user=director, cell=Cell("aid.applied", PERIOD, region=towns["dongan"])).count() == 2
    assert by_township(user=director, metric="aid.applied", period=PERIOD, county=weidong)[1] == 1


@pytest.mark.parametrize(("metric", "where", "exact", "expected"), [
    ("aid.applied", "dongan", False, {1, 2}),
    ("aid.applied", "wuyi", False, {3}),
    ("aid.applied", "weidong", True, {4}),
    ("aid.applied", "weidong", False, {1, 2, 3, 4}),
    ("aid.case", "dongan", False, {1}),
    ("aid.case", "xinhua", True, {2}),
    ("aid.case", "zhongxing", False, set()),
    ("aid.case", "weidong", True, set()),
])
def test_each_township_figure_drills_down_to_exactly_its_records(towns, metric, where, exact, expected):
    region = towns[where] if where in towns else towns["regions"][where]
    found = records(user=towns["leader"], cell=Cell(metric, PERIOD, region=region, exact=exact))
    applications = [r.application if metric == "aid.case" else r for r in found]
    assert {int(a.applicant.name.removeprefix("申请人")) for a in applications} == expected


def test_the_legal_aid_page_breaks_a_county_down_by_township_and_links_each_number(client, towns):
    client.force_login(towns["leader"])
    weidong = towns["regions"]["weidong"]
    query = {"start": "2026-01-01", "end": "2026-12-31", "region": weidong.pk}
    response = client.get("/dashboard/legal-aid/", query)
    assert response.status_code == 200
    rows = response.context["townships"]
    assert [(row["name"], row["applications"], row["cases"], row["people"]) for row in rows[:-1]] == [
        ("东安路街道", 2, 1, 3), ("五一路街道", 1, 0, 0)]
    unplaced = rows[-1]
    assert unplaced["unplaced"] and (unplaced["applications"], unplaced["cases"]) == (1, 0)
    page = client.get(rows[0]["applications_url"])
    assert page.status_code == 200 and page.context["page_obj"].paginator.count == 2
    assert len(page.context["rows"]) == 2
    page = client.get(unplaced["applications_url"])
    assert page.context["page_obj"].paginator.count == 1 and len(page.context["rows"]) == 1
    # A township of another county under this county is not a cell: 404, nothing listed.
    other = client.get("/dashboard/records/", {**query, "metric": "aid.applied", "township": towns["zhongxing"].pk})
    assert other.status_code == 404
    # Without a county the page says how to see townships.
    assert client.get("/dashboard/legal-aid/", {"start": "2026-01-01", "end": "2026-12-31"}).context[
        "townships"] == []


def test_the_api_gives_the_township_figures_of_a_county_in_scope_only(client, towns):
    client.force_login(towns["leader"])
    body = client.get("/api/v1/stats/legal-aid/townships", {"start": "2026-01-01", "end": "2026-12-31",
                                                            "region": "410403"}).json()
    assert [(r["code"], r["applications"], r["cases"]) for r in body["townships"]] == [
        ("410403001", 2, 1), ("410403002", 1, 0), (None, 1, 0)]
    client.force_login(towns["director"])  # 卫东区: 新华区 is not theirs
    refused = client.get("/api/v1/stats/legal-aid/townships", {"region": "410402"})
    assert refused.status_code == 400 and "region" in refused.json()["fields"]
    assert client.get("/api/v1/stats/legal-aid/townships").status_code == 400  # a county is required


def test_a_residence_must_be_a_township_inside_the_centres_area(data, clock):
    regions = data["regions"]
    before = Application.objects.count()
    for residence, code in ((regions["weidong_village"], "residence_level"), (regions["weidong"], "residence_level"),
                            (regions["xinhua_township"], "residence_out_of_area")):
        with pytest.raises(ApplicationError) as refused:
            services.application_create(actor=data["window_staff"], centre=data["centre"], channel="window",
                                        **claim(7, residence))
        assert refused.value.code == code and refused.value.field == "residence"
    assert Application.objects.count() == before
    made = services.application_create(actor=data["window_staff"], centre=data["centre"], channel="window",
                                       **claim(7, regions["weidong_township"]))
    assert made.residence == regions["weidong_township"]


def test_the_staff_form_offers_the_townships_of_the_users_area(data, clock):
    from open12348.legalaid.forms import ApplicationForm

    form = ApplicationForm(user=data["window_staff"])
    assert list(form.fields["residence"].queryset) == [data["regions"]["weidong_township"]]
    assert "residence" in [field.name for field in form.sections["applicant"]]


def test_every_source_is_consistent_after_the_township_changes(towns, clock):
    application = Application.objects.get(pk=towns["first"].application_id)
    clock.set(ASSIGNED_ON + dt.timedelta(days=1))
    application.residence = towns["wuyi"]  # corrected at the window: the case follows its application
    application.save()
    stats_sweep()
    leader, weidong = towns["leader"], towns["regions"]["weidong"]
    assert by_township(user=leader, metric="aid.case", period=PERIOD, county=weidong) == ({towns["wuyi"].pk: 1}, 0)
    for name in SOURCES:
        result = stats_check(source=name)
        assert result.ok, result.differences
