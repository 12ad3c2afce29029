"""Two real nodes on loopback.

This test process is the Russian node (its test database, Django's live
server, the session's real Celery worker). The Chinese node is a second
Django process started here with its own database, its own key and
``NODE_CODE=CN``, serving HTTP on another port. The two talk only over
HTTP, signed, as two nodes across the border would.

Each two-node story starts from the same Chinese node: the session migrates and seeds it
once, loads the demo people (``load_demo_data --years 0``: no records), introduces our
node and the agreement (tigers at 10 km), makes its people's API tokens, and keeps that
database as a template. Before every story the partner's database is replaced by a copy
of the template (PostgreSQL: ``CREATE DATABASE ... TEMPLATE``; SQLite: SQLite's backup of
the template file). The partner's server and its manage.py process keep running: they
hold no state outside the database (they close their connections after every request and
command) and their media directory is emptied too.
"""

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from exchange.models import Node, SyncState
from exchange.signing import generate_private_key, private_key_to_text, public_key_text

from ..waiting import wait_for_idle_worker, wait_until

ROOT = Path(__file__).resolve().parents[2]
PARTNER_PEOPLE = ("ranger_cn", "manager_cn", "coordinator_cn")


@dataclass
class Keys:
    private: str
    public: str


def _keys() -> Keys:
    key = generate_private_key()
    return Keys(private_key_to_text(key), public_key_text(key))


@pytest.fixture(scope="session")
def node_keys():
    return {"RU": _keys(), "CN": _keys()}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PartnerDatabase:
    """The Chinese node's database and its template, on the tests' own database server."""

    def __init__(self, tmp: Path):
        url = os.environ.get("DATABASE_URL", "")
        self.postgres = url.startswith("postgres")
        if not self.postgres:
            self.path, self.template = tmp / "cn.sqlite3", tmp / "cn-template.sqlite3"
            self.url = f"sqlite:///{self.path}"
            return
        # Named after the tests' own database, so that two suites on one server
        # (two checkouts, two CI jobs) never drop each other's partner database.
        base, own = url.split("?", 1)[0].rsplit("/", 1)
        self.admin_url = base + "/postgres"
        self.name, self.template = f"test_{own}_partner_cn", f"test_{own}_partner_cn_template"
        self.url = f"{base}/{self.name}"
        self._sql(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')
        self._sql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self._sql(f'CREATE DATABASE "{self.name}"')

    def _sql(self, *statements: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement)

    def keep_as_template(self) -> None:
        """The database as it is now becomes the state every story starts from."""
        if self.postgres:  # (no connection is open: the partner closes them all)
            self._sql(f'CREATE DATABASE "{self.template}" TEMPLATE "{self.name}"')
        else:
            self._copy(self.path, self.template)

    def restore(self) -> None:
        if self.postgres:
            self._sql(
                f'DROP DATABASE "{self.name}" WITH (FORCE)',
                f'CREATE DATABASE "{self.name}" TEMPLATE "{self.template}"',
            )
        else:
            self._copy(self.template, self.path)

    def drop(self) -> None:
        if self.postgres:
            self._sql(
                f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)',
                f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)',
            )

    @staticmethod
    def _copy(source: Path, target: Path) -> None:
        # SQLite's own backup: page by page under its locks, WAL file included.
        with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
        src.close()
        dst.close()


@dataclass
class PartnerNode:
    """The Chinese node: a separate process reached over HTTP, and its manage.py."""

    url: str
    env: dict
    runner: subprocess.Popen
    tokens: dict = field(default_factory=dict)
    before_command: Callable[[], None] | None = None

    def manage(self, *args: str) -> str:
        """``python manage.py *args`` on the Chinese node (its long-running manage.py).

        First our worker finishes what the story gave it: a command on the other node
        sees all that this node did (a separate manage.py took seconds to start, and that
        used to hide it)."""
        if self.before_command is not None:
            self.before_command()
        self.runner.stdin.write(json.dumps(list(args)) + "\n")
        self.runner.stdin.flush()
        line = self.runner.stdout.readline()
        if not line:
            raise AssertionError(f"the partner's manage.py died running {' '.join(args)}")
        done = json.loads(line)
        if done["code"] != 0:
            raise AssertionError(
                f"manage.py {' '.join(args)} failed:\n{done['stdout']}\n{done['stderr']}"
            )
        return done["stdout"]

    def token(self, username: str) -> str:
        if username not in self.tokens:
            out = self.manage("drf_create_token", username)
            self.tokens[username] = out.strip().split()[2]
        return self.tokens[username]

    def api(self, username: str, method: str, path: str, **kwargs):
        headers = {"Authorization": f"Token {self.token(username)}"}
        return requests.request(method, self.url + path, headers=headers, timeout=30, **kwargs)


@pytest.fixture(scope="session")
def _cn_node_session(node_keys, tmp_path_factory, live_server):
    """The Chinese node's processes and the template its stories start from."""
    tmp = tmp_path_factory.mktemp("cn-node")
    database = PartnerDatabase(tmp)
    port = _free_port()
    env = {
        **os.environ,
        "NODE_CODE": "CN",
        "DATABASE_URL": database.url,
        "EXCHANGE_PRIVATE_KEY": node_keys["CN"].private,
        "CELERY_BROKER_URL": "",  # the partner's own tasks run in-process
        "CELERY_RESULT_BACKEND": "",
        "DEBUG": "true",
        "MEDIA_ROOT": str(tmp / "media"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONPATH": str(ROOT),
        "LOG_LEVEL": "WARNING",
    }
    runner = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("partner_manage.py"))],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    log = (tmp / "server.log").open("w")
    server = None
    try:
        node = PartnerNode(url=f"http://127.0.0.1:{port}", env=env, runner=runner)
        node.manage("migrate", "--noinput")
        node.manage("load_seeds")
        node.manage("load_demo_data", "--years", "0")
        node.manage(
            "exchange_partner",
            "RU",
            "--url",
            live_server.url,
            "--public-key",
            node_keys["RU"].public,
            "--reset",
        )
        node.manage("exchange_agreement", "RU", "--precision", "Panthera tigris altaica=10km")
        for username in PARTNER_PEOPLE:
            node.token(username)
        database.keep_as_template()
        template_tokens = dict(node.tokens)
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

        def healthy():
            if server.poll() is not None:
                raise AssertionError((tmp / "server.log").read_text())
            return requests.get(node.url + "/health/", timeout=1).status_code == 200

        wait_until(
            healthy,
            timeout=60,
            ignore=(requests.ConnectionError,),
            message=lambda: "the Chinese node to answer:\n" + (tmp / "server.log").read_text(),
        )
        yield node, database, template_tokens, tmp / "media"
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        runner.stdin.close()
        runner.wait(timeout=30)
        log.close()
        database.drop()


@pytest.fixture
def cn_node(_cn_node_session):
    """The Chinese node, its database a fresh copy of the session's template."""
    node, database, template_tokens, media = _cn_node_session
    database.restore()
    shutil.rmtree(media, ignore_errors=True)
    node.tokens = dict(template_tokens)
    node.before_command = None
    return node


@pytest.fixture
def two_nodes(settings, live_server, cn_node, node_keys, celery_worker, seeds):
    """Russian node (here) and Chinese node (the other process) know each other.

    The Chinese node shares the six joint species with us, tigers at 10 km (its template).
    """
    settings.NODE_CODE = "RU"
    settings.EXCHANGE_PRIVATE_KEY = node_keys["RU"].private
    partner = Node.objects.create(
        code="CN", base_url=cn_node.url, public_key=node_keys["CN"].public, name="China node"
    )
    SyncState.objects.create(partner=partner)
    cn_node.before_command = lambda: wait_for_idle_worker(celery_worker.app)
    return cn_node
