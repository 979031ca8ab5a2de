"""Vocabularies of the front desk. Class names are distinct (TicketKind, TicketStatus …) so that the
API schema's enums do not collide with other apps'."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TicketKind(models.TextChoices):
    CONSULTATION = "consultation", _("Consultation answered on the spot")
    LEGAL_AID = "legal_aid", _("Legal aid application")
    MEDIATION = "mediation", _("People's mediation")
    NOTARY = "notary", _("Referral to a notary office")
    APPRAISAL = "appraisal", _("Referral to judicial appraisal")
    ARBITRATION = "arbitration", _("Referral to arbitration")
    LAWYER = "lawyer", _("Referral to a lawyer")
    OTHER_DEPARTMENT = "other_department", _("Referral to another department")


REFERRAL_KINDS = frozenset({TicketKind.NOTARY, TicketKind.APPRAISAL, TicketKind.ARBITRATION, TicketKind.LAWYER,
                            TicketKind.OTHER_DEPARTMENT})


class TicketStatus(models.TextChoices):
    OPEN = "open", _("With the back office")
    IN_PROGRESS = "in_progress", _("Being handled")
    RESOLVED = "resolved", _("Result returned")


class ConsultationChannel(models.TextChoices):
    """The channels of the consultation register (SF/T 0024)."""

    VISIT = "visit", _("Visit")
    PHONE = "phone", _("Phone")
    LETTER = "letter", _("Letter")
    WEB = "web", _("Online")


class QueueStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    CALLED = "called", _("Called")
    SERVED = "served", _("Served")
    LEFT = "left", _("Left without being served")
