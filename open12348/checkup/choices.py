"""The vocabularies of enterprise legal check-ups. Class names carry the app's prefix so that the API
schema does not confuse them with other apps' "status" and "kind" enums."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CheckupSector(models.TextChoices):
    CONSTRUCTION = "construction", _("Construction")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    MINING = "mining", _("Mining and energy")
    LOGISTICS = "logistics", _("Transport and logistics")
    CATERING = "catering", _("Hotels and catering")
    RETAIL = "retail", _("Wholesale and retail")
    SERVICES = "services", _("Household and other services")
    AGRICULTURE = "agriculture", _("Agriculture")
    OTHER = "other", _("Other sector")


class EnterpriseSize(models.TextChoices):
    MICRO = "micro", _("Micro")
    SMALL = "small", _("Small")
    MEDIUM = "medium", _("Medium")
    LARGE = "large", _("Large")


class CheckupVisitStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    VISITED = "visited", _("Visited")
    REPORTED = "reported", _("Report issued")
    FOLLOWED_UP = "followed_up", _("Followed up")


class ProblemKind(models.TextChoices):
    """The check-list of a migrant workers' contract check-up, in the order it is walked through."""

    WRITTEN_CONTRACT = "written_contract", _("Written labour contract")
    WAGES_ON_TIME = "wages_on_time", _("Wages paid on time and in full")
    OVERTIME_PAY = "overtime_pay", _("Overtime pay")
    SOCIAL_INSURANCE = "social_insurance", _("Social insurance")
    WORK_INJURY_INSURANCE = "work_injury_insurance", _("Work-injury insurance")
    SAFETY_TRAINING = "safety_training", _("Safety training")
    WORKING_HOURS = "working_hours", _("Working hours and rest days")
    MINIMUM_WAGE = "minimum_wage", _("Minimum wage")
    WAGE_GUARANTEE = "wage_guarantee", _("Wage guarantee and real-name registration (construction projects)")
    OTHER = "other", _("Other problems")


# Problems that are a worker's own claim to money owed: these can become a legal aid application for
# labour pay (matter CV-05 "wages", the migrant workers' green channel).
WAGE_PROBLEMS = frozenset({ProblemKind.WAGES_ON_TIME, ProblemKind.OVERTIME_PAY, ProblemKind.MINIMUM_WAGE,
                           ProblemKind.WAGE_GUARANTEE})


class FollowUpResult(models.TextChoices):
    RECTIFIED = "rectified", _("Rectified")
    PARTLY = "partly", _("Partly rectified")
    NOT_RECTIFIED = "not_rectified", _("Not rectified")
