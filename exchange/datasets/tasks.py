"""Celery tasks of shared datasets: thin wrappers over exchange.datasets.publish.

The registered name (``exchange.publish_dataset_version``) is older than this module and
stays as it is: queued messages use it.
"""

from celery import shared_task

from .publish import version_build


@shared_task(
    name="exchange.publish_dataset_version",
    acks_late=True,
    soft_time_limit=1800,
    time_limit=1860,
)
def publish_dataset_version(version_id: str) -> dict:
    """Freeze a big dataset version (INSERT ... SELECT, checksum, citation). A failure is
    recorded on the version; a redelivered task finds it finished and leaves it alone."""
    version = version_build(version_id=version_id)
    return {"id": str(version.pk), "status": version.status, "rows": version.row_count}
