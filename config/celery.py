"""The Celery app: a few lines of wiring; settings live in config.settings (CELERY_*)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("amur_exchange")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Feature packages whose tasks live in their own tasks.py (beside the apps' own).
app.autodiscover_tasks(["observations.imports"])
