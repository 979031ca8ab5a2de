"""Loading one ticket for whoever asks: missing and not in your area are the same 404."""

from __future__ import annotations

from django.http import Http404

from open12348.accounts.scope import restrict_to_regions

from .models import Ticket


def access_ticket(*, user, id: int) -> Ticket:
    ticket = (restrict_to_regions(Ticket.objects.all(), user=user)
              .select_related("visit__person", "visit__desk", "owner", "application", "dispute", "region")
              .filter(pk=id).first())
    if ticket is None:
        raise Http404
    return ticket
