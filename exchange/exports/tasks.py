"""Celery tasks of exports: thin wrappers over exchange.exports.service.

The registered names (``exchange.build_export``, ``exchange.purge_exports``) are older
than this module and stay as they are: queued messages and schedules use them.
A million-row Darwin Core Archive takes about ten seconds; the limits only stop a runaway.
"""

from celery import shared_task

from .service import export_run, exports_purge


@shared_task(name="exchange.build_export", acks_late=True, soft_time_limit=1800, time_limit=1860)
def build_export(job_id: str) -> dict:
    """Build one export's file. A failure is recorded on the job (the user may ask again);
    a redelivered task finds a finished job and leaves it alone."""
    job = export_run(job_id=job_id)
    return {"id": str(job.pk), "status": job.status, "rows": job.total_rows}


@shared_task(name="exchange.purge_exports", soft_time_limit=300, time_limit=360)
def purge_exports() -> int:
    """Delete exports past their expiry (files and jobs)."""
    return exports_purge()
