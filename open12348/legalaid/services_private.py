"""Showing an application's personal data in full: allowed to AID_PRIVATE holders, audited every time."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from open12348.accounts.permissions import user_can
from open12348.accounts.roles import Capability
from open12348.audit.services import audit_record

from .models import Application

PRIVATE_VIEW_ACTION = "legalaid.application.view_private"
PRIVATE_FIELDS = ("applicant.id_number", "applicant.phone", "applicant.health", "applicant.health_details",
                  "agent.id_number", "agent.phone", "household", "facts")


def application_private_view(*, actor, application: Application) -> dict[str, Any]:
    """The full ID numbers, phones, household, health details and facts of an application.

    A refusal is audited too and raises PermissionDenied. The audit row names the record and the
    fields shown, never the values.
    """
    if not user_can(actor, Capability.AID_PRIVATE):
        audit_record(actor=actor, action="auth.permission_denied", obj=application, result="denied",
                     extra={"capability": Capability.AID_PRIVATE.value, "attempted": PRIVATE_VIEW_ACTION})
        raise PermissionDenied
    audit_record(actor=actor, action=PRIVATE_VIEW_ACTION, obj=application, extra={"fields": list(PRIVATE_FIELDS)})
    applicant, agent = application.applicant, application.agent
    household = application.household or {}
    return {
        "id_number": applicant.id_number,
        "phone": applicant.phone,
        "health": applicant.get_health_display(),
        "health_details": applicant.health_details,
        "agent_id_number": agent.id_number if agent else "",
        "agent_phone": agent.phone if agent else "",
        "household": {
            "members": household.get("members"),
            "monthly_income": household.get("monthly_income"),
            "income_sources": household.get("income_sources", ""),
            "assets": household.get("assets", ""),
        } if household else None,
        "integrity_commitment": application.integrity_commitment,
        "facts": application.facts,
    }
