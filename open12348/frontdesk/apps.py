from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontDeskConfig(AppConfig):
    name = "open12348.frontdesk"
    label = "frontdesk"
    verbose_name = _("Front desk")

    def ready(self) -> None:
        from . import reminders  # noqa: F401  (registers the feedback deadlines with the reminder engine)
