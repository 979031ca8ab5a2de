import pytest

from open12348.accounts.scope import region_paths_for

from .factories import PractitionerFactory, pingdingshan, staff_in


@pytest.mark.django_db
def test_factories_build_a_real_slice_of_pingdingshan():
    regions = pingdingshan()
    assert regions["xinhua_village"].path == "41/4104/410402/410402001/410402001001/"
    user = staff_in(regions["xinhua"], role="reviewer")
    assert region_paths_for(user) == ["41/4104/410402/"]
    lawyer = PractitionerFactory(name="王德洲")
    assert (lawyer.name_pinyin, lawyer.name_initials) == ("wangdezhou", "wdz")
