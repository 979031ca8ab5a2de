"""Vocabularies of online consultation and citizens' ratings."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionCategory(models.TextChoices):
    LABOUR = "labour", _("Wages, work and work injuries")
    FAMILY = "family", _("Marriage, family, support and inheritance")
    DEBT = "debt", _("Loans, debts and contracts")
    TRAFFIC = "traffic", _("Traffic accidents")
    INJURY = "injury", _("Injuries and medical disputes")
    PROPERTY = "property", _("Housing, land and demolition")
    CONSUMER = "consumer", _("Shopping and consumer rights")
    CRIMINAL = "criminal", _("Criminal matters")
    GOVERNMENT = "government", _("Disputes with government departments")
    LEGAL_AID = "legal_aid", _("Applying for legal aid")
    OTHER = "other", _("Other questions")


class QuestionStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for a lawyer")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn by the asker")
    DECLINED = "declined", _("Not answered online")


class ReplyAuthor(models.TextChoices):
    CITIZEN = "citizen", _("Asker")
    LAWYER = "lawyer", _("Lawyer")


class RatingLevel(models.IntegerChoices):
    VERY_SATISFIED = 5, _("Very satisfied")
    SATISFIED = 4, _("Satisfied")
    NEUTRAL = 3, _("So-so")
    DISSATISFIED = 2, _("Dissatisfied")
    VERY_DISSATISFIED = 1, _("Very dissatisfied")


# A rating at or below this level opens a follow-up task for staff.
DISSATISFIED_AT_OR_BELOW = RatingLevel.DISSATISFIED


class RatingSubject(models.TextChoices):
    QUESTION = "question", _("Online consultation")
    CASE = "case", _("Legal aid case")
    APPLICATION = "application", _("Legal aid application")


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("To follow up")
    DONE = "done", _("Followed up")


class FollowUpOutcome(models.TextChoices):
    RESOLVED = "resolved", _("Reached; the problem was solved or explained")
    UNRESOLVED = "unresolved", _("Reached; still not satisfied, passed on")
    UNREACHABLE = "unreachable", _("Could not be reached after several tries")
