"""The life of a dispute case, in one table.

A case is registered (AWAITING_CONSENT). Mediation needs every party's consent (People's Mediation
Law Art. 17): when the last party agrees the case moves to MEDIATING; a party's refusal ends it
(REFUSED) — it may not be mediated against their will. In mediation the parties reach an
agreement (AGREED), or it fails (FAILED), or the applicant withdraws (WITHDRAWN, also possible
before consent). The agreement's own steps (signing, judicial confirmation, performance) are
fields on the Agreement, guarded in the services.
"""

from __future__ import annotations

from .choices import DisputeStatus as S

# action: (statuses it may start from, status it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "consent": (frozenset({S.AWAITING_CONSENT}), S.MEDIATING),
    "refuse": (frozenset({S.AWAITING_CONSENT, S.MEDIATING}), S.REFUSED),
    "agree": (frozenset({S.MEDIATING}), S.AGREED),
    "fail": (frozenset({S.MEDIATING}), S.FAILED),
    "withdraw": (frozenset({S.AWAITING_CONSENT, S.MEDIATING}), S.WITHDRAWN),
}

OPEN = frozenset({S.AWAITING_CONSENT, S.MEDIATING})
CLOSED = frozenset({S.AGREED, S.FAILED, S.WITHDRAWN, S.REFUSED})


def target(action: str, current: str) -> str | None:
    """The status `action` leads to from `current`, or None if the table does not allow it."""
    sources, to = TRANSITIONS[action]
    return to if current in sources else None


def actions_from(current: str) -> list[str]:
    return [action for action, (sources, _) in TRANSITIONS.items() if current in sources]
