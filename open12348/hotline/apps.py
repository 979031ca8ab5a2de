from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HotlineConfig(AppConfig):
    name = "open12348.hotline"
    label = "hotline"
    verbose_name = _("12348 hotline")

    def ready(self) -> None:
        from . import reminders  # noqa: F401  (registers the callbacks with the reminder engine)
