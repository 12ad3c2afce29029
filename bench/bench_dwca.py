"""Darwin Core Archive of 1,000,000 occurrences from PostgreSQL (issue: census & exports).

The asker is a Chinese coordinator on the Russian node: every Russian record is
generalised for her (tigers and leopards at 10 km, storks and cranes at 1 km), so the
generalisation is on the measured path. The export runs as the worker runs it
(``export_run``), from the job to the finished zip in the media storage.

Targets: peak resident memory under 300 MB, and at most 2x the same run's baseline:
PostgreSQL's own ``COPY (SELECT ...) TO`` of the same occurrence columns (ungeneralised,
joined to species and PAs) into a file, then deflating that file into a zip.
"""

import os
import resource
import tempfile
import threading
import time
import zipfile

import psycopg
from django.contrib.auth import get_user_model
from django.db import connection

from exchange.exports.service import export_run
from exchange.models import ExportJob
from observations.models import Membership, Role

from .synthetic import fill_observations, observation_count

ROWS = 1_000_000
MAX_RSS_MB = 300
MAX_RATIO = 2.0

BASELINE_SQL = """
    COPY (
        SELECT o.id, o.event_id, o.observed_at, s.scientific_name, s.name_en, s."group",
               p.country, p.name_en, o.latitude, o.longitude, o.coordinate_uncertainty_m,
               o.count, o.unit, o.sex, o.age_class, o.evidence, o.individual_id, o.status,
               o.observer_code, o.notes, o.species_id, p.code, p.centroid_lat, p.centroid_lon
        FROM observations_observation o
        JOIN observations_species s ON s.id = o.species_id
        JOIN observations_protectedarea p ON p.id = o.protected_area_id
        WHERE o.status = 'verified'
    ) TO STDOUT WITH (FORMAT csv, DELIMITER E'\\t', QUOTE E'\\x1f', NULL '')
"""


def _rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class PeakRss:
    """Samples this process's resident memory every 20 ms while the block runs."""

    def __enter__(self):
        self.peak, self._stop = _rss_mb(), threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, _rss_mb())

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss_mb())
        return False


def _baseline(folder: str) -> tuple[float, float, int]:
    """(COPY seconds, deflate seconds, bytes of CSV)."""
    params = connection.get_connection_params()
    for key in ("cursor_factory", "context", "prepare_threshold"):
        params.pop(key, None)
    raw = os.path.join(folder, "baseline.txt")
    start = time.perf_counter()
    with (
        psycopg.connect(**params) as conn,
        conn.cursor() as cur,
        open(raw, "wb") as out,
        cur.copy(BASELINE_SQL) as copy,
    ):
        for data in copy:
            out.write(data)
    copied = time.perf_counter() - start
    size = os.path.getsize(raw)
    start = time.perf_counter()
    with zipfile.ZipFile(os.path.join(folder, "baseline.zip"), "w", zipfile.ZIP_DEFLATED) as z:
        z.write(raw, "occurrence.txt")
    deflated = time.perf_counter() - start
    return copied, deflated, size


def _occurrence_lines(path: str) -> int:
    lines = 0
    with zipfile.ZipFile(path) as archive, archive.open("occurrence.txt") as fh:
        while chunk := fh.read(1 << 22):
            lines += chunk.count(b"\n")
    return lines - 1  # the header


def run() -> None:
    start = time.perf_counter()
    fill_observations(ROWS, node="RU")
    ready = time.perf_counter() - start
    print(f"table: {observation_count():,} observations (ready in {ready:.1f} s)")

    user, _ = get_user_model().objects.get_or_create(username="bench_coordinator_cn")
    Membership.objects.get_or_create(user=user, role=Role.COORDINATOR, country="CN")
    ExportJob.objects.filter(user=user).delete()

    with tempfile.TemporaryDirectory(prefix="bench-dwca-") as folder:
        copied, deflated, size = _baseline(folder)
        baseline = copied + deflated
        print(
            f"baseline: COPY {copied:.2f} s ({size / 1e6:.0f} MB) + deflate {deflated:.2f} s"
            f" = {baseline:.2f} s"
        )

        job = ExportJob.objects.create(
            user=user, format="dwca", filters={}, language="en", licence="CC-BY-4.0"
        )
        before = _rss_mb()
        with PeakRss() as memory:
            start = time.perf_counter()
            job = export_run(job_id=job.pk)
            took = time.perf_counter() - start
        assert job.status == "done", job.detail
        path = job.file.path
        lines = _occurrence_lines(path)
        print(
            f"DwC-A export: {job.total_rows:,} occurrences ({lines:,} lines) in {took:.2f} s,"
            f" zip {os.path.getsize(path) / 1e6:.0f} MB"
        )
        ratio = took / baseline
        lifetime = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"peak resident memory: {memory.peak:.0f} MB during the export (at start"
            f" {before:.0f} MB; process lifetime max {lifetime:.0f} MB)"
        )
        ok_time, ok_memory = ratio <= MAX_RATIO, memory.peak < MAX_RSS_MB
        print(
            f"ratio to baseline: {ratio:.2f}x (target <= {MAX_RATIO:.0f}x): "
            f"{'PASS' if ok_time else 'FAIL'}; memory target < {MAX_RSS_MB} MB: "
            f"{'PASS' if ok_memory else 'FAIL'}"
        )
        job.file.delete(save=False)
        job.delete()
