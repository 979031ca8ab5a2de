from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultConfig(AppConfig):
    name = "open12348.consult"
    label = "consult"
    verbose_name = _("Online consultation")

    def ready(self) -> None:
        from . import reminders  # noqa: F401  (registers the consultation deadlines with the reminder engine)
