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


class ObjectionKind(models.TextChoices):
    REFUSAL = "refusal", _("Objection to a refusal")
    TERMINATION = "termination", _("Objection to a termination")


class CaseStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Lawyer assigned")
    AGREEMENT_SIGNED = "agreement_signed", _("Agreement signed")
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSED = "closed", _("Closing file submitted")
    RETURNED = "returned", _("Closing file returned")
    ARCHIVED = "archived", _("Archived")
    SUBSIDY_PAID = "subsidy_paid", _("Subsidy paid")
    EVALUATED = "evaluated", _("Quality evaluated")
    TERMINATED = "terminated", _("Legal aid terminated")
    TERMINATION_OBJECTION = "termination_objection", _("Objection to termination under decision")


class PartySide(models.TextChoices):
    CLIENT = "client", _("Aided side")
    OPPOSING = "opposing", _("Opposing side")


class ProgressKind(models.TextChoices):
    MEETING = "meeting", _("Met the aided person")
    FILE_READING = "file_reading", _("Read the case file")
    EVIDENCE = "evidence", _("Investigated or collected evidence")
    HEARING = "hearing", _("Hearing")
    OPINION = "opinion", _("Written opinion submitted")
    MEDIATION = "mediation", _("Mediation or negotiation")
    REPORT_TO_CLIENT = "report_to_client", _("Told the aided person of progress")
    OTHER = "other", _("Other work")


class HowEnded(models.TextChoices):
    JUDGMENT = "judgment", _("Judgment")
    RULING = "ruling", _("Ruling")
    MEDIATION = "mediation", _("Mediation agreement")
    SETTLEMENT = "settlement", _("Settlement")
    ARBITRAL_AWARD = "arbitral_award", _("Arbitral award")
    WITHDRAWAL = "withdrawal", _("Withdrawal")
    NON_PROSECUTION = "non_prosecution", _("Decision not to prosecute")
    CASE_DROPPED = "case_dropped", _("Case dropped by the authority")
    DOCUMENT_DELIVERED = "document_delivered", _("Document drafted and delivered")
    OTHER = "other", _("Other ending")


class ArchiveResult(models.TextChoices):
    PASSED = "passed", _("Passed and archived")
    RETURNED = "returned", _("Returned for correction")


class SubsidyStatus(models.TextChoices):
    CALCULATED = "calculated", _("Calculated")
    PAID = "paid", _("Paid")
    WITHHELD = "withheld", _("Withheld")


class DeadlineKind(models.TextChoices):
    ASSIGNMENT = "assignment", _("Assign a lawyer")
    AGREEMENT = "agreement", _("Sign the agreement and power of attorney")
    CLOSING = "closing", _("Submit the closing file")
    SUBSIDY = "subsidy", _("Review the file and pay the subsidy")
    NO_PROGRESS = "no_progress", _("Days without a progress entry before a case is flagged")
