"""Fixtures shared by the whole suite: seeds, named people, a real Celery worker.

The people are those of the demo (README): a ranger and a manager on each side
of Khanka Lake, a coordinator per country, a reviewer and an admin, plus
``outsider``, a ranger of another PA, for the refusals.
"""

import os

import pytest
from django.contrib.auth import get_user_model

from observations.demo import ensure_demo_users
from observations.models import Membership, ProtectedArea, Role
from observations.seeds import load_seeds


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.LANGUAGE_CODE = "en"
    # The real hasher takes ~0.3 s per password by design; the people are made per test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def seeds(db):
    """Protected areas and species from seeds/, loaded once per test database state."""
    if not ProtectedArea.objects.exists():
        load_seeds()


@pytest.fixture
def khankaisky(seeds):
    return ProtectedArea.objects.get(code="RU-KHANKAISKY")


@pytest.fixture
def xingkaihu(seeds):
    return ProtectedArea.objects.get(code="CN-XINGKAIHU")


@pytest.fixture
def bastak(seeds):
    return ProtectedArea.objects.get(code="RU-BASTAK")


class People:
    """The named people of the stories, looked up by attribute: people.ranger_ru."""

    def __init__(self, users):
        self._users = {u.username: u for u in users}

    def __getattr__(self, name):
        try:
            return self._users[name]
        except KeyError as exc:
            raise AttributeError(name) from exc


@pytest.fixture
def people(seeds, bastak):
    users = ensure_demo_users(password="demo")
    outsider = get_user_model().objects.create_user("outsider", password="demo")
    Membership.objects.create(user=outsider, role=Role.RANGER, protected_area=bastak)
    nobody = get_user_model().objects.create_user("nobody", password="demo")
    return People([*users, outsider, nobody])


@pytest.fixture
def api(client):
    """A DRF test client (JSON by default)."""
    from rest_framework.test import APIClient

    return APIClient()


# --- Celery: a real worker, never eager mode ------------------------------------

BROKER_URL = os.environ.get("CELERY_BROKER_URL") or "memory://"
RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or (
    os.environ.get("CELERY_BROKER_URL") or "cache+memory://"
)
HAS_REAL_BROKER = BROKER_URL.startswith("redis")


@pytest.fixture(scope="session")
def celery_app_configured():
    from config.celery import app

    app.conf.update(
        broker_url=BROKER_URL,
        result_backend=RESULT_BACKEND,
        task_always_eager=False,
        broker_connection_retry_on_startup=True,
    )
    return app


@pytest.fixture(scope="session")
def _celery_worker_session(celery_app_configured, django_db_setup, django_db_blocker):
    """One in-process Celery worker (Celery's own test worker) for the whole session."""
    import celery.contrib.testing.tasks  # noqa: F401 - registers celery.ping for the ping check
    from celery.contrib.testing.worker import start_worker

    with (
        django_db_blocker.unblock(),
        start_worker(
            celery_app_configured,
            pool="solo",
            concurrency=1,
            perform_ping_check=HAS_REAL_BROKER,
            shutdown_timeout=20,
            loglevel="WARNING",
        ) as worker,
    ):
        yield worker


@pytest.fixture
def celery_worker(_celery_worker_session, transactional_db, settings):
    """A running worker; the test's data is committed so that the worker sees it."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    return _celery_worker_session


# --- the live server on SQLite -------------------------------------------------------------


def pytest_configure(config):
    """On SQLite's in-memory test database, Django's live server gives every request thread
    the one shared connection: two requests at once (a browser's parallel photo uploads)
    then interleave their transactions ("no such savepoint", "on_commit() cannot be used in
    manual transaction management"). There the live server answers one request at a time;
    on PostgreSQL (CI, production) it stays threaded."""
    from django.conf import settings

    if not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        return
    from django.core.servers.basehttp import WSGIServer
    from django.test import testcases

    class OneRequestAtATime(WSGIServer):
        def __init__(self, *args, connections_override=None, **kwargs):
            super().__init__(*args, **kwargs)
            self.connections_override = connections_override  # the serving thread has them

    testcases.LiveServerThread.server_class = OneRequestAtATime
