from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckupConfig(AppConfig):
    name = "open12348.checkup"
    label = "checkup"
    verbose_name = _("Enterprise legal check-ups")

    def ready(self) -> None:
        from . import reminders  # noqa: F401  (registers the follow-up visits with the reminder engine)
