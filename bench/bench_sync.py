"""Sync between two nodes on PostgreSQL over HTTP (issue 6).

The Chinese node runs as its own process (gunicorn) on its own database; this
process is the Russian node pulling from it, as its worker would.

Targets: initial sync of 100,000 observations under 60 s; an incremental sync
of 10 new records when each node holds 1,000,000 under 1 s, i.e. the cost
follows the number of changes, not the size of the database (both sizes'
figures are printed). Baseline in the same run: PostgreSQL's own COPY of the
same 100,000 rows between the two databases, the floor of any transfer.
"""

import io
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import connection

from exchange.models import Node, ReceivedRecord, SyncState
from exchange.signing import generate_private_key, private_key_to_text, public_key_text
from exchange.sync.page import PullResult
from exchange.sync.pull import pull

from .synthetic import fill_observations

ROOT = Path(__file__).resolve().parents[1]
INITIAL, LARGE, NEW = 100_000, 1_000_000, 10


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PartnerProcess:
    def __init__(self, url: str, key: str):
        self.url, self.port = url, _free_port()
        self.env = {
            **os.environ,
            "NODE_CODE": "CN",
            "DATABASE_URL": url,
            "EXCHANGE_PRIVATE_KEY": key,
            "CELERY_BROKER_URL": "",
            "DEBUG": "false",
            "SECRET_KEY": "bench-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "LOG_LEVEL": "WARNING",
        }

    def manage(self, *args):
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
        )

    def __enter__(self):
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "-b",
                f"127.0.0.1:{self.port}",
                "-w",
                "2",
                "--timeout",
                "300",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import requests

        for _ in range(100):
            try:
                requests.get(f"http://127.0.0.1:{self.port}/health/", timeout=5)
                break
            except requests.RequestException:
                time.sleep(0.2)
        return self

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait(timeout=20)


def _partner_db(url: str) -> str:
    base, name = url.rsplit("/", 1)
    cn_url = f"{base}/{name}_cn"
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        if not conn.execute(
            "SELECT 1 FROM pg_database WHERE datname=%s", [f"{name}_cn"]
        ).fetchone():
            conn.execute(f'CREATE DATABASE "{name}_cn"')
    return cn_url


def _reset_pull_side(partner: Node, checkpoint: int = 0) -> None:
    with connection.cursor() as cur:
        cur.execute("DELETE FROM observations_observation WHERE origin_node = 'CN'")
    ReceivedRecord.objects.filter(partner=partner).delete()
    SyncState.objects.filter(partner=partner).update(
        checkpoint=checkpoint, running_since=None, records_received=0
    )


def _timed_pull(partner: Node) -> tuple[float, PullResult]:
    start = time.perf_counter()
    result = pull(partner, limit=2000)
    return time.perf_counter() - start, result


def _add_new_records(cn: PartnerProcess, n: int) -> None:
    """n new verified records on the Chinese node, through its own services."""
    code = f"""
import datetime as dt
from django.contrib.auth import get_user_model
from observations.access import access_for
from observations.demo import ensure_demo_users
from observations.records.services import observation_create, record_submit, record_verify
ensure_demo_users()
U = get_user_model().objects
ranger, manager = U.get(username="ranger_cn"), U.get(username="manager_cn")
for i in range({n}):
    obs, _ = observation_create(access=access_for(ranger), user=ranger, values={{
        "protected_area": "CN-XINGKAIHU", "species": "Grus japonensis",
        "observed_at": dt.datetime.now(dt.UTC) - dt.timedelta(hours=i + 1),
        "latitude": 45.2, "longitude": 132.5, "count": i + 1, "evidence": "sighting"}})
    record_submit(access=access_for(ranger), user=ranger, record=obs)
    record_verify(access=access_for(manager), user=manager, record=obs)
"""
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=cn.env,
        check=True,
        capture_output=True,
    )


def _copy_baseline(cn_url: str, rows: int) -> float:
    """COPY the same rows out of the partner's database and into ours: the transfer floor."""
    start = time.perf_counter()
    buffer = io.BytesIO()
    query = f"COPY (SELECT * FROM observations_observation LIMIT {rows}) TO STDOUT"
    with psycopg.connect(cn_url) as src, src.cursor() as cur, cur.copy(query) as c:
        for block in c:
            buffer.write(block)
    with connection.cursor() as cur:
        cur.execute("CREATE TEMP TABLE copy_baseline (LIKE observations_observation)")
        with cur.connection.cursor().copy("COPY copy_baseline FROM STDIN") as c:
            c.write(buffer.getvalue())
        cur.execute("DROP TABLE copy_baseline")
    return time.perf_counter() - start


def run() -> None:
    cn_url = _partner_db(os.environ["DATABASE_URL"])
    ru_key, cn_key = generate_private_key(), generate_private_key()
    settings.EXCHANGE_PRIVATE_KEY = private_key_to_text(ru_key)
    cn = PartnerProcess(cn_url, private_key_to_text(cn_key))
    cn.manage("migrate", "--noinput")
    cn.manage("load_seeds")
    # The agreement first: setting it later re-evaluates every record (a feed entry each).
    cn.manage(
        "exchange_partner",
        "RU",
        "--url",
        "http://127.0.0.1:9",
        "--public-key",
        public_key_text(ru_key),
    )
    cn.manage("exchange_agreement", "RU")
    with psycopg.connect(cn_url, autocommit=True) as conn, conn.cursor() as cur:
        fill_observations(INITIAL, node="CN", cursor=cur, feed=True)

    with cn:
        partner, _ = Node.objects.update_or_create(
            code="CN",
            defaults={
                "base_url": f"http://127.0.0.1:{cn.port}",
                "public_key": public_key_text(cn_key),
            },
        )
        SyncState.objects.get_or_create(partner=partner)
        baseline = _copy_baseline(cn_url, INITIAL)
        _reset_pull_side(partner)
        seconds, result = _timed_pull(partner)
        print(
            f"initial sync of {result.upserts:,} observations ({result.pages} pages): "
            f"{seconds:.1f} s; target < 60 s -> {'OK' if seconds < 60 else 'MISSED'}"
        )
        print(
            f"baseline, COPY of the same {INITIAL:,} rows between the databases: {baseline:.1f} s"
        )

        _add_new_records(cn, NEW)
        small, result = _timed_pull(partner)
        print(
            f"incremental sync of {result.upserts} new records, nodes at {INITIAL:,}: "
            f"{small * 1000:.0f} ms"
        )

        # Both nodes at a million: the partner's feed holds a million entries, we hold a
        # million own records, and our checkpoint is at the partner's head.
        with psycopg.connect(cn_url, autocommit=True) as conn, conn.cursor() as cur:
            fill_observations(LARGE, node="CN", cursor=cur, feed=True)
            cur.execute("SELECT max(seq) FROM exchange_changeentry")
            cn_head = cur.fetchone()[0]
        fill_observations(LARGE, node="RU")
        _reset_pull_side(partner, checkpoint=cn_head)
        _add_new_records(cn, NEW)
        large, result = _timed_pull(partner)
        print(
            f"incremental sync of {result.upserts} new records, nodes at {LARGE:,}: "
            f"{large * 1000:.0f} ms; target < 1000 ms -> {'OK' if large < 1 else 'MISSED'}"
        )
