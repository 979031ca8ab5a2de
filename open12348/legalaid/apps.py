from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegalaidConfig(AppConfig):
    name = "open12348.legalaid"
    label = "legalaid"
    verbose_name = _("Legal aid")

    def ready(self) -> None:
        from . import reminders  # noqa: F401  (registers the case deadlines with the reminder engine)
