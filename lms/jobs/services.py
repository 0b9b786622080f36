"""Starting a job, running it, and recording its progress.

An app registers a function per job kind in its `AppConfig.ready()`:

    jobs.services.job_kinds.register("bulk_enroll", bulk_enroll_run)

The function gets the `Job` and works through its input in batches, each batch its own
transaction, calling `job_progress` after each; what it returns becomes `result`. An
exception it raises marks the job `failed` with the message: a job never dies silently.
"""

import logging

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from lms.common.registry import Registry

from .models import Job

logger = logging.getLogger(__name__)

#: Job functions by kind: hook(job: Job) -> dict (the result).
job_kinds = Registry("job kinds")

FAILED_MESSAGE = "The job stopped on an unexpected error; the rows already processed stay."


def job_start(*, kind: str, created_by, params: dict, total: int | None = None) -> Job:
    """Record a queued job and run it once the caller's transaction commits.

    Without a broker the job runs in process, so it has finished when this returns
    to a caller outside a transaction.
    """
    if kind not in dict(job_kinds.items()):
        raise ValueError(f"Unknown job kind {kind!r}")
    job = Job.objects.create(kind=kind, created_by=created_by, params=params, total=total)
    transaction.on_commit(lambda: job_run.delay(job_id=job.pk))
    return job


@shared_task(name="lms.jobs.tasks.job_run", acks_late=True)
def job_run(*, job_id: int) -> None:
    """Celery's entry: run the job (in process when no broker is configured)."""
    job_execute(job_id)


def job_progress(
    job: Job, *, processed: int, result: dict | None = None, errors: list | None = None
) -> None:
    """Save how far `job` got (after a batch committed), so a client can draw a bar."""
    job.processed = processed
    fields = ["processed", "updated_at"]
    if result is not None:
        job.result = result
        fields.append("result")
    if errors is not None:
        job.errors = errors
        fields.append("errors")
    job.save(update_fields=fields)


def job_execute(job_id: int) -> Job | None:
    """Run a queued job to its end: succeeded with its result, or failed with a message."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != Job.Status.QUEUED:
            return job  # gone, or already taken by another worker (a redelivered task)
        job.status = Job.Status.RUNNING
        job.started_at = timezone.now()
        job.save(update_fields=["status", "started_at", "updated_at"])
    run = dict(job_kinds.items()).get(job.kind)
    try:
        if run is None:
            raise LookupError(f"No function is registered for job kind {job.kind!r}")
        result = run(job)
    except Exception as exc:
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        job.status = Job.Status.FAILED
        job.message = f"{FAILED_MESSAGE} ({type(exc).__name__}: {exc})"[:2000]
    else:
        job.status = Job.Status.SUCCEEDED
        job.result = result if result is not None else job.result
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "message", "result", "finished_at", "updated_at"])
    return job
