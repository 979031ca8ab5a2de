import copy
import json

import pytest

from open12348.audit.models import AuditEvent
from open12348.legalaid.eligibility.defaults import DEFAULT_LAYERS
from open12348.legalaid.models import IncomeThreshold, RuleLayer
from open12348.network.tests.factories import STRONG_PASSWORD, pingdingshan, staff_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    regions = pingdingshan()
    admin = staff_in(regions["city"], role="bureau_admin", username="rules_admin")
    admin.is_staff = True
    admin.save(update_fields=["is_staff"])
    client.login(username="rules_admin", password=STRONG_PASSWORD)
    return client


def test_adding_a_standard_in_the_admin_goes_through_the_service(admin_client):
    response = admin_client.post("/admin/legalaid/incomethreshold/add/", {
        "region_code": "4104", "monthly_amount": "1250.00", "effective_from": "2027-01-01",
        "source_document": "平顶山市法律援助经济困难标准（2027）",
    })
    assert response.status_code == 302
    row = IncomeThreshold.objects.get(region_code="4104", effective_from="2027-01-01")
    assert row.source == {"document": "平顶山市法律援助经济困难标准（2027）"}
    assert AuditEvent.objects.filter(action="legalaid.rules.threshold", object_id=str(row.pk)).count() == 1


def test_a_bad_layer_shows_where_it_is_wrong_and_publishes_nothing(admin_client):
    layer = RuleLayer.objects.get(code="PDS-GC", is_current=True)
    broken = copy.deepcopy(next(d for d in DEFAULT_LAYERS if d["code"] == "PDS-GC"))
    broken["level"] = "galaxy"
    response = admin_client.post(f"/admin/legalaid/rulelayer/{layer.pk}/change/",
                                 {"document": json.dumps(broken, ensure_ascii=False)})
    assert response.status_code == 200
    assert "level" in response.content.decode()
    assert RuleLayer.objects.filter(code="PDS-GC").count() == 1


def test_saving_a_layer_publishes_a_new_version(admin_client):
    layer = RuleLayer.objects.get(code="PDS-GC", is_current=True)
    document = copy.deepcopy(layer.data)
    document["title"] = "平顶山市法律援助绿色通道（2027年修订）"
    response = admin_client.post(f"/admin/legalaid/rulelayer/{layer.pk}/change/",
                                 {"document": json.dumps(document, ensure_ascii=False)})
    assert response.status_code == 302
    assert list(RuleLayer.objects.filter(code="PDS-GC").order_by("version").values_list("version", "is_current")) == [
        (1, False), (2, True)]


def test_a_reviewer_cannot_reach_the_rules_admin(client):
    from open12348.legalaid.tests.factories import centre_setup

    setup = centre_setup()
    setup["reviewer"].is_staff = True
    setup["reviewer"].save(update_fields=["is_staff"])
    client.login(username=setup["reviewer"].username, password=STRONG_PASSWORD)
    response = client.post("/admin/legalaid/incomethreshold/add/", {
        "region_code": "4104", "monthly_amount": "9999", "effective_from": "2027-01-01", "source_document": "x"})
    assert response.status_code == 403
    assert not IncomeThreshold.objects.filter(monthly_amount=9999).exists()
