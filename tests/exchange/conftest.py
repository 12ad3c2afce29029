"""Two real nodes on loopback.

This test process is the Russian node (its test database, Django's live
server, the session's real Celery worker). The Chinese node is a second
Django process started here with its own database, its own key and
``NODE_CODE=CN``, serving HTTP on another port. The two talk only over
HTTP, signed, as two nodes across the border would.
"""

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from exchange.models import Node, SyncState
from exchange.signing import generate_private_key, private_key_to_text, public_key_text

ROOT = Path(__file__).resolve().parents[2]


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


def _partner_database_url(tmp_path) -> str:
    """The Chinese node's own database, on the same server as the tests' one."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{tmp_path / 'cn.sqlite3'}"
    import psycopg

    # Named after the tests' own database, so that two suites on one server
    # (two checkouts, two CI jobs) never drop each other's partner database.
    base, own = url.split("?", 1)[0].rsplit("/", 1)
    name = f"test_{own}_partner_cn"
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


@dataclass
class PartnerNode:
    """The Chinese node: a separate process reached over HTTP, and its manage.py."""

    url: str
    env: dict
    tokens: dict = field(default_factory=dict)

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        if done.returncode != 0:
            raise AssertionError(
                f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
            )
        return done.stdout

    def token(self, username: str) -> str:
        if username not in self.tokens:
            out = self.manage("drf_create_token", username)
            self.tokens[username] = out.strip().split()[2]
        return self.tokens[username]

    def api(self, username: str, method: str, path: str, **kwargs):
        headers = {"Authorization": f"Token {self.token(username)}"}
        return requests.request(method, self.url + path, headers=headers, timeout=30, **kwargs)


@pytest.fixture(scope="session")
def cn_node(node_keys, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cn-node")
    port = _free_port()
    env = {
        **os.environ,
        "NODE_CODE": "CN",
        "DATABASE_URL": _partner_database_url(tmp),
        "EXCHANGE_PRIVATE_KEY": node_keys["CN"].private,
        "CELERY_BROKER_URL": "",  # the partner's own tasks run in-process
        "CELERY_RESULT_BACKEND": "",
        "DEBUG": "true",
        "MEDIA_ROOT": str(tmp / "media"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONPATH": str(ROOT),
        "LOG_LEVEL": "WARNING",
    }
    node = PartnerNode(url=f"http://127.0.0.1:{port}", env=env)
    node.manage("migrate", "--noinput")
    node.manage("load_seeds")
    node.manage("load_demo_data", "--years", "0")
    log = (tmp / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(100):
            try:
                if requests.get(node.url + "/health/", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                time.sleep(0.2)
        else:
            raise AssertionError((tmp / "server.log").read_text())
        yield node
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def two_nodes(settings, live_server, cn_node, node_keys, celery_worker, seeds):
    """Russian node (here) and Chinese node (the other process) know each other.

    The Chinese node shares the six joint species with us, tigers at 10 km.
    """
    settings.NODE_CODE = "RU"
    settings.EXCHANGE_PRIVATE_KEY = node_keys["RU"].private
    partner = Node.objects.create(
        code="CN", base_url=cn_node.url, public_key=node_keys["CN"].public, name="China node"
    )
    SyncState.objects.create(partner=partner)
    cn_node.manage(
        "exchange_partner",
        "RU",
        "--url",
        live_server.url,
        "--public-key",
        node_keys["RU"].public,
        "--reset",
    )
    cn_node.manage("exchange_agreement", "RU", "--precision", "Panthera tigris altaica=10km")
    return cn_node
