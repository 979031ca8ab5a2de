import threading

import pytest
from celery import shared_task
from django.db import transaction

from open12348.core import jobs
from open12348.core.jobservices import job_create, job_finish, job_progress, job_start
from open12348.core.models import Job

calls: list[int] = []
ran = threading.Event()


@shared_task
def record_call(job_id: int) -> None:
    calls.append(job_id)
    ran.set()


@pytest.mark.django_db(transaction=True)
def test_enqueue_runs_only_after_the_transaction_commits():
    calls.clear()
    with transaction.atomic():
        jobs.enqueue(record_call, 7)
        assert calls == []
    assert calls == [7]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_starts_nothing():
    calls.clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        jobs.enqueue(record_call, 8)
        raise RuntimeError("rollback")
    assert calls == []


@pytest.mark.django_db(transaction=True)
def test_thread_backend_runs_in_the_background(settings):
    settings.JOBS_BACKEND = "thread"
    calls.clear()
    ran.clear()
    jobs.enqueue(record_call, 9)
    assert ran.wait(timeout=10)
    assert calls == [9]


@pytest.mark.django_db
def test_job_progress_is_visible_and_percent_is_bounded():
    job = job_create(kind="test")
    job_start(job_id=job.pk, total=400)
    job_progress(job_id=job.pk, progress=100)
    job.refresh_from_db()
    assert (job.status, job.percent, job.is_finished) == (Job.Status.RUNNING, 25, False)
    job_finish(job_id=job.pk, succeeded=True, result={"created": 400})
    job.refresh_from_db()
    assert (job.status, job.percent, job.is_finished, job.result) == (Job.Status.SUCCEEDED, 100, True, {"created": 400})
