"""Vocabulary of case quality management."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Method(models.TextChoices):
    """The four ways of checking a case, Legal Aid Law Art. 59."""

    FILE_REVIEW = "file_review", _("File review")
    HEARING = "hearing", _("Hearing observation")
    FOLLOW_UP = "follow_up", _("Follow-up with the aided person")
    OPINION = "opinion", _("Opinion of the court, procuratorate or police")


class ContactMode(models.TextChoices):
    PHONE = "phone", _("Telephone")
    VISIT = "visit", _("Visit")


class Organ(models.TextChoices):
    COURT = "court", _("People's court")
    PROCURATORATE = "procuratorate", _("People's procuratorate")
    POLICE = "police", _("Public security organ")
    # Labour disputes are heard by arbitration commissions first; their view of the lawyer counts too.
    ARBITRATION = "arbitration", _("Labour dispute arbitration commission")


class Grade(models.TextChoices):
    EXCELLENT = "优秀", _("Excellent")
    GOOD = "良好", _("Good")
    QUALIFIED = "合格", _("Qualified")
    UNQUALIFIED = "不合格", _("Unqualified")


# Best first: a cap "at most 合格" takes the worse of the two by this order.
GRADE_ORDER = [Grade.EXCELLENT, Grade.GOOD, Grade.QUALIFIED, Grade.UNQUALIFIED]


class TicketStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("ticket status", "Open")
    CLOSED = "closed", _("Closed")


class TicketReason(models.TextChoices):
    UNQUALIFIED = "unqualified_grade", _("Unqualified grade")
    COMPLAINT = "complaint", _("Complaint")


class Vote(models.TextChoices):
    YES = "yes", _("For")
    NO = "no", _("Against")
    ABSTAIN = "abstain", _("Abstain")


class PanelStatus(models.TextChoices):
    OPEN = "open", _("Open for nominations and votes")
    CLOSED = "closed", _("Closed")


class NominationOutcome(models.TextChoices):
    PENDING = "", _("Pending")
    EXEMPLARY = "exemplary", _("Named exemplary")
    NOT_SELECTED = "not_selected", _("Not selected")
