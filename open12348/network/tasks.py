"""Background tasks of the service network. Thin: they take ids and call the module that does the work."""

from celery import shared_task

from .imports import import_run


@shared_task(name="network.import_run")
def import_run_task(job_id: int) -> None:
    """Run one import job. Safe to deliver twice: a finished job is not run again."""
    import_run(job_id=job_id)
