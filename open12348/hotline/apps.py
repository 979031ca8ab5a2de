from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HotlineConfig(AppConfig):
    name = "open12348.hotline"
    label = "hotline"
    verbose_name = _("12348 hotline")
