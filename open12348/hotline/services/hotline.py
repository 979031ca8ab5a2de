"""The hotline's service standards, set by whoever runs it (HOTLINE_MANAGE)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from open12348.accounts.roles import Capability
from open12348.audit.services import audit_record, changes_from
from open12348.core.services import model_update

from ..models import Hotline
from .common import require_hotline

STANDARD_FIELDS = ("callback_working_days", "callback_max_attempts", "dissatisfied_working_days",
                   "follow_up_working_days", "expert_answer_days", "answer_within_seconds", "answer_rate_target",
                   "satisfaction_target", "sample_rate", "rating_by_sms", "recording_keep_days")


@transaction.atomic
def hotline_standards_update(*, actor, hotline: Hotline, data: dict[str, Any]) -> Hotline:
    """Change the configurable standards; the model's validators bound each value (full_clean)."""
    require_hotline(actor, Capability.HOTLINE_MANAGE, hotline.pk)
    hotline = Hotline.objects.select_for_update().get(pk=hotline.pk)
    hotline, updated, diff = model_update(instance=hotline, fields=list(STANDARD_FIELDS), data=data)
    if updated:
        audit_record(actor=actor, action="hotline.standards.update", obj=hotline, changes=changes_from(diff))
    return hotline
