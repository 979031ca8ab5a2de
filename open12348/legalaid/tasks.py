"""Background work of legal aid: thin, idempotent tasks that take ids."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from . import services
from .choices import ApplicationStatus
from .models import Application

log = logging.getLogger(__name__)


@shared_task(name="legalaid.expire_supplement")
def expire_supplement(application_id: int) -> bool:
    return services.supplement_expire(application_id=application_id)


@shared_task(name="legalaid.sweep_supplements")
def sweep_supplements() -> int:
    """Daily: applications whose materials did not arrive in time are deemed withdrawn (Art. 43).

    Each application is handled in its own transaction, so one failure does not hold up the rest,
    and running the sweep twice changes nothing the second time.
    """
    today = timezone.localdate()
    ids = list(Application.objects.filter(status=ApplicationStatus.SUPPLEMENT_REQUESTED, supplement_due__lt=today)
               .values_list("id", flat=True))
    expired = 0
    for application_id in ids:
        try:
            expired += services.supplement_expire(application_id=application_id, today=today)
        except Exception:  # one broken record must not stop the sweep; it is logged and retried tomorrow
            log.exception("could not expire the materials request of application %s", application_id)
    return expired
