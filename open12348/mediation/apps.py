from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediationConfig(AppConfig):
    name = "open12348.mediation"
    label = "mediation"
    verbose_name = _("People's mediation")

    def ready(self) -> None:
        from . import reminders  # noqa: F401  (registers the mediation deadlines with the reminder engine)
