"""The life of a video consultation, in one table.

A township office books a slot (REQUESTED) or asks now (WAITING, in the serving centre's queue).
A booked slot joins the queue when the visitor is there ("queue"). Someone at the serving centre
takes it (IN_PROGRESS) and ends it (ENDED). Either side may cancel before it starts.
"""

from __future__ import annotations

from .choices import VideoSessionStatus as S

# action: (statuses it may start from, status it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "queue": (frozenset({S.REQUESTED}), S.WAITING),
    "take": (frozenset({S.REQUESTED, S.WAITING}), S.IN_PROGRESS),
    "end": (frozenset({S.IN_PROGRESS}), S.ENDED),
    "cancel": (frozenset({S.REQUESTED, S.WAITING}), S.CANCELLED),
}

OPEN = frozenset({S.REQUESTED, S.WAITING, S.IN_PROGRESS})
CLOSED = frozenset({S.ENDED, S.CANCELLED})


def target(action: str, current: str) -> str | None:
    sources, to = TRANSITIONS[action]
    return to if current in sources else None


def actions_from(current: str) -> list[str]:
    return [action for action, (sources, _) in TRANSITIONS.items() if current in sources]
