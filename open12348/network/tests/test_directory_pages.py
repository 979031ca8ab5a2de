"""Public directory pages: search, pagination, the region picker, details without private fields."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from open12348.core.idnumber import check_digit
from open12348.core.masking import mask_id_number, mask_phone
from open12348.network.choices import InstitutionKind, PartnerBody, ServicePointKind
from open12348.network.models import Institution, Practitioner
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
HX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "results"}


@pytest.fixture
def regions():
    return pingdingshan()


@pytest.fixture
def village_lawyer(regions):
    firm = InstitutionFactory(name="曙光律师事务所", region=regions["xinhua_village"], phone="0375-2999888")
    return PractitionerFactory(
        name="王德洲", institution=firm, region=regions["xinhua_village"], id_number=ID_NUMBER,
        id_number_hash="a" * 64, mobile=MOBILE, mobile_hash="b" * 64, profile="擅长劳动争议。",
    )


def _text(response) -> str:
    return response.content.decode()


class TestSearchPages:
    def test_first_visit_lists_published_records_without_sign_in(self, client, village_lawyer):
        response = client.get(reverse("network:practitioners"))
        assert response.status_code == 200
        body = _text(response)
        assert "王德洲" in body
        assert "曙光律师事务所" in body
        assert 'href="tel:0375-2999888"' in body
        assert "平顶山市新华区中兴路街道曙光社区" in body  # region's full name

    @pytest.mark.parametrize("level,found", [
        ("410402001001", True), ("410402001", True), ("410402", True), ("4104", True), ("410403", False),
    ])
    def test_region_filter_includes_the_subtree(self, client, village_lawyer, level, found):
        response = client.get(reverse("network:practitioners"), {"region": level})
        assert response.status_code == 200
        assert ("王德洲" in _text(response)) is found

    @pytest.mark.parametrize("q", ["wdz", "wangdezhou", "德洲"])
    def test_free_text_and_pinyin(self, client, village_lawyer, q):
        PractitionerFactory(name="李秀英", institution=village_lawyer.institution)
        body = _text(client.get(reverse("network:practitioners"), {"q": q}))
        assert "王德洲" in body
        assert "李秀英" not in body

    def test_institution_kind_and_service_filters(self, client, regions):
        aid = ServiceTypeFactory(code="legal-aid", name="法律援助")
        centre = InstitutionFactory(name="市法律援助中心", kind=InstitutionKind.LEGAL_AID_CENTRE, region=regions["city"])
        centre.services.set([aid])
        InstitutionFactory(name="鹰城律师事务所", region=regions["xinhua"])
        body = _text(client.get(reverse("network:institutions"), {"kind": "legal_aid_centre"}))
        assert "市法律援助中心" in body and "鹰城律师事务所" not in body
        body = _text(client.get(reverse("network:institutions"), {"service": "legal-aid"}))
        assert "市法律援助中心" in body and "鹰城律师事务所" not in body
        assert "法律援助" in body  # the result lists its services

    def test_specialty_filter(self, client, village_lawyer):
        labour = SpecialtyFactory(code="labour", name="劳动争议")
        village_lawyer.specialties.set([labour])
        PractitionerFactory(name="李秀英", institution=village_lawyer.institution)
        body = _text(client.get(reverse("network:practitioners"), {"specialty": "labour"}))
        assert "王德洲" in body and "李秀英" not in body

    def test_service_points_show_hours_phone_services_and_partner_body(self, client, regions):
        aid = ServiceTypeFactory(code="legal-aid", name="法律援助")
        point = ServicePointFactory(
            name="市总工会法律援助工作站", kind=ServicePointKind.AID_WORKSTATION, partner_body=PartnerBody.TRADE_UNION,
            region=regions["city"], phone="0375-4440000", opening_hours="周一至周五 9:00-17:00",
        )
        point.services.set([aid])
        ServicePointFactory(name="隐藏工作站", region=regions["city"], is_public=False)
        body = _text(client.get(reverse("network:service_points"), {"kind": "aid_workstation"}))
        assert "市总工会法律援助工作站" in body
        assert "周一至周五 9:00-17:00" in body
        assert 'href="tel:0375-4440000"' in body
        assert "法律援助" in body
        assert str(PartnerBody.TRADE_UNION.label) in body or "工会" in body
        assert "隐藏工作站" not in body

    @pytest.mark.parametrize("params,field", [
        ({"region": "999999"}, "region"),
        ({"kind": "spaceship"}, "kind"),
        ({"service": "nothing"}, "service"),
    ])
    def test_bad_parameters_are_a_400_with_the_message_on_the_page(self, client, regions, params, field):
        InstitutionFactory(name="鹰城律师事务所", region=regions["xinhua"])
        response = client.get(reverse("network:institutions"), params)
        assert response.status_code == 400
        assert response.context["form"].errors.keys() == {field}
        assert 'class="alert alert-danger"' in _text(response)
        assert "鹰城律师事务所" not in _text(response)

    def test_htmx_request_gets_only_the_results(self, client, village_lawyer):
        response = client.get(reverse("network:practitioners"), {"q": "wdz"}, **HX)
        body = _text(response)
        assert response.status_code == 200
        assert "王德洲" in body
        assert "<html" not in body and "<form" not in body
        assert "HX-Request" in response["Vary"]

    def test_htmx_history_restore_gets_the_whole_page(self, client, village_lawyer):
        response = client.get(reverse("network:practitioners"), HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HX)
        assert "<html" in _text(response)


class TestPagination:
    def test_twenty_per_page_and_links_keep_the_filters(self, client, regions):
        for n in range(45):
            InstitutionFactory(name=f"律所{n:02d}", region=regions["xinhua_village"])
        InstitutionFactory(name="卫东律所", region=regions["weidong"])
        response = client.get(reverse("network:institutions"), {"region": "410402", "q": "律所"})
        page = response.context["page_obj"]
        assert page.paginator.count == 45
        assert len(page.object_list) == 20
        links = re.findall(r'href="(\?[^"]*page=\d+[^"]*)"', _text(response))
        assert links
        for link in links:
            assert "region=410402" in link and "q=%E5%BE%8B%E6%89%80" in link
        third = client.get(reverse("network:institutions"), {"region": "410402", "q": "律所", "page": 3})
        assert [i.name for i in third.context["page_obj"]] == [f"律所{n:02d}" for n in range(40, 45)]

    def test_a_page_past_the_end_shows_the_last_page(self, client, regions):
        InstitutionFactory(name="唯一律所", region=regions["city"])
        response = client.get(reverse("network:institutions"), {"page": "99"})
        assert response.status_code == 200
        assert "唯一律所" in _text(response)


class TestQueryCount:
    """A page of 20 results costs the same number of queries as a page of 2."""

    @staticmethod
    def _count(client, url, params) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, params)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    def _make_people(self, regions, n, start):
        aid = ServiceTypeFactory(code="legal-aid", name="法律援助")
        labour = SpecialtyFactory(code="labour", name="劳动争议")
        places = [regions["xinhua_village"], regions["xinhua_township"], regions["weidong_village"], regions["city"]]
        for i in range(start, start + n):
            firm = InstitutionFactory(name=f"律所{i:02d}", region=places[i % 4])
            firm.services.set([aid])
            person = PractitionerFactory(name=f"律师{i:02d}", institution=firm, region=places[i % 4])
            person.specialties.set([labour])

    @pytest.mark.parametrize("url_name", ["network:institutions", "network:practitioners"])
    def test_list_page(self, client, regions, url_name):
        url = reverse(url_name)
        params = {"region": ["4104", "410402"]}
        self._make_people(regions, 4, 0)
        small = self._count(client, url, params)
        self._make_people(regions, 40, 4)
        large = self._count(client, url, params)
        assert small == large

    def test_service_point_page(self, client, regions):
        url = reverse("network:service_points")
        firm = InstitutionFactory(name="运营机构", region=regions["city"])
        for i in range(2):
            ServicePointFactory(name=f"站{i}", region=regions["xinhua_village"], institution=firm)
        small = self._count(client, url, {})
        for i in range(2, 30):
            ServicePointFactory(name=f"站{i}", region=regions["weidong_village"], institution=firm)
        assert self._count(client, url, {}) == small


class TestRegionPicker:
    def test_picker_starts_at_counties_and_keeps_the_chosen_chain(self, client, village_lawyer):
        body = _text(client.get(reverse("network:practitioners"), {"region": ["410402", "410402001"]}))
        assert 'id="region-2"' in body and 'id="region-3"' in body and 'id="region-4"' in body
        assert '<option value="410402" selected>' in body
        assert '<option value="410402001" selected>' in body
        assert '<option value="410402001001">' in body  # the next level is ready to pick
        assert f'hx-get="{reverse("network:region_options")}"' in body

    def test_options_of_a_region_children(self, client, regions):
        response = client.get(reverse("network:region_options"), {"region": "410402"})
        body = _text(response)
        assert response.status_code == 200
        assert body.count("<option") == 2  # "all of 新华区" and its one township
        assert '<option value="">' in body and '<option value="410402001">' in body
        assert "新华区" in body

    def test_options_accept_parent_and_top_level(self, client, regions):
        assert '<option value="4104">' in _text(client.get(reverse("network:region_options"), {"parent": "41"}))
        assert '<option value="41">' in _text(client.get(reverse("network:region_options")))

    def test_all_chosen_leaves_nothing_to_pick(self, client, regions):
        body = _text(client.get(reverse("network:region_options"), {"region": ""}))
        assert body.count("<option") == 1

    def test_unknown_parent_is_a_400(self, client, regions):
        assert client.get(reverse("network:region_options"), {"parent": "999"}).status_code == 400


class TestDetailPages:
    def test_practitioner_detail_shows_public_fields_only(self, client, village_lawyer):
        labour = SpecialtyFactory(code="labour", name="劳动争议")
        village_lawyer.specialties.set([labour])
        response = client.get(reverse("network:practitioner_detail", args=[village_lawyer.pk]))
        body = _text(response)
        assert response.status_code == 200
        assert "王德洲" in body and "劳动争议" in body and "擅长劳动争议" in body
        assert village_lawyer.licence_no in body
        assert 'href="tel:0375-2999888"' in body  # the institution's public phone instead
        for secret in (ID_NUMBER, mask_id_number(ID_NUMBER), ID_NUMBER[-4:] + "<", MOBILE, mask_phone(MOBILE),
                       "a" * 64, "b" * 64):
            assert secret not in body
        # The private values are really stored: the test would pass vacuously otherwise.
        stored = Practitioner.objects.get(pk=village_lawyer.pk)
        assert stored.id_number == ID_NUMBER and stored.mobile == MOBILE

    def test_institution_detail_lists_its_people(self, client, village_lawyer):
        PractitionerFactory(name="隐藏律师", institution=village_lawyer.institution, is_public=False)
        body = _text(client.get(reverse("network:institution_detail", args=[village_lawyer.institution_id])))
        assert "曙光律师事务所" in body and "王德洲" in body
        assert "隐藏律师" not in body
        assert MOBILE not in body and ID_NUMBER not in body

    def test_unpublished_records_are_404(self, client, regions):
        hidden_firm = InstitutionFactory(name="未公开律所", region=regions["city"], is_public=False)
        hidden_person = PractitionerFactory(name="未公开律师", is_public=False)
        assert client.get(reverse("network:institution_detail", args=[hidden_firm.pk])).status_code == 404
        assert client.get(reverse("network:practitioner_detail", args=[hidden_person.pk])).status_code == 404
        assert client.get(reverse("network:institution_detail", args=[999999])).status_code == 404

    def test_unpublished_institution_is_not_shown_on_its_practitioner(self, client, regions):
        firm = InstitutionFactory(name="未公开律所", region=regions["city"], is_public=False, phone="0375-7777777")
        person = PractitionerFactory(name="张伟", institution=firm)
        body = _text(client.get(reverse("network:practitioner_detail", args=[person.pk])))
        assert "张伟" in body
        assert "未公开律所" not in body and "0375-7777777" not in body

    def test_pages_refuse_writes(self, client, village_lawyer):
        url = reverse("network:practitioner_detail", args=[village_lawyer.pk])
        assert client.post(url, {"name": "改名"}).status_code == 405
        assert Practitioner.objects.get(pk=village_lawyer.pk).name == "王德洲"
        assert Institution.objects.count() == 1
