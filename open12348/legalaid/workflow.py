"""The life of a legal aid application, in one table (RULES.md §6; Legal Aid Law Art. 25, 43, 44, 49).

A status changes only through `services.py`, which looks the action up here. Notifications from
a court, procuratorate or police (Art. 25/28) are created directly as NOTIFIED: they skip review.
"""

from __future__ import annotations

from .choices import ApplicationStatus as S
from .choices import CaseStatus

# action: (statuses it may start from, status it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "review_start": (frozenset({S.RECEIVED}), S.UNDER_REVIEW),
    "supplement_request": (frozenset({S.RECEIVED, S.UNDER_REVIEW}), S.SUPPLEMENT_REQUESTED),
    "supplement_receive": (frozenset({S.SUPPLEMENT_REQUESTED}), S.UNDER_REVIEW),
    "supplement_expire": (frozenset({S.SUPPLEMENT_REQUESTED}), S.WITHDRAWN_DEEMED),
    "grant": (frozenset({S.RECEIVED, S.UNDER_REVIEW}), S.APPROVED),
    "refuse": (frozenset({S.RECEIVED, S.UNDER_REVIEW, S.ADVANCE_AID}), S.REJECTED),
    "withdraw": (frozenset({S.RECEIVED, S.UNDER_REVIEW, S.SUPPLEMENT_REQUESTED}), S.WITHDRAWN),
    "advance_aid": (frozenset({S.RECEIVED, S.UNDER_REVIEW, S.SUPPLEMENT_REQUESTED}), S.ADVANCE_AID),
    "regularise": (frozenset({S.ADVANCE_AID}), S.APPROVED),
    "object": (frozenset({S.REJECTED}), S.OBJECTION),
    "objection_uphold": (frozenset({S.OBJECTION}), S.REJECTED),
    "objection_correct": (frozenset({S.OBJECTION}), S.APPROVED),
}

# Statuses whose review clock is running (what the "due soon" and "overdue" queues look at).
REVIEW_OPEN = frozenset({S.RECEIVED, S.UNDER_REVIEW})
# Statuses that wait for a lawyer to be assigned (the next issue's work starts here).
AWAITING_ASSIGNMENT = frozenset({S.APPROVED, S.NOTIFIED, S.ADVANCE_AID})
FINAL = frozenset({S.WITHDRAWN, S.WITHDRAWN_DEEMED})


def target(action: str, current: str) -> str | None:
    """The status `action` leads to from `current`, or None if the table does not allow it."""
    sources, to = TRANSITIONS[action]
    return to if current in sources else None


def actions_from(current: str) -> list[str]:
    return [action for action, (sources, _) in TRANSITIONS.items() if current in sources]


# --- the case, from assignment to evaluation (RULES.md §6; Art. 46–55) ---------------------

C = CaseStatus
ACTIVE = frozenset({C.ASSIGNED, C.AGREEMENT_SIGNED, C.IN_PROGRESS})

CASE_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "sign_agreement": (frozenset({C.ASSIGNED}), C.AGREEMENT_SIGNED),
    "begin": (frozenset({C.AGREEMENT_SIGNED}), C.IN_PROGRESS),
    "reassign": (ACTIVE, C.ASSIGNED),  # Art. 55: the aided person asks for another lawyer
    "close": (frozenset({C.IN_PROGRESS}), C.CLOSED),  # Art. 50: the lawyer's closing report
    "archive_pass": (frozenset({C.CLOSED}), C.ARCHIVED),
    "archive_return": (frozenset({C.CLOSED}), C.RETURNED),
    "resubmit": (frozenset({C.RETURNED}), C.CLOSED),
    "pay_subsidy": (frozenset({C.ARCHIVED}), C.SUBSIDY_PAID),  # Art. 52
    "evaluate": (frozenset({C.SUBSIDY_PAID, C.ARCHIVED}), C.EVALUATED),
    "terminate": (ACTIVE, C.TERMINATED),  # Art. 48, grounds T1–T8
    "object_termination": (frozenset({C.TERMINATED}), C.TERMINATION_OBJECTION),  # Art. 49
    "termination_upheld": (frozenset({C.TERMINATION_OBJECTION}), C.TERMINATED),
    "termination_corrected": (frozenset({C.TERMINATION_OBJECTION}), C.IN_PROGRESS),
}
# Statuses in which the lawyer is working and must record progress (Art. 46).
WORKING = ACTIVE


def case_target(action: str, current: str) -> str | None:
    sources, to = CASE_TRANSITIONS[action]
    return to if current in sources else None


def case_actions_from(current: str) -> list[str]:
    return [action for action, (sources, _) in CASE_TRANSITIONS.items() if current in sources]


# Which deadline counts in which status (a case with none has no next deadline).
CASE_DEADLINE_OF_STATUS: dict[str, tuple[str, str]] = {
    C.ASSIGNED: ("agreement", "agreement_due"),
    C.RETURNED: ("closing", "closing_due"),
    C.CLOSED: ("subsidy", "subsidy_due"),
    C.ARCHIVED: ("subsidy", "subsidy_due"),
}


def case_next_due(case):
    """The case's next deadline in its current status, from its stored due dates."""
    entry = CASE_DEADLINE_OF_STATUS.get(case.status)
    return getattr(case, entry[1]) if entry else None
