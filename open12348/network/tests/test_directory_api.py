"""Public directory API under /api/v1/: filters, paging, error shape, public fields only."""

import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.permissions import AllowAny
from rest_framework.test import APIClient

from open12348.core.idnumber import check_digit
from open12348.core.masking import mask_id_number, mask_phone
from open12348.network.apis import DirectoryListApi, PublicRateThrottle, RegionListApi
from open12348.network.choices import InstitutionKind, PartnerBody, ServicePointKind
from open12348.network.models import Practitioner
from open12348.network.tests.factories import (
    InstitutionFactory,
    PractitionerFactory,
    ServicePointFactory,
    ServiceTypeFactory,
    SpecialtyFactory,
    pingdingshan,
)

pytestmark = pytest.mark.django_db

ID_FIRST17 = "41040219850312123"
ID_NUMBER = ID_FIRST17 + check_digit(ID_FIRST17)
MOBILE = "13912345678"
PRIVATE_KEYS = {"id_number", "id_number_hash", "mobile", "mobile_hash"}


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def regions():
    return pingdingshan()


@pytest.fixture
def village_lawyer(regions):
    firm = InstitutionFactory(name="曙光律师事务所", region=regions["xinhua_village"], phone="0375-2999888")
    return PractitionerFactory(
        name="王德洲", institution=firm, region=regions["xinhua_village"], id_number=ID_NUMBER,
        id_number_hash="a" * 64, mobile=MOBILE, mobile_hash="b" * 64,
    )


def _names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return sorted(item["name"] for item in response.json()["results"])


def _all_keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _all_keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _all_keys(v)}
    return set()


class TestPractitioners:
    URL = "/api/v1/directory/practitioners"

    def test_list_is_public_and_shaped(self, api, village_lawyer):
        labour = SpecialtyFactory(code="labour", name="劳动争议")
        village_lawyer.specialties.set([labour])
        body = api.get(self.URL).json()
        assert body["count"] == 1
        item = body["results"][0]
        assert item["name"] == "王德洲"
        assert item["kind"]["code"] == "lawyer" and item["kind"]["label"]
        assert item["region"] == {
            "code": "410402001001", "name": "曙光社区",
            "level": {"code": "village", "label": item["region"]["level"]["label"]},
            "full_name": "平顶山市新华区中兴路街道曙光社区",
        }
        assert item["institution"]["phone"] == "0375-2999888"
        assert item["specialties"] == [{"code": "labour", "name": "劳动争议"}]

    @pytest.mark.parametrize("code,found", [
        ("410402001001", True), ("410402001", True), ("410402", True), ("4104", True), ("41", True),
        ("410403", False), ("410403001", False),
    ])
    def test_region_includes_the_subtree(self, api, village_lawyer, code, found):
        assert _names(api.get(self.URL, {"region": code})) == (["王德洲"] if found else [])

    @pytest.mark.parametrize("q", ["wdz", "wangdezhou", "德洲", "曙光律师"])
    def test_free_text(self, api, village_lawyer, q):
        PractitionerFactory(name="李秀英")
        assert _names(api.get(self.URL, {"q": q})) == ["王德洲"]

    def test_kind_and_specialty(self, api, village_lawyer):
        labour = SpecialtyFactory(code="labour", name="劳动争议")
        village_lawyer.specialties.set([labour])
        PractitionerFactory(name="调解员", kind="mediator", licence_no="")
        assert _names(api.get(self.URL, {"specialty": "labour"})) == ["王德洲"]
        assert _names(api.get(self.URL, {"kind": "mediator"})) == ["调解员"]

    def test_detail_never_contains_private_fields(self, api, village_lawyer):
        response = api.get(f"{self.URL}/{village_lawyer.pk}")
        assert response.status_code == 200
        raw = response.content.decode()
        assert not PRIVATE_KEYS & _all_keys(response.json())
        for secret in (ID_NUMBER, mask_id_number(ID_NUMBER), MOBILE, mask_phone(MOBILE), "a" * 64, "b" * 64):
            assert secret not in raw
        list_raw = api.get(self.URL).content.decode()
        assert ID_NUMBER not in list_raw and MOBILE not in list_raw
        assert not PRIVATE_KEYS & _all_keys(json.loads(list_raw))
        stored = Practitioner.objects.get(pk=village_lawyer.pk)
        assert stored.id_number == ID_NUMBER and stored.mobile == MOBILE

    def test_unpublished_is_404_and_not_listed(self, api, regions):
        hidden = PractitionerFactory(name="未公开律师", is_public=False)
        assert api.get(f"{self.URL}/{hidden.pk}").status_code == 404
        assert _names(api.get(self.URL)) == []

    def test_refuses_writes_and_changes_nothing(self, api, village_lawyer):
        assert api.post(self.URL, {"name": "新人"}).status_code in (403, 405)
        assert api.put(f"{self.URL}/{village_lawyer.pk}", {"name": "改名"}).status_code in (403, 405)
        assert list(Practitioner.objects.values_list("name", flat=True)) == ["王德洲"]


class TestInstitutionsAndPoints:
    def test_institution_filters_and_detail(self, api, regions):
        aid = ServiceTypeFactory(code="legal-aid", name="法律援助")
        centre = InstitutionFactory(name="市法律援助中心", kind=InstitutionKind.LEGAL_AID_CENTRE,
                                    region=regions["city"], description="免费法律援助。", address="平顶山市卫东区东安路8号")
        centre.services.set([aid])
        InstitutionFactory(name="鹰城律师事务所", region=regions["xinhua"], address="建设路100号")
        url = "/api/v1/directory/institutions"
        assert _names(api.get(url, {"kind": "legal_aid_centre"})) == ["市法律援助中心"]
        assert _names(api.get(url, {"service": "legal-aid"})) == ["市法律援助中心"]
        assert _names(api.get(url, {"q": "建设路"})) == ["鹰城律师事务所"]
        assert _names(api.get(url, {"region": "410402"})) == ["鹰城律师事务所"]
        detail = api.get(f"{url}/{centre.pk}").json()
        assert detail["description"] == "免费法律援助。"
        assert detail["services"] == [{"code": "legal-aid", "name": "法律援助"}]
        assert detail["region"]["full_name"] == "平顶山市"

    def test_unpublished_institution_is_404(self, api, regions):
        hidden = InstitutionFactory(name="未公开律所", region=regions["city"], is_public=False)
        assert api.get(f"/api/v1/directory/institutions/{hidden.pk}").status_code == 404

    def test_service_points(self, api, regions):
        aid = ServiceTypeFactory(code="legal-aid", name="法律援助")
        point = ServicePointFactory(
            name="市总工会法律援助工作站", kind=ServicePointKind.AID_WORKSTATION, partner_body=PartnerBody.TRADE_UNION,
            region=regions["city"], opening_hours="周一至周五 9:00-17:00",
        )
        point.services.set([aid])
        ServicePointFactory(name="中兴路街道工作站", region=regions["xinhua_township"])
        ServicePointFactory(name="未公开站", region=regions["city"], is_public=False)
        url = "/api/v1/directory/service-points"
        assert _names(api.get(url, {"kind": "aid_workstation"})) == ["市总工会法律援助工作站"]
        assert _names(api.get(url, {"service": "legal-aid"})) == ["市总工会法律援助工作站"]
        assert _names(api.get(url, {"region": "410402"})) == ["中兴路街道工作站"]
        item = api.get(url, {"kind": "aid_workstation"}).json()["results"][0]
        assert item["partner_body"]["code"] == "trade_union"
        assert item["opening_hours"] == "周一至周五 9:00-17:00"
        assert api.get(f"{url}/{point.pk}").status_code == 200


class TestBadParameters:
    @pytest.mark.parametrize("url,params,field", [
        ("/api/v1/directory/institutions", {"region": "999999"}, "region"),
        ("/api/v1/directory/institutions", {"region": "<script>"}, "region"),
        ("/api/v1/directory/institutions", {"kind": "lawyer"}, "kind"),
        ("/api/v1/directory/institutions", {"service": "nope"}, "service"),
        ("/api/v1/directory/practitioners", {"kind": "spaceship"}, "kind"),
        ("/api/v1/directory/practitioners", {"specialty": "nope"}, "specialty"),
        ("/api/v1/directory/practitioners", {"institution": "x"}, "institution"),
        ("/api/v1/directory/service-points", {"kind": "law_firm"}, "kind"),
        ("/api/v1/directory/service-points", {"q": "王" * 101}, "q"),
        ("/api/v1/regions", {"parent": "999"}, "parent"),
    ])
    def test_400_with_the_project_error_shape(self, api, regions, url, params, field):
        response = api.get(url, params)
        assert response.status_code == 400
        body = response.json()
        assert set(body) == {"code", "message", "fields"}
        assert body["code"] == "invalid"
        assert list(body["fields"]) == [field]
        assert body["fields"][field] and all(isinstance(m, str) and m for m in body["fields"][field])

    def test_paths_are_published_without_a_trailing_slash(self, api, regions):
        assert api.get("/api/v1/directory/institutions").status_code == 200
        assert api.get("/api/v1/regions").status_code == 200
        assert api.get("/api/v1/directory/institutions/").status_code == 404


class TestPaging:
    def test_page_and_page_size(self, api, regions):
        for n in range(25):
            InstitutionFactory(name=f"律所{n:02d}", region=regions["xinhua"])
        url = "/api/v1/directory/institutions"
        first = api.get(url).json()
        assert first["count"] == 25 and len(first["results"]) == 20 and first["next"]
        assert len(api.get(url, {"page": 2}).json()["results"]) == 5
        small = api.get(url, {"page_size": 10, "page": 3}).json()
        assert [i["name"] for i in small["results"]] == [f"律所{n:02d}" for n in range(20, 25)]
        assert len(api.get(url, {"page_size": 1000}).json()["results"]) == 25  # capped at 100, not refused

    def test_next_link_keeps_the_filters(self, api, regions):
        for n in range(25):
            InstitutionFactory(name=f"律所{n:02d}", region=regions["xinhua"])
        body = api.get("/api/v1/directory/institutions", {"region": "410402", "q": "律所"}).json()
        assert "region=410402" in body["next"] and "page=2" in body["next"]


class TestQueryCount:
    @staticmethod
    def _count(api, url, params=None) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = api.get(url, params or {})
        assert response.status_code == 200
        return len(ctx.captured_queries)

    @staticmethod
    def _make(regions, start, n):
        aid = ServiceTypeFactory(code="legal-aid", name="法律援助")
        labour = SpecialtyFactory(code="labour", name="劳动争议")
        places = [regions["xinhua_village"], regions["weidong_township"], regions["city"], regions["weidong"]]
        for i in range(start, start + n):
            firm = InstitutionFactory(name=f"律所{i:02d}", region=places[i % 4])
            firm.services.set([aid])
            PractitionerFactory(name=f"律师{i:02d}", institution=firm, region=places[i % 4]).specialties.set([labour])
            ServicePointFactory(name=f"站点{i:02d}", region=places[i % 4], institution=firm).services.set([aid])

    @pytest.mark.parametrize("url", [
        "/api/v1/directory/institutions", "/api/v1/directory/practitioners", "/api/v1/directory/service-points",
    ])
    def test_a_page_of_20_costs_the_same_as_a_page_of_2(self, api, regions, url):
        self._make(regions, 0, 2)
        small = self._count(api, url, {"region": "4104"})
        self._make(regions, 2, 30)
        large = self._count(api, url, {"region": "4104"})
        assert api.get(url, {"region": "4104"}).json()["count"] == 32
        assert small == large

    def test_regions_cost_the_same_whatever_the_number_of_children(self, api, regions):
        assert self._count(api, "/api/v1/regions", {"parent": "410403"}) == self._count(
            api, "/api/v1/regions", {"parent": "4104"}
        )


class TestRegions:
    def test_children_and_top_level(self, api, regions):
        top = api.get("/api/v1/regions").json()
        assert [r["code"] for r in top] == ["41"]
        children = api.get("/api/v1/regions", {"parent": "4104"}).json()
        assert [(r["code"], r["name"], r["full_name"]) for r in children] == [
            ("410402", "新华区", "平顶山市新华区"), ("410403", "卫东区", "平顶山市卫东区"),
        ]
        assert children[0]["level"]["code"] == "county"


class TestPublicAccessPolicy:
    @pytest.mark.parametrize("view", [DirectoryListApi, RegionListApi])
    def test_anyone_may_read_within_the_public_rate(self, view):
        assert view.permission_classes == [AllowAny]
        assert view.throttle_scope == "public"

    def test_throttle_counts_by_the_real_client_address(self, api, regions, monkeypatch):
        # A client that invents a new X-Forwarded-For on every request is still one client.
        cache.clear()
        monkeypatch.setattr(PublicRateThrottle, "THROTTLE_RATES", {"public": "2/min"})
        try:
            codes = [
                api.get("/api/v1/regions", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code for n in range(3)
            ]
            refused = api.get("/api/v1/regions")
        finally:
            cache.clear()
        assert codes == [200, 200, 429]
        assert refused.status_code == 429
        assert set(refused.json()) == {"code", "message", "fields"}
