from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "open12348.quality"
    label = "quality"
    verbose_name = _("Case quality")

    def ready(self) -> None:
        from . import reminders  # noqa: F401  (registers the supervision tickets with the reminder engine)
