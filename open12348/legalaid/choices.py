"""Vocabularies the legal aid records are stored in.

Codes the eligibility rules also speak (channel, case category, form of aid, stage) live in
`eligibility/codes.py` and are re-exported here, so there is one list of each.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .eligibility.codes import AidForm, CaseCategory, Channel, Stage  # noqa: F401  (re-exported)


class NotifyingOrgan(models.TextChoices):
    COURT = "court", _("People's court")
    PROCURATORATE = "procuratorate", _("People's procuratorate")
    PUBLIC_SECURITY = "public_security", _("Public security organ")
    STATE_SECURITY = "state_security", _("State security organ")


class ApplicationStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    UNDER_REVIEW = "under_review", _("Under review")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Waiting for materials")
    APPROVED = "approved", _("Legal aid granted")
    REJECTED = "rejected", _("Legal aid refused")
    WITHDRAWN_DEEMED = "withdrawn_deemed", _("Deemed withdrawn")
    WITHDRAWN = "withdrawn", _("Withdrawn by the applicant")
    ADVANCE_AID = "advance_aid", _("Advance aid given")
    NOTIFIED = "notified", _("Notified: lawyer to be assigned")
    OBJECTION = "objection", _("Objection under decision")


class Decision(models.TextChoices):
    GRANT = "grant", _("Grant legal aid")
    REFUSE = "refuse", _("Refuse legal aid")


class Education(models.TextChoices):
    NONE = "none", _("No schooling")
    PRIMARY = "primary", _("Primary school")
    JUNIOR = "junior", _("Junior secondary")
    SENIOR = "senior", _("Senior secondary / vocational")
    COLLEGE = "college", _("College")
    UNIVERSITY = "university", _("University or above")


class Health(models.TextChoices):
    HEALTHY = "healthy", _("Healthy")
    DISABLED = "disabled", _("Disabled")
    SERIOUS_ILLNESS = "serious_illness", _("Serious illness")


class MaterialKind(models.TextChoices):
    ID_COPY = "id_copy", _("Copy of identity document")
    STATUS_PROOF = "status_proof", _("Proof of special status (disability card, subsistence allowance, …)")
    ECONOMIC_STATEMENT = "economic_statement", _("Statement of economic situation / integrity commitment")
    EVIDENCE = "evidence", _("Evidence of the matter")
    AGENT_PROOF = "agent_proof", _("Proof of the agent's relationship")
    NOTIFICATION = "notification", _("Notification letter from the organ handling the case")
    OTHER = "other", _("Other material")


class SupplementStatus(models.TextChoices):
    OPEN = "open", _("Waiting")
    FULFILLED = "fulfilled", _("Materials received")
    EXPIRED = "expired", _("Time ran out")


class ObjectionStatus(models.TextChoices):
    PENDING = "pending", _("Under decision")
    UPHELD = "upheld", _("Original decision upheld")
    CORRECTED = "corrected", _("Correction ordered")


class RuleLevel(models.TextChoices):
    NATIONAL = "national", _("National law")
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
