from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VideoConfig(AppConfig):
    name = "open12348.video"
    label = "video"
    verbose_name = _("Remote video consultation")
