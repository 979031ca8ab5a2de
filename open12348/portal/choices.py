"""Vocabularies of the public portal."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ConsentPurpose(models.TextChoices):
    # PIPL Art. 13-14: processing the mobile number to send codes and messages about the citizen's matters.
    BASIC = "basic", _("My mobile number, to send me codes and news about my matters")
    # PIPL Art. 28-29: case facts, health, income, ID numbers and children's data need a separate consent.
    SENSITIVE = "sensitive", _("Sensitive personal information in my questions and applications")
    ACCOUNT = "account", _("Keeping all my questions and applications in one list")
