from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "open12348.quality"
    label = "quality"
    verbose_name = _("Case quality")
