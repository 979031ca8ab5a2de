"""The staff console's navigation: each role sees the sections it can use."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .roles import Capability

# (capability, label, url name). Later issues add their sections here.
NAVIGATION = [
    (Capability.CONSOLE, _("Overview"), "web:console"),
    (Capability.CONSOLE, _("Notifications"), "notifications:inbox"),
    (Capability.AID_VIEW, _("Legal aid applications"), "legalaid:queue"),
    (Capability.AID_INTAKE, _("Register an application"), "legalaid:create"),
    (Capability.NETWORK_VIEW, _("Institutions"), "network:console_institutions"),
    (Capability.NETWORK_VIEW, _("Practitioners"), "network:console_practitioners"),
    (Capability.NETWORK_MANAGE, _("Import and export"), "network:console_imports"),
    (Capability.AUDIT_VIEW, _("Audit log"), "audit:log"),
]


def console_navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = []
    for capability, label, url_name in NAVIGATION:
        if user.is_superuser or user.can(capability):
            try:
                url = reverse(url_name)
            except NoReverseMatch:  # a section whose URLs are not installed yet is left out
                continue
            active = request.path == url or (url != reverse("web:console") and request.path.startswith(url))
            items.append({"label": label, "url": url, "active": active})
    return {"console_nav": items}
