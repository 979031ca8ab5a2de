"""Vocabularies of people's mediation. Class names are distinct (DisputeType, DisputeStatus …) so
that the API schema's enums do not collide with other apps' `status` or `kind`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DisputeType(models.TextChoices):
    NEIGHBOURS = "neighbours", _("Neighbours")
    FAMILY = "family", _("Family")
    MARRIAGE = "marriage", _("Marriage")
    LABOUR = "labour", _("Labour")
    CONTRACTS = "contracts", _("Contracts")
    LAND = "land", _("Land")
    TRAFFIC = "traffic", _("Traffic accident")
    MEDICAL = "medical", _("Medical")
    PROPERTY = "property", _("Property")
    OTHER = "other", _("Other")


class DisputeSource(models.TextChoices):
    WALK_IN = "walk_in", _("Parties came in")
    FRONT_DESK = "front_desk", _("Front desk ticket")
    COURT = "court", _("Referred by a court")
    POLICE = "police", _("Referred by the police")
    OWN_INITIATIVE = "own_initiative", _("The committee's own initiative")


class PartySide(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    RESPONDENT = "respondent", _("Respondent")


class PartyConsent(models.TextChoices):
    PENDING = "pending", _("Not asked yet")
    GIVEN = "given", _("Agrees to mediation")
    REFUSED = "refused", _("Refuses mediation")


class DisputeStatus(models.TextChoices):
    AWAITING_CONSENT = "awaiting_consent", _("Waiting for the parties' consent")
    MEDIATING = "mediating", _("Being mediated")
    AGREED = "agreed", _("Agreement reached")
    FAILED = "failed", _("Mediation failed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REFUSED = "refused", _("Ended: a party refused mediation")


class FailureReferral(models.TextChoices):
    NONE = "", _("Not referred")
    LEGAL_AID = "legal_aid", _("Referred to legal aid")
    ARBITRATION = "arbitration", _("Referred to arbitration")
    LITIGATION = "litigation", _("Referred to litigation")


class ConfirmationResult(models.TextChoices):
    PENDING = "", _("Not decided yet")
    CONFIRMED = "confirmed", _("Confirmed by the court")
    REJECTED = "rejected", _("Not confirmed by the court")


class PerformanceStatus(models.TextChoices):
    UNKNOWN = "", _("Not followed up yet")
    PERFORMED = "performed", _("Performed")
    PARTLY = "partly", _("Partly performed")
    NOT_PERFORMED = "not_performed", _("Not performed")
