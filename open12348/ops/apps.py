from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running the platform: backups and their verification, metrics, fault handling."""

    name = "open12348.ops"
    verbose_name = _("operations")
