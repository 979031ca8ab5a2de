"""The demo quality work is made through the services on the demo city's cases."""

import pytest

from open12348.legalaid.demo import legalaid_demo_seed
from open12348.legalaid.models import CentreProfile
from open12348.legalaid.tests.factories import centre_setup
from open12348.legalaid.tests.test_demo import demo_staff
from open12348.network.tests.factories import MembershipFactory, UserFactory
from open12348.quality.demo import quality_demo_seed
from open12348.quality.models import CaseGrade, ExemplaryCase, ObservationPlan, OpinionLetter, Sample, Ticket

pytestmark = pytest.mark.django_db


def test_the_demo_grades_three_cases_and_publishes_an_exemplary_one():
    setup = centre_setup()
    CentreProfile.objects.all().delete()
    demo_staff(setup)
    for username, role in (("evaluator", "evaluator"), ("admin", "bureau_admin")):
        MembershipFactory(user=UserFactory(username=username), institution=setup["centre"], role=role)
    legalaid_demo_seed(seed=12348)

    assert quality_demo_seed(seed=12348) == {"graded": 3, "exemplary": 1}
    assert sorted(CaseGrade.objects.values_list("grade", flat=True)) == sorted(["优秀", "良好", "不合格"])
    assert Ticket.objects.filter(status="open", reason="unqualified_grade").count() == 1
    exemplary = ExemplaryCase.objects.get()
    assert exemplary.published_at is not None
    assert exemplary.case.application.applicant.name not in exemplary.summary
    assert ObservationPlan.objects.count() == 1
    assert OpinionLetter.objects.filter(reply__isnull=True).count() == 1
    assert Sample.objects.count() == 1
    assert quality_demo_seed(seed=12348) == {"graded": 0}  # once only
