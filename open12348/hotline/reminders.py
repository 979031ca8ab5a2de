"""Open callbacks as a source for the reminder engine (notifications/reminders.py).

The person a callback is assigned to is reminded before, on and after its due date; a callback
still in the shared queue reminds the hotline's operators. Escalating an overdue callback to the
supervisors is a separate, explicit step (services.callbacks.callbacks_escalate_overdue).
Importing this module registers the source; HotlineConfig.ready() imports it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext as _

from open12348.accounts.models import Membership
from open12348.accounts.roles import Role

from .choices import CallbackStatus
from .models import CallbackTask, Hotline

SOURCE_NAME = "hotline.callbacks"


def _operators() -> dict[int, tuple]:
    """Each hotline's operators: those whose organisation's region covers the hotline's."""
    hotlines = list(Hotline.objects.select_related("region"))
    memberships = list(Membership.objects.filter(role=Role.HOTLINE_OPERATOR, is_active=True, user__is_active=True)
                       .select_related("user", "institution__region").order_by("user_id"))
    return {h.pk: tuple(dict.fromkeys(m.user for m in memberships
                                      if h.region.path.startswith(m.institution.region.path))) for h in hotlines}


def _deadlines(*, today: dt.date) -> Iterable:
    from open12348.notifications.reminders import Deadline, remind_before_days

    from .services.callbacks import callback_url

    horizon = today + dt.timedelta(days=remind_before_days())
    tasks = list(CallbackTask.objects.filter(status=CallbackStatus.OPEN, due_on__lte=horizon)
                 .select_related("assigned_to", "work_order").order_by("due_on", "id"))
    operators = _operators() if any(t.assigned_to_id is None for t in tasks) else {}
    for task in tasks:
        recipients = (task.assigned_to,) if task.assigned_to_id else operators.get(task.hotline_id, ())
        if recipients:
            yield Deadline(key=f"hotline.callback:{task.pk}", due=task.due_on, recipients=recipients,
                           title=_("Call back: %(kind)s, work order %(number)s") % {
                               "kind": task.get_kind_display(), "number": task.work_order.number},
                           url=callback_url(task), obj=task, email=False)


def register() -> None:
    from open12348.notifications.reminders import register_source

    register_source(SOURCE_NAME, _deadlines)


register()
