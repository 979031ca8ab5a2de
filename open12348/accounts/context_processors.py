"""The staff console's navigation: each role sees the sections it can use."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .roles import Capability

# (capability, label, url name). Later issues add their sections here.
NAVIGATION = [
    (Capability.CONSOLE, _("Overview"), "web:console"),
    (Capability.CONSOLE, _("Notifications"), "notifications:inbox"),
    (Capability.DASHBOARD_VIEW, _("Dashboard"), "stats:overview"),
    (Capability.AID_VIEW, _("Legal aid applications"), "legalaid:queue"),
    (Capability.AID_INTAKE, _("Register an application"), "legalaid:create"),
    (Capability.AID_ASSIGN, _("Assign lawyers"), "cases:assignments"),
    (Capability.AID_VIEW, _("Legal aid cases"), "cases:list"),
    (Capability.CASE_HANDLE, _("My legal aid cases"), "cases:list"),
    (Capability.AID_VIEW, _("Case deadlines"), "cases:deadlines"),
    (Capability.CASE_HANDLE, _("Case deadlines"), "cases:deadlines"),
    (Capability.HEARINGS_VIEW, _("Hearing calendar"), "cases:hearings"),
    (Capability.AID_SUBSIDY, _("Lawyers' subsidies"), "cases:subsidies"),
    (Capability.QUALITY_EVALUATE, _("Case quality"), "quality:home"),
    (Capability.QUALITY_SCHEMES, _("Evaluation schemes"), "quality:schemes"),
    (Capability.QUALITY_EVALUATE, _("Quality reports"), "quality:report"),
    (Capability.DASHBOARD_VIEW, _("Quality reports"), "quality:report"),
    (Capability.QUALITY_EVALUATE, _("Quality profiles"), "quality:profiles"),
    (Capability.DASHBOARD_VIEW, _("Quality profiles"), "quality:profiles"),
    (Capability.CASE_HANDLE, _("My quality profile"), "quality:profiles"),
    (Capability.CASE_HANDLE, _("My supervision tickets"), "quality:tickets"),
    (Capability.HOTLINE_ANSWER, _("Hotline calls"), "hotline:orders"),
    (Capability.HOTLINE_ANSWER, _("Callbacks"), "hotline:callbacks"),
    (Capability.HOTLINE_ANSWER, _("Duty roster"), "hotline:roster"),
    (Capability.HOTLINE_ANSWER, _("Knowledge base"), "hotline:knowledge"),
    (Capability.HOTLINE_MANAGE, _("Hotline board"), "hotline:board"),
    (Capability.DASHBOARD_VIEW, _("Hotline board"), "hotline:board"),
    (Capability.HOTLINE_MANAGE, _("Call sampling"), "hotline:samples"),
    (Capability.HOTLINE_MANAGE, _("Service standards"), "hotline:standards"),
    (Capability.CONSULT_ANSWER, _("Online questions"), "consult:queue"),
    (Capability.CONSULT_MANAGE, _("Online questions"), "consult:queue"),
    (Capability.FEEDBACK_FOLLOW_UP, _("Ratings to follow up"), "consult:followups"),
    (Capability.FRONTDESK, _("Front desk"), "frontdesk:home"),
    (Capability.MEDIATION_HANDLE, _("People's mediation"), "mediation:list"),
    (Capability.MEDIATION_MANAGE, _("People's mediation"), "mediation:list"),
    (Capability.MEDIATION_MANAGE, _("Mediation figures"), "mediation:stats"),
    (Capability.CHECKUP_RECORD, _("Enterprise check-ups"), "checkup:list"),
    (Capability.VIDEO_REQUEST, _("Video consultations"), "video:home"),
    (Capability.VIDEO_SERVE, _("Video consultations"), "video:home"),
    (Capability.VIDEO_MANAGE, _("Video consultations"), "video:home"),
    (Capability.EDUCATION_EDIT, _("Legal education"), "education:articles"),
    (Capability.EDUCATION_PUBLISH, _("Legal education"), "education:articles"),
    (Capability.EDUCATION_EDIT, _("Outreach activities"), "education:activities"),
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
            if any(item["url"] == url for item in items):
                continue  # one entry per address, whichever capability granted it
            items.append({"label": label, "url": url, "active": False})
    # The deepest matching address is the active one (/legal-aid/cases/ rather than /legal-aid/).
    matching = [item for item in items if request.path == item["url"] or (
        item["url"] != reverse("web:console") and request.path.startswith(item["url"]))]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["active"] = True
    return {"console_nav": items}
