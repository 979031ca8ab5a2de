"""Directory selectors and the shared query-parameter forms."""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from open12348.network.choices import InstitutionKind, PractitionerKind, ServicePointKind
from open12348.network.filters import InstitutionFilterForm, PractitionerFilterForm, RegionChildrenForm
from open12348.network.models import Region
from open12348.network.selectors import (
    attach_region_display_names,
    directory_institutions,
    directory_practitioners,
    directory_region_picker,
    directory_service_points,
    institution_list_visible_to,
)
from open12348.network.tests.factories import (
    InstitutionFactory,
    PractitionerFactory,
    ServicePointFactory,
    ServiceTypeFactory,
    SpecialtyFactory,
    pingdingshan,
    staff_in,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def regions():
    return pingdingshan()


@pytest.fixture
def village_lawyer(regions):
    firm = InstitutionFactory(name="新华区曙光法律服务所", region=regions["xinhua_village"])
    return PractitionerFactory(name="王德洲", institution=firm, region=regions["xinhua_village"])


def _names(qs):
    return sorted(obj.name for obj in qs)


class TestRegionSubtree:
    @pytest.mark.parametrize("level", ["xinhua_village", "xinhua_township", "xinhua", "city", "henan"])
    def test_village_practitioner_is_found_from_every_level_above_it(self, regions, village_lawyer, level):
        assert _names(directory_practitioners(region=regions[level])) == ["王德洲"]

    @pytest.mark.parametrize("level", ["weidong", "weidong_township", "weidong_village"])
    def test_not_found_from_the_other_county(self, regions, village_lawyer, level):
        assert _names(directory_practitioners(region=regions[level])) == []

    def test_institutions_and_points_follow_the_same_rule(self, regions, village_lawyer):
        ServicePointFactory(name="曙光社区公共法律服务室", kind=ServicePointKind.ROOM, region=regions["xinhua_village"])
        assert _names(directory_institutions(region=regions["xinhua"])) == ["新华区曙光法律服务所"]
        assert _names(directory_institutions(region=regions["weidong"])) == []
        assert _names(directory_service_points(region=regions["city"])) == ["曙光社区公共法律服务室"]
        assert _names(directory_service_points(region=regions["weidong"])) == []

    def test_a_code_that_is_a_prefix_of_another_is_not_its_parent(self, regions):
        # 410402 must not match 4104021… codes of a different county; paths end with "/" for this.
        other = Region.objects.create(code="4104021", name="假区", level="county", parent=regions["city"],
                                      path=f"{regions['city'].path}4104021/", depth=2)
        InstitutionFactory(name="别处律所", region=other)
        assert _names(directory_institutions(region=regions["xinhua"])) == []


class TestFreeText:
    @pytest.mark.parametrize("q", ["wdz", "WDZ", "wangdezhou", "wang de zhou", "dez", "王德", "德洲"])
    def test_pinyin_initials_full_pinyin_and_chinese_substring(self, village_lawyer, q):
        PractitionerFactory(name="李秀英", institution=village_lawyer.institution)
        assert _names(directory_practitioners(q=q)) == ["王德洲"]

    def test_institution_name_and_address(self, regions):
        InstitutionFactory(name="鹰城律师事务所", address="平顶山市新华区建设路100号", region=regions["xinhua"])
        InstitutionFactory(name="卫东公证处", kind=InstitutionKind.NOTARY_OFFICE, address="平顶山市卫东区东安路8号",
                           region=regions["weidong"])
        assert _names(directory_institutions(q="建设路")) == ["鹰城律师事务所"]
        assert _names(directory_institutions(q="ycls")) == ["鹰城律师事务所"]
        assert _names(directory_institutions(q="公证")) == ["卫东公证处"]

    def test_practitioner_found_by_institution_name(self, village_lawyer):
        assert _names(directory_practitioners(q="曙光法律")) == ["王德洲"]


class TestFilters:
    def test_kind_service_and_specialty(self, regions):
        aid = ServiceTypeFactory(code="legal-aid", name="法律援助")
        notary = ServiceTypeFactory(code="notarisation", name="公证")
        labour = SpecialtyFactory(code="labour", name="劳动争议")
        family = SpecialtyFactory(code="family", name="婚姻家庭")
        centre = InstitutionFactory(name="法律援助中心", kind=InstitutionKind.LEGAL_AID_CENTRE, region=regions["city"])
        centre.services.set([aid])
        office = InstitutionFactory(name="公证处", kind=InstitutionKind.NOTARY_OFFICE, region=regions["city"])
        office.services.set([notary])
        PractitionerFactory(name="劳动律师", institution=centre).specialties.set([labour])
        PractitionerFactory(name="婚姻律师", institution=centre).specialties.set([family])
        PractitionerFactory(name="调解员甲", kind=PractitionerKind.MEDIATOR, licence_no="", institution=office)
        point = ServicePointFactory(name="援助工作站", kind=ServicePointKind.AID_WORKSTATION, region=regions["xinhua"])
        point.services.set([aid])
        ServicePointFactory(name="中兴路街道工作站", kind=ServicePointKind.STATION, region=regions["xinhua_township"])

        assert _names(directory_institutions(kind=InstitutionKind.NOTARY_OFFICE)) == ["公证处"]
        assert _names(directory_institutions(service="legal-aid")) == ["法律援助中心"]
        assert _names(directory_practitioners(specialty="labour")) == ["劳动律师"]
        assert _names(directory_practitioners(kind=PractitionerKind.MEDIATOR)) == ["调解员甲"]
        assert _names(directory_practitioners(institution_id=office.pk)) == ["调解员甲"]
        assert _names(directory_service_points(service="legal-aid")) == ["援助工作站"]
        assert _names(directory_service_points(kind=ServicePointKind.STATION)) == ["中兴路街道工作站"]

    def test_unpublished_records_are_left_out(self, regions):
        InstitutionFactory(name="未公开律所", region=regions["city"], is_public=False)
        PractitionerFactory(name="未公开律师", is_public=False)
        ServicePointFactory(name="未公开站点", region=regions["city"], is_public=False)
        assert _names(directory_institutions(q="未公开")) == []
        assert _names(directory_practitioners(q="未公开")) == []
        assert _names(directory_service_points(q="未公开")) == []

    def test_staff_selector_still_sees_unpublished_records_in_scope(self, regions):
        InstitutionFactory(name="未公开律所", region=regions["xinhua"], is_public=False)
        InstitutionFactory(name="卫东律所", region=regions["weidong"])
        user = staff_in(regions["xinhua"])
        names = _names(institution_list_visible_to(user=user))
        assert "未公开律所" in names
        assert "卫东律所" not in names


class TestRegionHelpers:
    def test_display_names_for_a_page_cost_one_query(self, regions):
        picked = [regions["xinhua_village"], regions["weidong_township"], regions["city"]]
        with CaptureQueriesContext(connection) as ctx:
            attach_region_display_names(regions=picked)
        assert len(ctx.captured_queries) == 1
        assert [r.display_name for r in picked] == ["平顶山市新华区中兴路街道曙光社区", "平顶山市卫东区东安路街道", "平顶山市"]

    def test_picker_skips_single_choice_levels_and_fills_the_chain(self, regions):
        levels = directory_region_picker(selected=regions["xinhua_township"])
        assert [lv.depth for lv in levels] == [2, 3, 4]
        county, township, village = levels
        assert county.parent == regions["city"]
        assert [r.code for r in county.options] == ["410402", "410403"]
        assert county.selected == "410402"
        assert [r.code for r in township.options] == ["410402001"]
        assert township.selected == "410402001"
        assert [r.code for r in village.options] == ["410402001001"]
        assert village.selected == ""

    def test_picker_without_selection_offers_only_the_first_level(self, regions):
        county, township, village = directory_region_picker(selected=None)
        assert len(county.options) == 2
        assert township.options == [] and village.options == []


class TestFilterForms:
    def test_region_chain_takes_the_deepest_consistent_value(self, regions):
        form = PractitionerFilterForm(_querydict("region=410402&region=410402001&region="))
        assert form.is_valid(), form.errors
        assert form.selected_region == regions["xinhua_township"]

    def test_stale_lower_level_is_ignored(self, regions):
        # The county changed to 卫东区 while the township select still holds a 新华区 township.
        form = PractitionerFilterForm(_querydict("region=410403&region=410402001&region=410402001001"))
        assert form.is_valid(), form.errors
        assert form.selected_region == regions["weidong"]

    def test_all_at_a_higher_level_drops_the_lower_values(self, regions):
        form = PractitionerFilterForm(_querydict("region=&region=410402001&region="))
        assert form.is_valid(), form.errors
        assert form.selected_region is None

    @pytest.mark.parametrize("value", ["999999", "abc", "41040'--"])
    def test_unknown_region_is_an_error_on_region(self, regions, value):
        form = InstitutionFilterForm(_querydict(f"region={value}"))
        assert not form.is_valid()
        assert list(form.errors) == ["region"]

    def test_unknown_kind_service_and_specialty(self, regions):
        assert list(InstitutionFilterForm(_querydict("kind=spaceship")).errors) == ["kind"]
        assert list(InstitutionFilterForm(_querydict("service=nothing")).errors) == ["service"]
        assert list(PractitionerFilterForm(_querydict("specialty=nothing")).errors) == ["specialty"]
        assert list(PractitionerFilterForm(_querydict("kind=law_firm")).errors) == ["kind"]

    def test_overlong_text_is_refused(self, regions):
        assert list(InstitutionFilterForm(_querydict("q=" + "王" * 101)).errors) == ["q"]

    def test_region_children_form(self, regions):
        form = RegionChildrenForm({"parent": "410402"})
        assert form.is_valid() and form.cleaned_data["parent"] == regions["xinhua"]
        assert RegionChildrenForm({}).is_valid()
        assert list(RegionChildrenForm({"parent": "123"}).errors) == ["parent"]


def _querydict(query: str) -> QueryDict:
    return QueryDict(query)
