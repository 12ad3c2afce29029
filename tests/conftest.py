"""Fixtures shared by the whole suite: seeds, named people, a real Celery worker.

The people are those of the demo (README): a ranger and a manager on each side
of Khanka Lake, a coordinator per country, a reviewer and an admin, plus
``outsider``, a ranger of another PA, for the refusals, and ``nobody``, who
belongs nowhere.

Seeds and people are loaded once, into the test database at session setup: each
ordinary test runs in a transaction rolled back at its end, so they are there for every
test. A transactional test (``transactional_db``, ``live_server``, ``celery_worker``)
commits, and Django empties the database after it: the ``seeds`` and ``people`` fixtures
load them again only when they are missing (pytest-django runs the transactional tests
after the others, so only they pay).
"""

import os
import tempfile

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

from observations.demo import DEMO_USERS, ensure_demo_users
from observations.models import Membership, ProtectedArea, Role, Species
from observations.seeds import load_seeds

# The real hasher takes ~0.3 s per password by design; tests sign in often.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
PEOPLE = [spec.username for spec in DEMO_USERS] + ["outsider", "nobody"]


def _load_seeds_and_people() -> None:
    """Seeds and the named people, each only if missing (idempotent, cheap when there)."""
    if not ProtectedArea.objects.exists():
        load_seeds()
    if get_user_model().objects.filter(username__in=PEOPLE).count() == len(PEOPLE):
        return
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        ensure_demo_users(password="demo")
        from .factories import UserFactory

        outsider = get_user_model().objects.filter(username="outsider").first()
        if outsider is None:
            UserFactory(
                username="outsider",
                membership__role=Role.RANGER,
                membership__protected_area=ProtectedArea.objects.get(code="RU-BASTAK"),
            )
        if not get_user_model().objects.filter(username="nobody").exists():
            UserFactory(username="nobody", membership=None)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, django_db_keepdb):
    """pytest-django's test database, then the seeds and the people, once per session.

    A kept database (``--reuse-db``, CI) may hold what an interrupted transactional test
    committed: it is emptied first."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        if django_db_keepdb:
            call_command("flush", interactive=False, verbosity=0)
        _load_seeds_and_people()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.LANGUAGE_CODE = "en"
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def seeds(db):
    """Protected areas and species from seeds/: loaded at session setup, loaded again only
    after a transactional test emptied the database."""
    if not ProtectedArea.objects.exists():
        load_seeds()


@pytest.fixture
def no_seeds(db):
    """A node before its seeds: the session's seeds and people taken away, for this test
    only (its transaction is rolled back)."""
    Membership.objects.all().delete()
    get_user_model().objects.all().delete()
    ProtectedArea.objects.all().delete()
    Species.objects.all().delete()


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
def people(seeds):
    """The demo people (password "demo"), ``outsider`` (a ranger at Bastak) and ``nobody``."""
    _load_seeds_and_people()
    return People(get_user_model().objects.filter(username__in=PEOPLE))


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
    if not HAS_REAL_BROKER:
        # Kombu's in-memory transport looks at an empty queue once a second: every task a
        # test hands to the worker would wait up to a second to be picked up. (Redis
        # blocks on the queue instead: nothing to set there.)
        app.conf.broker_transport_options = {"polling_interval": 0.01}
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
    """SQLite (``make test``): the test database is a file in memory (/dev/shm), not
    SQLite's shared in-memory database. There a second writer fails at once ("database
    table is locked") while the in-process Celery worker writes; with a file, SQLite makes
    it wait (the 30 s timeout of config/settings.py), as on a laptop's real database.

    Django's live server then answers one request at a time on SQLite, as before: on the
    in-memory database its request threads shared the one connection, and two requests at
    once (a browser's parallel photo uploads) interleaved their transactions ("no such
    savepoint"). On PostgreSQL (CI, production) it stays threaded."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if not database["ENGINE"].endswith("sqlite3"):
        return
    folder = "/dev/shm" if os.path.isdir("/dev/shm") else tempfile.gettempdir()
    # One file per test process: two runs at once never share (or delete) each other's.
    test = database.setdefault("TEST", {})  # (Django has filled it in: NAME is None)
    if not test.get("NAME"):
        test["NAME"] = os.path.join(folder, f"amur-test-{os.getpid()}.sqlite3")
    from django.core.servers.basehttp import WSGIServer
    from django.test import testcases

    class OneRequestAtATime(WSGIServer):
        def __init__(self, *args, connections_override=None, **kwargs):
            super().__init__(*args, **kwargs)
            self.connections_override = connections_override  # the serving thread has them

    testcases.LiveServerThread.server_class = OneRequestAtATime


# --- CI: a skipped test is a failure -------------------------------------------------------

SKIPPED: list[tuple[str, str]] = []


def _skip_reason(report) -> str:
    longrepr = report.longrepr
    return longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)


def pytest_runtest_logreport(report):
    if report.skipped and not hasattr(report, "wasxfail"):
        SKIPPED.append((report.nodeid, _skip_reason(report)))


def pytest_collectreport(report):
    if report.skipped:
        SKIPPED.append((report.nodeid, _skip_reason(report)))


def _no_skips() -> bool:
    """CI (``.ci/run`` sets CI_NO_SKIPS=1) has the broker, the browser and every standard:
    there a test that skips hides a check that did not run."""
    return os.environ.get("CI_NO_SKIPS") == "1"


def pytest_terminal_summary(terminalreporter):
    if _no_skips() and SKIPPED:
        terminalreporter.section("skipped tests fail the run (CI_NO_SKIPS=1)", red=True)
        for nodeid, reason in SKIPPED:
            terminalreporter.write_line(f"SKIPPED {nodeid}: {reason}", red=True)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    if _no_skips() and SKIPPED and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
