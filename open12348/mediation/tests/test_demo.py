import pytest

from open12348.mediation.choices import DisputeStatus
from open12348.mediation.demo import mediation_demo_seed
from open12348.mediation.models import Agreement, DisputeCase
from open12348.network.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _demo_accounts(world):
    MembershipFactory(user=UserFactory(username="mediator"), institution=world["committee"], role="mediator")


def test_demo_seed_is_realistic_and_deterministic(world):
    _demo_accounts(world)
    counts = mediation_demo_seed(seed=7, total=60)
    assert counts["disputes"] == 60 == DisputeCase.objects.count()
    first = list(DisputeCase.objects.order_by("id").values_list("dispute_type", "status", "received_on"))
    assert DisputeCase.objects.filter(committee=world["committee"]).count() > 30
    assert DisputeCase.objects.filter(status=DisputeStatus.AGREED).count() > 30
    assert Agreement.objects.filter(effective_on__isnull=False, confirmation_due__isnull=False).exists()
    assert all(case.parties.filter(side="applicant").exists() and case.parties.filter(side="respondent").exists()
               for case in DisputeCase.objects.all())
    assert mediation_demo_seed(seed=7, total=60) == {"disputes": 0}  # once only
    DisputeCase.objects.all().delete()
    from open12348.legalaid.models import NumberSequence
    NumberSequence.objects.filter(kind="mediation").delete()
    mediation_demo_seed(seed=7, total=60)
    assert list(DisputeCase.objects.order_by("id").values_list("dispute_type", "status", "received_on")) == first
