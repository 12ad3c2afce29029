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
