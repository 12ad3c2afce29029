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


# --- camera traps -------------------------------------------------------------------


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

    from .camera.ingest import media_ingest

    try:
        media = media_ingest(media_id=media_id)
    except (OperationalError, InterfaceError) as exc:
        raise self.retry(exc=exc, countdown=5 * (self.request.retries + 1)) from exc
    return {
        "id": str(media.pk),
        "status": media.status,
        "sequence": str(media.sequence_id) if media.sequence_id else None,
    }
