"""Celery tasks of the camera traps: thin, idempotent, given ids and plain values.

The registered names stay ``observations.*`` (queued messages and the tests name them).
config/celery.py has the worker import this module beside each app's ``tasks``.
"""

from celery import shared_task


@shared_task(
    name="observations.ingest_media",
    bind=True,
    acks_late=True,
    max_retries=3,
    soft_time_limit=120,
    time_limit=180,
)
def ingest_media(self, media_id: str) -> dict:
    """Read one photo's EXIF, make its thumbnail and preview, place it in its sequence
    (observations.camera.ingest). Idempotent: a photo already ready is left alone; retried
    only when the database was briefly unreachable."""
    from django.db import InterfaceError, OperationalError

    from .ingest import media_ingest

    try:
        media = media_ingest(media_id=media_id)
    except (OperationalError, InterfaceError) as exc:
        raise self.retry(exc=exc, countdown=5 * (self.request.retries + 1)) from exc
    return {
        "id": str(media.pk),
        "status": media.status,
        "sequence": str(media.sequence_id) if media.sequence_id else None,
    }
