"""Celery task of the file import: thin and idempotent, given the job's id.

The task keeps its registered name ``observations.import_rows`` (queued tasks and
deployments name it); config.celery discovers this module.
"""

from celery import shared_task
from django.conf import settings

# A 20 MB file (~190,000 rows) takes about a minute on a busy two-core machine; the limits
# only stop a runaway.
IMPORT_SOFT_TIME_LIMIT = getattr(settings, "IMPORT_TASK_SOFT_TIME_LIMIT", 900)


@shared_task(
    name="observations.import_rows",
    bind=True,
    acks_late=True,
    max_retries=3,
    soft_time_limit=IMPORT_SOFT_TIME_LIMIT,
    time_limit=IMPORT_SOFT_TIME_LIMIT + 60,
)
def import_rows(self, job_id: str) -> dict:
    """Run a file import job (observations.imports.services). Idempotent: a finished job is
    left alone, an interrupted one resumes after its last committed chunk; retried only
    when the database was briefly unreachable."""
    from django.db import InterfaceError, OperationalError

    from .services import import_job_abandon, import_job_run

    try:
        job = import_job_run(job_id=job_id)
    except (OperationalError, InterfaceError) as exc:
        if self.request.retries >= self.max_retries:
            import_job_abandon(job_id=job_id)
            raise
        raise self.retry(exc=exc, countdown=10 * (self.request.retries + 1)) from exc
    return {"id": str(job.pk), "status": job.status, "created": job.created}
