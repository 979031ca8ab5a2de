"""Loading a case for quality work: one 404 for "missing" and "not yours"."""

from __future__ import annotations

from django.http import Http404

from open12348.accounts.permissions import user_can
from open12348.legalaid.models import Case

from .models import SampleCase
from .services import EVALUATOR, in_scope


def is_peer_reviewer(*, user, case: Case) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and SampleCase.objects.filter(
        case=case, reviewer=user, sample__peer_review=True).exists()


def access_quality_case(*, user, id: int) -> Case:  # noqa: A002
    """A case an evaluator may check: in their region, or assigned to them for peer review."""
    case = Case.objects.select_related("region", "centre", "lawyer", "application").filter(pk=id).first()
    if case is None or not user_can(user, EVALUATOR):
        raise Http404
    if not in_scope(user, case.region) and not is_peer_reviewer(user=user, case=case):
        raise Http404
    return case
