import copy
import datetime as dt

import pytest
from django.utils import timezone

from open12348.audit.models import AuditEvent
from open12348.core.errors import ApplicationError
from open12348.legalaid import services
from open12348.legalaid.eligibility.defaults import DEFAULT_LAYERS
from open12348.legalaid.models import IncomeThreshold, RuleLayer
from open12348.legalaid.rules_store import rulebook
from open12348.legalaid.services_rules import income_threshold_add, rule_layer_publish
from open12348.network.tests.factories import staff_in

from .factories import MAN, centre_setup

pytestmark = pytest.mark.django_db


def wage_claim_of_an_ordinary_worker(income: str) -> dict:
    return {
        "applicant": {"name": "赵工", "id_number": MAN},
        "details": {"matter": "CV-05", "matter_subtype": "wages", "category": "civil",
                    "aid_form": "labour_arbitration"},
        "household": {"members": 1, "monthly_income": income},
    }


def register(setup, income: str, day: dt.date):
    return services.application_create(
        actor=setup["window_staff"], centre=setup["centre"], channel="window",
        received_at=timezone.make_aware(dt.datetime.combine(day, dt.time(10))),
        **wage_claim_of_an_ordinary_worker(income),
    )


def test_the_default_rules_are_stored_as_data_by_the_migration():
    assert set(RuleLayer.objects.filter(is_current=True).values_list("code", flat=True)) == {
        layer["code"] for layer in DEFAULT_LAYERS
    }
    assert IncomeThreshold.objects.filter(region_code="4104").exists()


def test_a_new_standard_changes_new_decisions_and_leaves_earlier_ones_alone():
    setup = centre_setup()
    admin = staff_in(setup["regions"]["city"], role="bureau_admin", username="city_admin")
    before = register(setup, "1200", dt.date(2026, 11, 2))
    assert before.eligibility["economic_review"] == "failed"

    income_threshold_add(actor=admin, region_code="4104", monthly_amount="1300", effective_from=dt.date(2026, 11, 3),
                         source={"document": "平顶山市人民政府关于调整法律援助经济困难标准的通知（测试）"})
    after = register(setup, "1200", dt.date(2026, 11, 4))
    assert after.eligibility["economic_review"] == "passed"
    assert after.ruleset_version != before.ruleset_version

    before.refresh_from_db()
    assert before.eligibility["economic_review"] == "failed"
    # The earlier standard now ends the day before the new one starts.
    assert IncomeThreshold.objects.get(region_code="4104", effective_to=dt.date(2026, 11, 2))
    # An application dated before the change is still judged by the old standard.
    assert register(setup, "1200", dt.date(2026, 11, 2)).eligibility["economic_review"] == "failed"


def test_publishing_a_layer_makes_a_new_version_and_keeps_the_old():
    setup = centre_setup()
    admin = staff_in(setup["regions"]["city"], role="bureau_admin", username="city_admin")
    city = copy.deepcopy(next(layer for layer in DEFAULT_LAYERS if layer["code"] == "PDS-GC"))
    city["title"] = city["title"] + "（修订）"
    row = rule_layer_publish(actor=admin, data=city)
    assert (row.version, row.is_current) == (2, True)
    assert RuleLayer.objects.filter(code="PDS-GC").count() == 2
    assert not RuleLayer.objects.get(code="PDS-GC", version=1).is_current
    assert AuditEvent.objects.filter(action="legalaid.rules.publish", object_id=str(row.pk)).exists()
    assert any("PDS-GC" in layer.code and layer.version == 2 for layer in rulebook().layers)


def test_invalid_rules_are_refused_with_where_and_nothing_changes():
    setup = centre_setup()
    admin = staff_in(setup["regions"]["city"], role="bureau_admin", username="city_admin")
    broken = copy.deepcopy(next(layer for layer in DEFAULT_LAYERS if layer["code"] == "PDS-GC"))
    broken["rules"][0]["when"]["matters"] = ["NOT-A-MATTER"]
    with pytest.raises(ApplicationError) as exc:
        rule_layer_publish(actor=admin, data=broken)
    assert exc.value.field == "data" and "rules[0]" in exc.value.extra["path"]
    assert RuleLayer.objects.filter(code="PDS-GC").count() == 1


def test_only_rule_administrators_may_change_rules():
    setup = centre_setup()
    with pytest.raises(ApplicationError) as exc:
        income_threshold_add(actor=setup["reviewer"], region_code="4104", monthly_amount="5000",
                             effective_from=dt.date(2026, 12, 1), source="x")
    assert exc.value.status == 403
    assert not IncomeThreshold.objects.filter(monthly_amount=5000).exists()
