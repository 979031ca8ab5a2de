"""The life of a check-up visit, in one table.

planned → visited (the team went and recorded what it found) → reported (the check-up report is
issued to the enterprise, with a follow-up date) → followed_up (the team went back and recorded
whether the problems were put right). What was found can be corrected until the report is issued;
after that the report is what the enterprise holds, and the record stays as it was.
"""

from __future__ import annotations

from .choices import CheckupVisitStatus as S

TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "record": (frozenset({S.PLANNED}), S.VISITED),
    "issue_report": (frozenset({S.VISITED}), S.REPORTED),
    "follow_up": (frozenset({S.REPORTED}), S.FOLLOWED_UP),
}

# Statuses in which the findings, workers and opinion may still be edited.
EDITABLE = frozenset({S.PLANNED, S.VISITED})
# Statuses in which a consenting worker's claim may be sent to legal aid (the visit took place).
REFERRABLE = frozenset({S.VISITED, S.REPORTED, S.FOLLOWED_UP})


def target(action: str, current: str) -> str | None:
    """The status `action` leads to from `current`, or None if the table does not allow it."""
    sources, to = TRANSITIONS[action]
    return to if current in sources else None
