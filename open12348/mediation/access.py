"""Loading one dispute case for whoever asks: missing and not in your area are the same 404."""

from __future__ import annotations

from django.http import Http404

from open12348.accounts.scope import restrict_to_regions

from .models import DisputeCase


def access_dispute(*, user, id: int) -> DisputeCase:
    case = (restrict_to_regions(DisputeCase.objects.all(), user=user)
            .select_related("region", "committee", "registered_by", "legal_aid_application")
            .filter(pk=id).first())
    if case is None:
        raise Http404
    return case
