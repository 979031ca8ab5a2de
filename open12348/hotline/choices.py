"""Vocabulary of the 12348 hotline (RULES.md §8): channels, call outcomes, categories, legal topics,
callbacks, ratings and the duty roster."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CallChannel(models.TextChoices):
    """How the caller reached the hotline (Yunnan/Baoshan log channels separately)."""

    CALL = "call", _("Phone call")
    VOICE_MESSAGE = "voice_message", _("Voice message")
    SMS = "sms", _("SMS")
    WEB = "web", _("Web message")


MESSAGE_CHANNELS = frozenset({CallChannel.VOICE_MESSAGE, CallChannel.SMS, CallChannel.WEB})


class CallStatus(models.TextChoices):
    """What the telephony events say happened to the call (a function of the events, see events.py)."""

    RINGING = "ringing", _("Ringing")
    IN_CALL = "in_call", _("In conversation")
    ANSWERED = "answered", _("Answered")
    MISSED = "missed", _("Missed")
    VOICE_MESSAGE = "voice_message", _("Voice message left")
    MESSAGE = "message", _("Message received")


# Outcomes that owe the caller a call back (100 % callback of missed calls and messages).
CALLBACK_OWED = frozenset({CallStatus.MISSED, CallStatus.VOICE_MESSAGE, CallStatus.MESSAGE})


class EventKind(models.TextChoices):
    RINGING = "ringing", _("Ringing at a seat")
    ANSWERED = "answered", _("Answered")
    ENDED = "ended", _("Ended")
    VOICE_MESSAGE = "voice_message", _("Voice message left")
    MESSAGE = "message", _("SMS or web message")
    RATED = "rated", _("Satisfaction rated")


class OrderSource(models.TextChoices):
    TELEPHONY = "telephony", _("Telephony system")
    MANUAL = "manual", _("Entered by hand")


class Category(models.TextChoices):
    """Shandong 12348 management rules: every call is a consultation, a complaint or a suggestion."""

    CONSULTATION = "consultation", _("Consultation")
    COMPLAINT = "complaint", _("Complaint")
    SUGGESTION = "suggestion", _("Suggestion")


class Topic(models.TextChoices):
    """The legal topic of a call or a knowledge base article."""

    WAGES = "wages", _("Wage arrears")
    LABOUR_CONTRACT = "labour_contract", _("Labour contracts and dismissal")
    SOCIAL_INSURANCE = "social_insurance", _("Social insurance")
    WORK_INJURY = "work_injury", _("Work injury")
    MARRIAGE = "marriage", _("Marriage and divorce")
    SUPPORT = "support", _("Support of parents, children or spouse")
    DOMESTIC_VIOLENCE = "domestic_violence", _("Domestic violence")
    INHERITANCE = "inheritance", _("Inheritance")
    TRAFFIC = "traffic", _("Traffic accidents")
    MEDICAL = "medical", _("Medical disputes")
    LOANS = "loans", _("Loans and contracts")
    CONSUMER = "consumer", _("Consumer rights")
    HOUSING = "housing", _("Housing, tenancy and property management")
    LAND = "land", _("Rural land")
    CRIMINAL = "criminal", _("Criminal matters")
    ADMINISTRATIVE = "administrative", _("Administrative matters")
    LEGAL_AID = "legal_aid", _("Legal aid")
    MEDIATION = "mediation", _("Mediation and other legal services")
    OTHER = "other", _("Other")


class Referral(models.TextChoices):
    LEGAL_AID = "legal_aid", _("Legal aid")
    MEDIATION = "mediation", _("People's mediation")
    OTHER_DEPARTMENT = "other_department", _("Another department")


class Satisfaction(models.TextChoices):
    """The three answers of the IVR and the SMS link (按1满意，按2基本满意，按3不满意)."""

    SATISFIED = "satisfied", _("Satisfied")
    FAIR = "fair", _("Fairly satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


SATISFIED_ANSWERS = frozenset({Satisfaction.SATISFIED, Satisfaction.FAIR})


class RatingChannel(models.TextChoices):
    IVR = "ivr", _("IVR after the call")
    SMS = "sms", _("SMS link")


class CallbackKind(models.TextChoices):
    MISSED = "missed", _("Missed call or message")
    DISSATISFIED = "dissatisfied", _("Dissatisfied rating")
    FOLLOW_UP = "follow_up", _("Follow-up")
    EXPERT = "expert", _("Expert answer")


class CallbackStatus(models.TextChoices):
    OPEN = "open", _("To call back")
    REACHED = "reached", _("Reached")
    UNREACHABLE = "unreachable", _("Not reachable")
    WITHDRAWN = "withdrawn", _("Not needed")


CALLBACK_CLOSED = frozenset({CallbackStatus.REACHED, CallbackStatus.UNREACHABLE})


class AttemptOutcome(models.TextChoices):
    NO_ANSWER = "no_answer", _("No answer")
    BUSY = "busy", _("Line busy")
    WRONG_NUMBER = "wrong_number", _("Wrong number")
    REACHED = "reached", _("Reached")


class SeatKind(models.TextChoices):
    LAWYER = "lawyer", _("Duty lawyer seat")
    STAFF = "staff", _("Operator seat")
    ANY = "any", _("Any duty person")


class MemberKind(models.TextChoices):
    LAWYER = "lawyer", _("Duty lawyer")
    STAFF = "staff", _("Hotline staff")


class ShiftDays(models.TextChoices):
    WORKING = "working", _("Working days")
    REST = "rest", _("Rest days and holidays")
    EVERY = "every", _("Every day")


class RosterSource(models.TextChoices):
    GENERATED = "generated", _("Generated")
    SWAP = "swap", _("Swapped")
    COVER = "cover", _("Covering a leave")


class ArticleSource(models.TextChoices):
    MANUAL = "manual", _("Written by the hotline")
    PORTAL = "portal", _("Answered portal question")
    SEED = "seed", _("Initial library")


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("To review")
    REVIEWED = "reviewed", _("Reviewed")
