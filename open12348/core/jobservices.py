"""Writes to Job rows, used by tasks to report progress."""

from __future__ import annotations

from django.utils import timezone

from .models import Job


def job_create(*, kind: str, created_by=None, params: dict | None = None, input_file=None) -> Job:
    job = Job(kind=kind, created_by=created_by, params=params or {})
    if input_file is not None:
        job.input_file = input_file
    job.save()
    return job


def job_start(*, job_id: int, total: int = 0) -> None:
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.RUNNING, total=total, progress=0, started_at=timezone.now(), updated_at=timezone.now()
    )


def job_progress(*, job_id: int, progress: int, total: int | None = None, message: str = "") -> None:
    values: dict = {"progress": progress, "updated_at": timezone.now()}
    if total is not None:
        values["total"] = total
    if message:
        values["message"] = message[:500]
    Job.objects.filter(pk=job_id).update(**values)


def job_finish(*, job_id: int, succeeded: bool, message: str = "", result: dict | None = None) -> None:
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.SUCCEEDED if succeeded else Job.Status.FAILED,
        message=message[:500],
        result=result or {},
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
