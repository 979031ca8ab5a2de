"""The life of an online question, in one table.

A citizen asks (WAITING); a duty lawyer answers (ANSWERED) or says it cannot be answered online
and where to go instead (DECLINED). The asker may follow up on an answer (back to WAITING, with a
new due date), say they need nothing more (CLOSED), or withdraw a question nobody has answered yet.
A lawyer may add to an answer already given (ANSWERED stays ANSWERED).
"""

from __future__ import annotations

from .choices import QuestionStatus as S

# action: (statuses it may start from, status it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "answer": (frozenset({S.WAITING, S.ANSWERED}), S.ANSWERED),
    "decline": (frozenset({S.WAITING}), S.DECLINED),
    "follow_up": (frozenset({S.ANSWERED}), S.WAITING),
    "close": (frozenset({S.ANSWERED}), S.CLOSED),
    "withdraw": (frozenset({S.WAITING}), S.WITHDRAWN),
}

# A question with an answer can be rated and, if the asker allowed it, published.
HAS_ANSWER = frozenset({S.ANSWERED, S.CLOSED})
OPEN = frozenset({S.WAITING})


def target(action: str, current: str) -> str | None:
    """The status `action` leads to from `current`, or None if the table does not allow it."""
    sources, to = TRANSITIONS[action]
    return to if current in sources else None


def actions_from(current: str) -> list[str]:
    return [action for action, (sources, _) in TRANSITIONS.items() if current in sources]
