"""Tasks run on a real worker (Celery's test worker): eager mode is not a test of a task."""

import pytest

from observations.tasks import ping

pytestmark = pytest.mark.celery


def test_a_task_travels_through_the_broker_to_a_worker_and_back(celery_worker, seeds):
    result = ping.delay()
    body = result.get(timeout=20)
    assert body["node"] == "RU"
    assert body["protected_areas"] >= 29  # the worker reads the same database


def test_tasks_are_configured_for_idempotent_redelivery(celery_app_configured):
    conf = celery_app_configured.conf
    assert conf.task_acks_late is True
    assert conf.task_serializer == "json"
    assert conf.task_time_limit and conf.task_soft_time_limit


def test_a_worker_registers_the_feature_packages_tasks(celery_app_configured):
    """A worker imports each app's ``tasks`` and the feature packages' own (config.celery)."""
    celery_app_configured.loader.import_default_modules()
    assert {"observations.ping", "observations.import_rows", "observations.ingest_media"} <= set(
        celery_app_configured.tasks
    )
