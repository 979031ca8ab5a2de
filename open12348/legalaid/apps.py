from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegalaidConfig(AppConfig):
    name = "open12348.legalaid"
    label = "legalaid"
    verbose_name = _("Legal aid")
