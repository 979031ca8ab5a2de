import datetime as dt

import pytest
from django.utils import timezone

from open12348.legalaid import services, tasks
from open12348.legalaid.choices import ApplicationStatus as S

from .factories import centre_setup, wage_claim

pytestmark = pytest.mark.django_db


def test_the_sweep_withdraws_only_applications_past_their_materials_date_and_is_idempotent(monkeypatch):
    setup = centre_setup()
    late = services.application_create(actor=setup["window_staff"], centre=setup["centre"], channel="window",
                                       **wage_claim())
    services.supplement_request(actor=setup["reviewer"], application=late, items=["工资欠条"])
    waiting = services.application_create(actor=setup["window_staff"], centre=setup["centre"], channel="window",
                                          **wage_claim(applicant={"name": "李四", "id_number": "11010519491231002X"}))
    services.supplement_request(actor=setup["reviewer"], application=waiting, items=["劳动合同"])
    late.refresh_from_db()
    waiting.refresh_from_db()
    # Move only the first request's due date into the past.
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    late.supplement_requests.update(due=yesterday)
    type(late).objects.filter(pk=late.pk).update(supplement_due=yesterday)

    assert tasks.sweep_supplements() == 1
    assert tasks.sweep_supplements() == 0
    late.refresh_from_db()
    waiting.refresh_from_db()
    assert (late.status, waiting.status) == (S.WITHDRAWN_DEEMED, S.SUPPLEMENT_REQUESTED)
