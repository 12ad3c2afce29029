"""The Celery app: a few lines of wiring; settings live in config.settings (CELERY_*)."""

import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("amur_exchange")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def feature_packages() -> list[str]:
    """The feature packages of our apps that have a ``tasks.py`` (exchange.exports, ...):
    a feature keeps its tasks beside its service, and the worker must still find them."""
    from django.conf import settings

    found = []
    for name in settings.LOCAL_APPS:
        root = Path(settings.BASE_DIR) / name
        found += sorted(
            f"{name}.{sub.name}" for sub in root.iterdir() if (sub / "tasks.py").is_file()
        )
    return found


app.autodiscover_tasks(feature_packages)
