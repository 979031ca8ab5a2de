from django.db import models
from django.utils.translation import gettext_lazy as _


class VideoSessionStatus(models.TextChoices):
    REQUESTED = "requested", _("Booked")
    WAITING = "waiting", _("Waiting")
    IN_PROGRESS = "in_progress", _("In progress")
    ENDED = "ended", _("Ended")
    CANCELLED = "cancelled", _("Cancelled")


class VideoSessionMode(models.TextChoices):
    ON_DEMAND = "on_demand", _("Now (waiting queue)")
    SCHEDULED = "scheduled", _("Booked time slot")


class VideoInviteeKind(models.TextChoices):
    VISITOR = "visitor", _("Visitor")
    FAMILY = "family", _("Family member or helper")
    LAWYER = "lawyer", _("Another lawyer (joint consultation)")
    OTHER = "other", _("Other")
