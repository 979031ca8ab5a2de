"""Vocabularies of legal education: topics, audiences, next steps, article and activity statuses.

Class names carry the app's prefix so that drf-spectacular does not merge them with other apps'
`kind`/`status` enums.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EducationTopic(models.TextChoices):
    WAGES = "wages", _("Wages owed")
    WORK_INJURY = "work_injury", _("Work injury")
    LABOUR_CONTRACT = "labour_contract", _("Labour contracts")
    ELDERLY_SUPPORT = "elderly_support", _("Support for the elderly")
    DOMESTIC_VIOLENCE = "domestic_violence", _("Domestic violence")
    MARRIAGE_FAMILY = "marriage_family", _("Marriage and family")
    TRAFFIC = "traffic", _("Traffic accidents")
    JUVENILE = "juvenile", _("Protection of minors")
    SOLDIERS = "soldiers", _("Soldiers' rights")
    CONSUMER = "consumer", _("Consumer rights")
    LEGAL_AID = "legal_aid", _("Legal aid")
    OTHER = "other", _("Other")


class EducationAudience(models.TextChoices):
    MIGRANT_WORKERS = "migrant_workers", _("Migrant workers")
    ELDERLY = "elderly", _("The elderly")
    WOMEN = "women", _("Women")
    MINORS = "minors", _("Minors and students")
    SOLDIERS = "soldiers", _("Soldiers and their families")
    ENTERPRISES = "enterprises", _("Enterprises")
    PUBLIC = "public", _("Everyone")


class NextStepKind(models.TextChoices):
    APPLY = "apply", _("Apply for legal aid")
    ASK = "ask", _("Ask a lawyer")
    MEDIATION = "mediation", _("Find a mediation committee")
    CALL = "call", _("Call 12348")


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In legal review")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ActivityKind(models.TextChoices):
    SCHOOL_VISIT = "school_visit", _("School visit")
    LECTURE = "lecture", _("Lecture")
    COMMUNITY_DAY = "community_day", _("Community day")
    ENTERPRISE_VISIT = "enterprise_visit", _("Enterprise visit")
    BROADCAST = "broadcast", _("Broadcast")


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")
