"""Roles and what each may do. One table, so who-can-do-what reads in one screen."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    WINDOW_STAFF = "window_staff", _("Window staff")
    REVIEWER = "reviewer", _("Legal aid reviewer")
    DIRECTOR = "director", _("Centre director")
    LAWYER = "lawyer", _("Lawyer")
    HOTLINE_OPERATOR = "hotline_operator", _("Hotline operator")
    HOTLINE_SUPERVISOR = "hotline_supervisor", _("Hotline supervisor")
    DUTY_LAWYER = "duty_lawyer", _("Duty lawyer")
    EVALUATOR = "evaluator", _("Quality evaluator")
    MEDIATOR = "mediator", _("Mediator")
    STATION_STAFF = "station_staff", _("Judicial office staff")
    BUREAU_ADMIN = "bureau_admin", _("Bureau administrator")
    LEADER = "leader", _("Leader")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")


# 三员分立: no account may hold two of these.
SEPARATED_ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})


class Capability(models.TextChoices):
    CONSOLE = "console", _("Use the staff console")
    NETWORK_VIEW = "network.view", _("View the service network")
    NETWORK_MANAGE = "network.manage", _("Manage the service network and directory")
    NETWORK_PRIVATE = "network.private", _("See practitioners' private details")
    ACCOUNTS_MANAGE = "accounts.manage", _("Create and disable accounts")
    ROLES_ASSIGN = "roles.assign", _("Grant roles and unlock accounts")
    AUDIT_VIEW = "audit.view", _("Read the audit log")
    AUDIT_EXPORT = "audit.export", _("Export the audit log")
    DASHBOARD_VIEW = "dashboard.view", _("View dashboards")
    AID_INTAKE = "legalaid.intake", _("Register legal aid applications")
    AID_VIEW = "legalaid.view", _("View legal aid applications")
    AID_REVIEW = "legalaid.review", _("Review applications and request materials")
    AID_DECIDE = "legalaid.decide", _("Grant or refuse legal aid")
    AID_PRIVATE = "legalaid.private", _("See applicants' full ID numbers, phones and incomes")
    AID_OBJECTION = "legalaid.objection", _("Decide objections to legal aid decisions")
    AID_RULES = "legalaid.rules", _("Edit eligibility rules and income standards")
    AID_ASSIGN = "legalaid.assign", _("Assign and reassign lawyers to cases")
    CASE_HANDLE = "legalaid.handle", _("Handle one's own assigned cases")
    AID_ARCHIVE = "legalaid.archive", _("Review closing files and archive cases")
    AID_SUBSIDY = "legalaid.subsidy", _("Pay lawyers' subsidies")
    HEARINGS_VIEW = "legalaid.hearings", _("See the calendar of hearings (to plan hearing observation)")
    QUALITY_EVALUATE = "quality.evaluate", _("Evaluate case quality, draw samples and follow up problems")
    QUALITY_SCHEMES = "quality.schemes", _("Edit the quality evaluation schemes")
    HOTLINE_ANSWER = "hotline.answer", _("Take hotline calls, call back and search the knowledge base")
    HOTLINE_MANAGE = "hotline.manage", _("Run the hotline: roster, call sampling, knowledge base, figures")
    CONSULT_ANSWER = "consult.answer", _("Answer citizens' online questions")
    CONSULT_MANAGE = "consult.manage", _("Publish answered questions to the public Q&A library")
    FEEDBACK_FOLLOW_UP = "feedback.follow_up", _("Follow up citizens' dissatisfied ratings")
    FRONTDESK = "frontdesk.register", _("Register visitors and their requests at the front desk")
    MEDIATION_HANDLE = "mediation.handle", _("Register and conduct people's mediation")
    MEDIATION_MANAGE = "mediation.manage", _("Oversee people's mediation and its figures")
    CHECKUP_RECORD = "checkup.record", _("Record enterprise legal check-ups")
    VIDEO_REQUEST = "video.request", _("Request remote video consultations for visitors")
    VIDEO_SERVE = "video.serve", _("Serve remote video consultations")
    VIDEO_MANAGE = "video.manage", _("Schedule video consultations and see their use")
    EDUCATION_EDIT = "education.edit", _("Write legal education articles and record outreach activities")
    EDUCATION_PUBLISH = "education.publish", _("Review and publish legal education articles")


_STAFF = {Capability.CONSOLE, Capability.NETWORK_VIEW}

_INTAKE = {Capability.AID_INTAKE, Capability.AID_VIEW}
_REVIEW = _INTAKE | {Capability.AID_REVIEW, Capability.AID_DECIDE, Capability.AID_PRIVATE, Capability.AID_ASSIGN,
                     Capability.AID_ARCHIVE, Capability.HEARINGS_VIEW}

ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    # Reception registers applications but never sees incomes or full ID numbers (QUALITY.md).
    Role.WINDOW_STAFF: frozenset(_STAFF | _INTAKE | {Capability.FRONTDESK, Capability.VIDEO_REQUEST}),
    Role.REVIEWER: frozenset(_STAFF | _REVIEW | {Capability.VIDEO_SERVE}),
    Role.DIRECTOR: frozenset(
        _STAFF | _REVIEW
        | {Capability.DASHBOARD_VIEW, Capability.AID_SUBSIDY, Capability.FEEDBACK_FOLLOW_UP, Capability.VIDEO_SERVE,
           Capability.VIDEO_MANAGE, Capability.CHECKUP_RECORD, Capability.EDUCATION_EDIT,
           Capability.EDUCATION_PUBLISH}
    ),
    # A lawyer sees their own cases only (the case selectors restrict by assignment, not by region).
    Role.LAWYER: frozenset(
        {Capability.CONSOLE, Capability.NETWORK_VIEW, Capability.CASE_HANDLE, Capability.VIDEO_SERVE}
    ),
    Role.HOTLINE_OPERATOR: frozenset(_STAFF | _INTAKE | {Capability.HOTLINE_ANSWER}),
    Role.HOTLINE_SUPERVISOR: frozenset(
        _STAFF | _INTAKE
        | {Capability.HOTLINE_ANSWER, Capability.HOTLINE_MANAGE, Capability.CONSULT_ANSWER, Capability.CONSULT_MANAGE,
           Capability.FEEDBACK_FOLLOW_UP, Capability.DASHBOARD_VIEW}
    ),
    Role.DUTY_LAWYER: frozenset(
        _STAFF | _INTAKE | {Capability.HOTLINE_ANSWER, Capability.CONSULT_ANSWER, Capability.VIDEO_SERVE}
    ),
    Role.EVALUATOR: frozenset(_STAFF | {Capability.HEARINGS_VIEW, Capability.QUALITY_EVALUATE}),
    Role.MEDIATOR: frozenset(_STAFF | {Capability.MEDIATION_HANDLE}),
    # The township judicial office (司法所) is a front desk, a mediation office, the requesting end of
    # video consultations and the organiser of outreach in its township.
    Role.STATION_STAFF: frozenset(
        _STAFF | _INTAKE
        | {Capability.FRONTDESK, Capability.MEDIATION_HANDLE, Capability.VIDEO_REQUEST, Capability.CHECKUP_RECORD,
           Capability.EDUCATION_EDIT}
    ),
    Role.BUREAU_ADMIN: frozenset(
        _STAFF
        | {Capability.NETWORK_MANAGE, Capability.NETWORK_PRIVATE, Capability.DASHBOARD_VIEW}
        | {Capability.AID_VIEW, Capability.AID_OBJECTION, Capability.AID_RULES, Capability.HEARINGS_VIEW,
           Capability.QUALITY_SCHEMES, Capability.HOTLINE_MANAGE, Capability.CONSULT_MANAGE,
           Capability.FEEDBACK_FOLLOW_UP, Capability.MEDIATION_MANAGE, Capability.CHECKUP_RECORD,
           Capability.VIDEO_MANAGE, Capability.EDUCATION_EDIT, Capability.EDUCATION_PUBLISH}
    ),
    Role.LEADER: frozenset({Capability.CONSOLE, Capability.DASHBOARD_VIEW, Capability.NETWORK_VIEW}),
    Role.SYSTEM_ADMIN: frozenset({Capability.CONSOLE, Capability.ACCOUNTS_MANAGE, Capability.NETWORK_VIEW}),
    Role.SECURITY_ADMIN: frozenset({Capability.CONSOLE, Capability.ROLES_ASSIGN}),
    Role.AUDIT_ADMIN: frozenset({Capability.CONSOLE, Capability.AUDIT_VIEW, Capability.AUDIT_EXPORT}),
}
