from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EducationConfig(AppConfig):
    name = "open12348.education"
    label = "education"
    verbose_name = _("Legal education and outreach")

    def ready(self) -> None:
        from . import reminders  # noqa: F401  (registers the re-check reminders with the reminder engine)
