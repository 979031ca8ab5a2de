"""Loading one notification for a user: someone else's is the same 404 as a missing one."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from .models import Notification


def access_notification(*, user, id: int) -> Notification:
    return get_object_or_404(Notification, pk=id, recipient=user)
