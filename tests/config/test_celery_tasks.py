"""The worker finds every task, wherever its feature package keeps it, under its old name."""

from django.conf import settings

# Names that queued messages, beat schedules and other nodes' habits rely on.
NAMES = {
    "observations.ping",
    "exchange.sync_partner",
    "exchange.sync_all",
    "exchange.reevaluate_agreement",
    "exchange.release_embargoes",
    "exchange.purge_nonces",
    "exchange.build_export",
    "exchange.purge_exports",
    "exchange.publish_dataset_version",
    "exchange.build_summary",
    "exchange.schedule_summaries",
}


def test_the_worker_registers_every_task_by_its_stable_name():
    from config.celery import app

    app.loader.import_default_modules()  # what a worker does when it starts
    registered = set(app.tasks)
    assert registered >= NAMES
    assert {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()} <= registered
