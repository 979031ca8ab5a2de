"""Reads of the notification centre. A user only ever reads their own notifications."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q, QuerySet

from .models import Notification, OutboundMessage


def notification_list_for(*, user, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's notifications, newest first (index `notification_inbox`)."""
    queryset = Notification.objects.filter(recipient=user).order_by("-created_at", "-id")
    if unread_only:
        queryset = queryset.filter(read_at__isnull=True)
    return queryset


def notification_unread_count(*, user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def message_ids_stalled(*, now: datetime, max_attempts: int, wait: timedelta, limit: int = 500) -> list[int]:
    """Messages that should have been sent by now but were not, and may still be tried.

    Queued ones older than `wait` lost their task (the broker was down at commit time, say);
    failed ones whose last attempt is older than `wait` ran out of their task's retries early.
    """
    cutoff = now - wait
    return list(
        OutboundMessage.objects.exclude(status=OutboundMessage.Status.SENT)
        .filter(attempts__lt=max_attempts, created_at__lt=cutoff)
        .filter(Q(last_attempt_at__isnull=True) | Q(last_attempt_at__lt=cutoff))
        .order_by("created_at").values_list("id", flat=True)[:limit]
    )
