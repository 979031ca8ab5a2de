"""How long call recordings are kept: no national rule says (RULES.md §8), so each hotline sets it."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from open12348.audit.services import audit_record

from ..models import CallEvent, Hotline, WorkOrder


def recordings_expire(*, now: dt.datetime) -> int:
    """Drop the recording address of calls older than their hotline's retention; returns how many.
    The telephony system deletes the audio on its side; the platform stops pointing at it."""
    expired = 0
    for hotline in Hotline.objects.all():
        cutoff = now - dt.timedelta(days=hotline.recording_keep_days)
        with transaction.atomic():
            orders = WorkOrder.objects.filter(hotline=hotline, rang_at__lt=cutoff).exclude(recording_url="")
            ids = list(orders.values_list("id", flat=True))
            if not ids:
                continue
            WorkOrder.objects.filter(pk__in=ids).update(recording_url="")
            CallEvent.objects.filter(work_order_id__in=ids).exclude(recording_url="").update(recording_url="")
            audit_record(actor=None, action="hotline.recordings.expire", obj=hotline,
                         extra={"before": cutoff, "work_orders": len(ids), "keep_days": hotline.recording_keep_days})
            expired += len(ids)
    return expired
