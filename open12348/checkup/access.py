"""Loading one check-up record for a user: one 404 for "missing" and "not in your area"."""

from __future__ import annotations

from django.http import Http404

from open12348.accounts.permissions import user_can

from . import selectors
from .models import Campaign, NamedWorker, Visit
from .services import RECORD, in_scope


def access_campaign(*, user, id: int) -> Campaign:  # noqa: A002
    if not user_can(user, RECORD):
        raise Http404
    campaign = selectors.campaigns_for(user).filter(pk=id).first()
    if campaign is None:
        raise Http404
    return campaign


def access_visit(*, user, id: int) -> Visit:  # noqa: A002
    visit = (Visit.objects.select_related("campaign", "campaign__organiser", "campaign__region", "enterprise",
                                          "enterprise__region", "region").filter(pk=id).first())
    if visit is None or not user_can(user, RECORD) or not in_scope(user, visit.region):
        raise Http404
    return visit


def access_worker(*, user, visit: Visit, id: int) -> NamedWorker:  # noqa: A002
    worker = NamedWorker.objects.filter(pk=id, visit=visit).first()
    if worker is None:
        raise Http404
    worker.visit = visit
    return worker
