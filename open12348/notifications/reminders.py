"""The deadline-reminder engine: other apps say which deadlines are open, this module tells people.

An app registers a *deadline source* once, in its AppConfig.ready():

    from open12348.notifications.reminders import Deadline, register_source

    def assignment_deadlines(*, today):
        for case in Case.objects.awaiting_assignment().select_related(...):
            yield Deadline(key=f"legalaid.case:{case.pk}:assign", due=case.assign_due,
                           recipients=case.centre_dispatchers(), title=..., url=case.get_absolute_url(),
                           obj=case)

    register_source("legalaid.assign", assignment_deadlines)

`run_reminders(today=...)` then walks every source and sends each deadline's recipients at most
three reminders: "before" (within NOTIFY_REMIND_BEFORE_DAYS of the due day), "due" (on the day),
and "overdue" (once, the first run after the day passed). Each goes through `notify` with the
dedupe key f"{key}:{due}:{stage}", unique per recipient, so running the engine twice, or on two
workers at once, sends nothing twice, and moving a deadline to a new date starts afresh.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Notification
from .services import notify

log = logging.getLogger(__name__)

BEFORE, DUE, OVERDUE = "before", "due", "overdue"
KEY_CHUNK = 500


@dataclass(frozen=True)
class Deadline:
    """One open deadline of one object, as a source reports it.

    `key` names the object and the kind of deadline, stably across runs ("legalaid.case:12:assign");
    the due date is not part of it. `phones` maps a recipient's user id to a phone number for SMS
    (users have no phone field); recipients without one get the in-app notice (and e-mail).
    """

    key: str
    due: date
    recipients: Sequence[Any]
    title: str
    body: str = ""
    url: str = ""
    obj: models.Model | None = None
    email: bool = True
    phones: Mapping[int, str] = field(default_factory=dict)


DeadlineSource = Callable[..., Iterable[Deadline]]

_sources: dict[str, DeadlineSource] = {}


def register_source(name: str, source: DeadlineSource | None = None):
    """Register `source(*, today) -> Iterable[Deadline]` under `name`; usable as a decorator.

    Registering a name again replaces the source, so a ready() that runs twice is harmless.
    A source should return only open deadlines, and may leave out those due later than
    `today + remind_before_days()`: the engine ignores them anyway.
    """

    def add(fn: DeadlineSource) -> DeadlineSource:
        _sources[name] = fn
        return fn

    return add(source) if source is not None else add


def unregister_source(name: str) -> None:
    _sources.pop(name, None)


def registered_sources() -> dict[str, DeadlineSource]:
    return dict(_sources)


def remind_before_days() -> int:
    return int(getattr(settings, "NOTIFY_REMIND_BEFORE_DAYS", 1))


def reminder_stage(*, due: date, today: date, before_days: int) -> str | None:
    """Which reminder a deadline calls for today, if any.

    "before" is due on the first run inside the window rather than on exactly one day, so a day
    the job did not run (an outage, a holiday deployment freeze) does not lose the warning.
    """
    if due < today:
        return OVERDUE
    if due == today:
        return DUE
    if (due - today).days <= before_days:
        return BEFORE
    return None


def dedupe_key(*, deadline: Deadline, stage: str) -> str:
    return f"{deadline.key}:{deadline.due.isoformat()}:{stage}"


def _title(*, deadline: Deadline, stage: str, today: date) -> str:
    if stage == BEFORE:
        days = (deadline.due - today).days
        return ngettext("Due in %(days)d day: %(title)s", "Due in %(days)d days: %(title)s", days) % {
            "days": days, "title": deadline.title}
    if stage == DUE:
        return _("Due today: %(title)s") % {"title": deadline.title}
    return _("Overdue: %(title)s") % {"title": deadline.title}


def _body(*, deadline: Deadline) -> str:
    due_line = _("Due date: %(due)s") % {"due": deadline.due.isoformat()}
    return f"{deadline.body}\n{due_line}" if deadline.body else due_line


@dataclass
class ReminderRun:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    failed_sources: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def _already_sent(keys: set[str]) -> set[tuple[int, str]]:
    """(recipient id, dedupe key) pairs that exist already, in a few queries instead of one each."""
    ordered = sorted(keys)
    found: set[tuple[int, str]] = set()
    for start in range(0, len(ordered), KEY_CHUNK):
        found.update(Notification.objects.filter(dedupe_key__in=ordered[start:start + KEY_CHUNK])
                     .values_list("recipient_id", "dedupe_key"))
    return found


def _candidates(deadlines: Iterable[Deadline], *, today: date, before_days: int):
    for deadline in deadlines:
        stage = reminder_stage(due=deadline.due, today=today, before_days=before_days)
        if stage is None:
            continue
        seen: set[int] = set()
        for recipient in deadline.recipients:
            if recipient is None or recipient.pk in seen:
                continue
            seen.add(recipient.pk)
            yield deadline, dedupe_key(deadline=deadline, stage=stage), recipient, stage


def run_reminders(*, today: date) -> ReminderRun:
    """Send today's reminders for every registered source. Safe to run as often as you like.

    One broken source or one failing notification is logged and counted; the rest still go out,
    and the failed ones are tried again on the next run (their dedupe key was never written).
    """
    run = ReminderRun()
    before_days = remind_before_days()
    # Titles are stored text: write them in the site's language, whatever the worker's locale.
    with translation.override(settings.LANGUAGE_CODE):
        for name, source in registered_sources().items():
            try:
                candidates = list(_candidates(source(today=today), today=today, before_days=before_days))
            except Exception:  # a broken source must not stop the others
                log.exception("reminder source %s failed", name)
                run.failed_sources.append(name)
                continue
            done = _already_sent({key for _deadline, key, _recipient, _stage in candidates})
            for deadline, key, recipient, stage in candidates:
                if (recipient.pk, key) in done:
                    run.skipped += 1
                    continue
                try:
                    sent = notify(
                        recipient=recipient, kind=f"reminder.{stage}",
                        title=_title(deadline=deadline, stage=stage, today=today), body=_body(deadline=deadline),
                        url=deadline.url, obj=deadline.obj, dedupe_key=key, email=deadline.email,
                        sms=recipient.pk in deadline.phones, phone=deadline.phones.get(recipient.pk, ""),
                    )
                except Exception:  # one failure must not hold up everyone else's reminders
                    log.exception("reminder %s for user %s failed", key, recipient.pk)
                    run.failed += 1
                    continue
                if sent is None:
                    run.skipped += 1
                else:
                    run.sent += 1
    return run
