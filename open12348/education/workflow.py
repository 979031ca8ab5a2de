"""The editorial life of a legal education article, in one table.

An editor writes a DRAFT and sends it to legal REVIEW. A reviewer (someone with EDUCATION_PUBLISH
who is neither the author nor the person who sent it) returns it to DRAFT with a note, or publishes
it (PUBLISHED: a frozen revision goes live on the portal). Editing a published article brings the
working copy back to DRAFT while the last published revision stays live: citizens never read an
unreviewed text. A reviewer can confirm a published article still matches the law (RECHECK, which
moves its last-checked date); an article whose last check is older than EDUCATION_RECHECK_DAYS is
"due for re-check" (a flag, not a status: it stays on the portal). WITHDRAWN takes it off the
portal; editing a withdrawn article starts a new draft.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from .choices import ArticleStatus as S

EDIT, PUBLISH = "edit", "publish"  # which capability an action needs

# action: (statuses it may start from, status it leads to, capability)
TRANSITIONS: dict[str, tuple[frozenset[str], str, str]] = {
    "edit": (frozenset({S.DRAFT, S.PUBLISHED, S.WITHDRAWN}), S.DRAFT, EDIT),
    "submit": (frozenset({S.DRAFT}), S.REVIEW, EDIT),
    "return": (frozenset({S.REVIEW}), S.DRAFT, PUBLISH),
    "publish": (frozenset({S.REVIEW}), S.PUBLISHED, PUBLISH),
    "recheck": (frozenset({S.PUBLISHED}), S.PUBLISHED, PUBLISH),
    "withdraw": (frozenset({S.DRAFT, S.REVIEW, S.PUBLISHED}), S.WITHDRAWN, PUBLISH),
}


def target(action: str, current: str) -> str | None:
    sources, to, _capability = TRANSITIONS[action]
    return to if current in sources else None


def actions_from(current: str) -> list[str]:
    return [action for action, (sources, _to, _cap) in TRANSITIONS.items() if current in sources]


def recheck_days() -> int:
    return max(int(getattr(settings, "EDUCATION_RECHECK_DAYS", 365)), 1)


def recheck_before(today: dt.date) -> dt.date:
    """An article last checked before this day is due for re-check."""
    return today - dt.timedelta(days=recheck_days())


def is_due(last_checked: dt.date | None, today: dt.date) -> bool:
    return last_checked is None or last_checked < recheck_before(today)
