"""The life of a callback, in one table; and how a call's status may move as its events arrive.

A callback's status changes only through services/callbacks.py, which looks the action up here
and checks the guard that goes with it:

- attempt: an unanswered attempt (no answer, busy, wrong number) is recorded, the task stays open;
- reach: the caller was reached (an expert's answer must be given), the task closes;
- give_up: closes as not reachable, only once the configured attempts were made and with a reason;
- withdraw: the call turned out not to need it (a late "answered" event, a rating changed, the
  follow-up flag cleared) and nobody has tried yet;
- reopen: the need came back (the rating went back to dissatisfied) before anyone closed it.
"""

from __future__ import annotations

from .choices import CallbackStatus as S
from .choices import CallStatus as C

TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "attempt": (frozenset({S.OPEN}), S.OPEN),
    "reach": (frozenset({S.OPEN}), S.REACHED),
    "give_up": (frozenset({S.OPEN}), S.UNREACHABLE),
    "withdraw": (frozenset({S.OPEN}), S.WITHDRAWN),
    "reopen": (frozenset({S.WITHDRAWN}), S.OPEN),
}


def target(action: str, current: str) -> str | None:
    """The status `action` leads to from `current`, or None if the table does not allow it."""
    sources, to = TRANSITIONS[action]
    return to if current in sources else None


# A call's status is a function of its events (events.fold_call), and events only ever add
# information, so a status can only move to one that knows more. An event arriving late moves a
# "missed" call to "answered"; nothing moves an answered call back. Any other move means the fold
# is wrong, and the service refuses to write it.
CALL_MOVES: dict[str, frozenset[str]] = {
    C.RINGING: frozenset({C.IN_CALL, C.ANSWERED, C.MISSED, C.VOICE_MESSAGE, C.MESSAGE}),
    C.IN_CALL: frozenset({C.ANSWERED, C.MESSAGE}),
    C.MISSED: frozenset({C.IN_CALL, C.ANSWERED, C.VOICE_MESSAGE, C.MESSAGE}),
    C.VOICE_MESSAGE: frozenset({C.IN_CALL, C.ANSWERED, C.MESSAGE}),
    C.ANSWERED: frozenset({C.MESSAGE}),
    C.MESSAGE: frozenset(),
}


def call_move_allowed(current: str, new: str) -> bool:
    return current == new or new in CALL_MOVES[current]
