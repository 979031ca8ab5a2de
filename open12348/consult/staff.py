"""Which staff act on a region's consultation work: those whose organisation's region contains it."""

from __future__ import annotations

from collections import defaultdict

from open12348.accounts.models import Membership
from open12348.accounts.roles import ROLE_CAPABILITIES, Capability

ANSWER_ROLES = tuple(role for role, caps in ROLE_CAPABILITIES.items() if Capability.CONSULT_ANSWER in caps)
FOLLOW_UP_ROLES = tuple(role for role, caps in ROLE_CAPABILITIES.items() if Capability.FEEDBACK_FOLLOW_UP in caps)


def staff_by_region(region_paths: set[str], roles: tuple[str, ...]) -> dict[str, list]:
    """For each region path, the active staff with one of `roles` whose organisation's region contains it.

    One query for the memberships of every ancestor of every region asked about.
    """
    ancestors: set[str] = set()
    for path in region_paths:
        prefix = ""
        for code in [c for c in path.split("/") if c]:
            prefix += f"{code}/"
            ancestors.add(prefix)
    by_ancestor: dict[str, list] = defaultdict(list)
    memberships = (Membership.objects.filter(role__in=roles, is_active=True, user__is_active=True,
                                             institution__region__path__in=ancestors)
                   .select_related("user", "institution__region").order_by("user_id"))
    for membership in memberships:
        by_ancestor[membership.institution.region.path].append(membership.user)
    found: dict[str, list] = {}
    for path in region_paths:
        users, seen = [], set()
        for ancestor in sorted((a for a in by_ancestor if path.startswith(a)), key=len):
            for user in by_ancestor[ancestor]:
                if user.pk not in seen:
                    seen.add(user.pk)
                    users.append(user)
        found[path] = users
    return found
