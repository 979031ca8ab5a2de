import pytest

from open12348.legalaid.choices import ApplicationStatus as S
from open12348.legalaid.demo import legalaid_demo_seed
from open12348.legalaid.models import Application, Case, CentreProfile
from open12348.network.tests.factories import (
    InstitutionFactory,
    MembershipFactory,
    PractitionerFactory,
    UserFactory,
)

from .factories import centre_setup

pytestmark = pytest.mark.django_db


def demo_staff(setup) -> None:
    for username, role, institution in (("window", "window_staff", setup["centre"]),
                                        ("reviewer", "reviewer", setup["centre"]),
                                        ("director", "director", setup["centre"])):
        MembershipFactory(user=UserFactory(username=username), institution=institution, role=role)
    bureau = setup["bureau_admin"].memberships.get().institution
    MembershipFactory(user=UserFactory(username="county_admin"), institution=bureau, role="bureau_admin")
    firm = InstitutionFactory(kind="law_firm", name="河南鹰城律师事务所", region=setup["regions"]["weidong"])
    PractitionerFactory(name="王德洲", kind="lawyer", institution=firm)
    MembershipFactory(user=UserFactory(username="lawyer"), institution=firm, role="lawyer")


def test_the_demo_work_fills_every_queue_through_the_services():
    setup = centre_setup()
    CentreProfile.objects.all().delete()
    demo_staff(setup)
    result = legalaid_demo_seed(seed=12348)
    assert result["applications"] == Application.objects.count() == 38
    statuses = set(Application.objects.values_list("status", flat=True))
    assert {S.RECEIVED, S.UNDER_REVIEW, S.SUPPLEMENT_REQUESTED, S.APPROVED, S.NOTIFIED, S.OBJECTION,
            S.ADVANCE_AID} <= statuses
    assert Application.objects.filter(priority=True).exists()
    # Every centre got a number prefix; the numbers run without gaps.
    assert CentreProfile.objects.get(centre=setup["centre"]).number_prefix == "卫法援"
    numbers = sorted(Application.objects.values_list("number", flat=True))
    assert numbers[0].endswith("第00001号") and numbers[-1].endswith("第00038号")
    # The demo lawyer's account is linked to the directory's 王德洲 and has cases to work on.
    cases = Case.objects.filter(lawyer__name="王德洲", lawyer_user__username="lawyer")
    assert result["cases"] == cases.count() > 0
    assert cases.filter(status="in_progress").exists()
    # Each decision issued its document.
    decided = Application.objects.filter(status__in=[S.APPROVED, S.REJECTED, S.OBJECTION])
    assert all(a.documents.filter(kind__startswith="decision").exists() for a in decided)


def test_the_demo_work_is_skipped_without_the_demo_accounts():
    centre_setup()
    assert legalaid_demo_seed(seed=1) == {"applications": 0}
    assert not Application.objects.exists()
