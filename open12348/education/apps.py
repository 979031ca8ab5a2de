from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EducationConfig(AppConfig):
    name = "open12348.education"
    label = "education"
    verbose_name = _("Legal education and outreach")
