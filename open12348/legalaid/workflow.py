"""The life of a legal aid application, in one table (RULES.md §6; Legal Aid Law Art. 25, 43, 44, 49).

A status changes only through `services.py`, which looks the action up here. Notifications from
a court, procuratorate or police (Art. 25/28) are created directly as NOTIFIED: they skip review.
"""

from __future__ import annotations

from .choices import ApplicationStatus as S

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
