"""Celery tasks of the field-record domain: thin, idempotent, given ids and plain values."""

from celery import shared_task
from django.conf import settings
from django.utils import timezone


@shared_task(name="observations.ping", acks_late=False, soft_time_limit=8, time_limit=10)
def ping() -> dict:
    """Proves that a worker takes tasks from the broker and can reach the database.

    Used by /health/?deep=1 and by the tests of the task wiring.
    """
    from .models import ProtectedArea

    return {
        "node": settings.NODE_CODE,
        "at": timezone.now().isoformat(),
        "protected_areas": ProtectedArea.objects.count(),
    }


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
    """Run a file import job (observations.imports.service). Idempotent: a finished job is
    left alone, an interrupted one resumes after its last committed chunk; retried only
    when the database was briefly unreachable."""
    from django.db import InterfaceError, OperationalError

    from .imports.service import import_job_abandon, import_job_run

    try:
        job = import_job_run(job_id=job_id)
    except (OperationalError, InterfaceError) as exc:
        if self.request.retries >= self.max_retries:
            import_job_abandon(job_id=job_id)
            raise
        raise self.retry(exc=exc, countdown=10 * (self.request.retries + 1)) from exc
    return {"id": str(job.pk), "status": job.status, "created": job.created}
