"""Finding help on a phone: the directory's search (pinyin initials, region) laid out for the portal."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from open12348.network.choices import InstitutionKind, ServicePointKind
from open12348.network.models import ServiceType, Specialty
from open12348.network.tests.factories import (
    InstitutionFactory,
    PractitionerFactory,
    ServicePointFactory,
    pingdingshan,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(db):
    regions = pingdingshan()
    aid = ServiceType.objects.create(code="legal-aid", name="法律援助")
    point = ServicePointFactory(kind=ServicePointKind.STATION, name="东安路街道公共法律服务工作站",
                                region=regions["weidong_township"], phone="0375-2812348", opening_hours="周一至周五")
    point.services.set([aid])
    ServicePointFactory(name="隐藏的工作站", region=regions["weidong"], is_public=False)
    centre = InstitutionFactory(kind=InstitutionKind.LEGAL_AID_CENTRE, name="新华区法律援助中心",
                                region=regions["xinhua"], phone="0375 4961234")
    firm = InstitutionFactory(name="河南碧野律师事务所", region=regions["weidong"], phone="0375-2934567")
    wang = PractitionerFactory(name="王德洲", institution=firm, region=regions["weidong"])
    wang.specialties.set([Specialty.objects.create(code="labour", name="劳动争议")])
    PractitionerFactory(name="王德明", institution=centre, region=regions["xinhua"])
    PractitionerFactory(name="李秀英", institution=firm, region=regions["weidong"])
    hidden = PractitionerFactory(name="王大志", institution=firm, region=regions["weidong"], is_public=False)
    return {"regions": regions, "point": point, "centre": centre, "firm": firm, "wang": wang, "hidden": hidden}


def names(response) -> list[str]:
    html = response.content.decode()
    return [name for name in ("王德洲", "王德明", "李秀英", "王大志") if f">{name}</a>" in html]


def test_pinyin_initials_find_the_lawyer(directory):
    client = Client()
    assert names(client.get(reverse("portal:help_people"), {"q": "wdz"})) == ["王德洲"]
    assert names(client.get(reverse("portal:help_people"), {"q": "WD"})) == ["王德洲", "王德明"]
    assert names(client.get(reverse("portal:help_people"), {"q": "wangdezhou"})) == ["王德洲"]
    assert names(client.get(reverse("portal:help_people"), {"q": "秀英"})) == ["李秀英"]


def test_the_region_narrows_the_list_and_hidden_people_never_show(directory):
    response = Client().get(reverse("portal:help_people"), {"region": ["410403"]})
    assert names(response) == ["王德洲", "李秀英"]


def test_results_have_a_tap_to_call_link_and_the_persons_page_their_details(directory):
    client = Client()
    html = client.get(reverse("portal:help_people"), {"q": "wdz"}).content.decode()
    assert 'href="tel:0375-2934567"' in html
    page = client.get(reverse("portal:help_person", args=[directory["wang"].pk])).content.decode()
    assert "劳动争议" in page and "河南碧野律师事务所" in page and 'href="tel:0375-2934567"' in page
    centre = client.get(reverse("portal:help_institution", args=[directory["centre"].pk])).content.decode()
    assert 'href="tel:03754961234"' in centre and "王德明" in centre


def test_service_points_say_what_they_handle(directory):
    client = Client()
    html = client.get(reverse("portal:help_points"), {"service": "legal-aid"}).content.decode()
    assert "东安路街道公共法律服务工作站" in html and "法律援助" in html and "隐藏的工作站" not in html
    page = client.get(reverse("portal:help_point", args=[directory["point"].pk])).content.decode()
    assert "法律援助" in page and "周一至周五" in page and 'href="tel:0375-2812348"' in page


def test_unpublished_records_are_not_found(directory):
    assert Client().get(reverse("portal:help_person", args=[directory["hidden"].pk])).status_code == 404


def test_bad_search_input_is_explained_at_the_field_and_kept(directory):
    response = Client().get(reverse("portal:help_people"), {"q": "x" * 101, "region": ["999999"]})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_q_error"' in html and "x" * 101 in html and 'class="error-summary"' in html


def test_the_people_list_costs_the_same_queries_for_2_or_12(directory, django_assert_max_num_queries):
    client = Client()
    url = reverse("portal:help_people")
    client.get(url, {"region": ["410403"]})
    with django_assert_max_num_queries(12) as few:
        client.get(url, {"region": ["410403"]})
    for index in range(10):
        person = PractitionerFactory(name=f"张伟{index}", institution=directory["firm"],
                                     region=directory["regions"]["weidong"])
        person.specialties.set(Specialty.objects.all())
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url, {"region": ["410403"]}).status_code == 200


@pytest.mark.parametrize("name", ["portal:help", "portal:help_institutions", "portal:help_points"])
def test_pages_read_without_signing_in(directory, name):
    assert Client().get(reverse(name)).status_code == 200
