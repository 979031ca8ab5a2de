from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontDeskConfig(AppConfig):
    name = "open12348.frontdesk"
    label = "frontdesk"
    verbose_name = _("Front desk")
