"""/health/ tells an operator whether the node can work: database, broker, workers."""

import pytest

from tests.conftest import HAS_REAL_BROKER

pytestmark = pytest.mark.django_db


def test_with_no_broker_tasks_run_in_process_and_the_node_is_healthy(client, settings):
    from config.celery import app

    app.conf.task_always_eager = True
    try:
        body = client.get("/health/").json()
    finally:
        app.conf.task_always_eager = False
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert "in-process" in body["broker"]["mode"]


def test_an_unreachable_broker_is_reported_with_503(client, monkeypatch):
    from celery import Celery

    import config.health

    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)  # Celery lets it override the app
    dead = Celery("dead", broker="redis://127.0.0.1:1/0")  # nothing listens on port 1
    monkeypatch.setattr(config.health, "celery_app", dead)
    response = client.get("/health/")
    assert response.status_code == 503
    body = response.json()
    assert body["broker"]["ok"] is False
    assert body["database"]["ok"] is True


@pytest.mark.skipif(not HAS_REAL_BROKER, reason="worker ping needs a real broker (Redis in CI)")
def test_a_running_worker_is_seen(client, celery_worker):
    body = client.get("/health/").json()
    assert body["broker"]["ok"] is True
    assert body["workers"]["count"] >= 1
    assert body["status"] == "ok"
