"""三员分立: no account holds two of the system, security and audit administrator roles."""

from __future__ import annotations

from itertools import permutations

import pytest

from open12348.accounts.models import Membership
from open12348.accounts.roles import ROLE_CAPABILITIES, SEPARATED_ADMIN_ROLES, Role
from open12348.accounts.services import membership_grant, membership_revoke
from open12348.audit.models import AuditEvent
from open12348.core.errors import ApplicationError
from open12348.network.choices import InstitutionKind
from open12348.network.tests.factories import InstitutionFactory, UserFactory, pingdingshan

pytestmark = pytest.mark.django_db


@pytest.fixture
def bureau():
    return InstitutionFactory(kind=InstitutionKind.JUDICIAL_BUREAU, region=pingdingshan()["city"], name="平顶山市司法局")


def _state(user) -> list[tuple]:
    return list(Membership.objects.filter(user=user).order_by("id").values_list("institution", "role", "is_active"))


@pytest.mark.parametrize(("first", "second"), list(permutations(sorted(SEPARATED_ADMIN_ROLES), 2)))
def test_second_admin_role_is_refused_and_changes_nothing(bureau, first, second):
    user = UserFactory()
    membership_grant(actor=None, user=user, institution=bureau, role=first)
    before, grants_before = _state(user), AuditEvent.objects.filter(action="accounts.membership.grant").count()

    with pytest.raises(ApplicationError) as exc:
        membership_grant(actor=None, user=user, institution=bureau, role=second)

    assert (exc.value.code, exc.value.field) == ("admin_roles_separated", "role")
    assert _state(user) == before
    assert AuditEvent.objects.filter(action="accounts.membership.grant").count() == grants_before
    assert user.capabilities() == set(ROLE_CAPABILITIES[first])


def test_refused_at_another_organisation_too(bureau):
    user = UserFactory()
    other = InstitutionFactory(kind=InstitutionKind.JUDICIAL_BUREAU, region=bureau.region, name="另一司法局")
    membership_grant(actor=None, user=user, institution=bureau, role=Role.SYSTEM_ADMIN)

    with pytest.raises(ApplicationError):
        membership_grant(actor=None, user=user, institution=other, role=Role.AUDIT_ADMIN)
    assert _state(user) == [(bureau.pk, Role.SYSTEM_ADMIN, True)]


def test_granting_the_same_role_twice_is_harmless(bureau):
    user = UserFactory()

    first = membership_grant(actor=None, user=user, institution=bureau, role=Role.AUDIT_ADMIN)
    again = membership_grant(actor=None, user=user, institution=bureau, role=Role.AUDIT_ADMIN)

    assert first.pk == again.pk
    assert _state(user) == [(bureau.pk, Role.AUDIT_ADMIN, True)]
    assert AuditEvent.objects.filter(action="accounts.membership.grant").count() == 1


def test_an_admin_role_may_be_combined_with_an_ordinary_role(bureau):
    user = UserFactory()
    membership_grant(actor=None, user=user, institution=bureau, role=Role.SYSTEM_ADMIN)

    membership_grant(actor=None, user=user, institution=bureau, role=Role.LEADER)

    assert {r for _, r, _ in _state(user)} == {Role.SYSTEM_ADMIN, Role.LEADER}


def test_after_revoking_one_admin_role_another_may_be_granted(bureau):
    user = UserFactory()
    membership = membership_grant(actor=None, user=user, institution=bureau, role=Role.SYSTEM_ADMIN)
    membership_revoke(actor=None, membership=membership)

    membership_grant(actor=None, user=user, institution=bureau, role=Role.AUDIT_ADMIN)

    assert user.roles() == {Role.AUDIT_ADMIN}
