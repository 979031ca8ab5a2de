import pytest

from open12348.accounts.scope import restrict_to_regions
from open12348.network.models import Institution
from open12348.network.tests.factories import InstitutionFactory, pingdingshan, staff_in

pytestmark = pytest.mark.django_db


def test_a_county_user_sees_their_county_by_region_ids_and_a_root_user_sees_everything():
    regions = pingdingshan()
    xinhua = InstitutionFactory(region=regions["xinhua_village"])
    weidong = InstitutionFactory(region=regions["weidong"])
    county = staff_in(regions["weidong"])
    visible = restrict_to_regions(Institution.objects.all(), user=county)
    assert weidong in visible and xinhua not in visible
    assert county._region_condition_cache[0] == "ids"

    province = staff_in(regions["henan"], username="henan_admin")
    assert set(restrict_to_regions(Institution.objects.all(), user=province)) == set(Institution.objects.all())
    assert province._region_condition_cache == ("all", None)


def test_a_second_root_region_is_not_seen_by_the_first_roots_users():
    from open12348.network.tests.factories import make_region

    regions = pingdingshan()
    hubei = make_region("42", "湖北省", "province")
    outside = InstitutionFactory(region=hubei)
    province = staff_in(regions["henan"], username="henan_admin")
    assert outside not in restrict_to_regions(Institution.objects.all(), user=province)
