import pytest

from open12348.core.services import model_update
from open12348.network.tests.factories import InstitutionFactory, ServiceTypeFactory, pingdingshan


@pytest.mark.django_db
def test_model_update_saves_only_changes_and_reports_them():
    regions = pingdingshan()
    institution = InstitutionFactory(region=regions["xinhua"], phone="0375-1111111")
    legal_aid = ServiceTypeFactory(code="legal-aid", name="法律援助")
    institution, updated, diff = model_update(
        instance=institution,
        fields=["phone", "address", "region", "services"],
        data={"phone": "0375-2222222", "address": institution.address, "region": regions["weidong"],
              "services": [legal_aid]},
    )
    assert updated is True
    assert diff["phone"] == ("0375-1111111", "0375-2222222")
    assert "address" not in diff
    assert diff["services"] == ([], [str(legal_aid.pk)])
    institution.refresh_from_db()
    assert institution.phone == "0375-2222222"
    assert institution.region == regions["weidong"]
    assert list(institution.services.all()) == [legal_aid]


@pytest.mark.django_db
def test_model_update_without_changes_writes_nothing(django_assert_num_queries):
    institution = InstitutionFactory()
    with django_assert_num_queries(0):
        _, updated, diff = model_update(instance=institution, fields=["phone"], data={"phone": institution.phone})
    assert (updated, diff) == (False, {})
