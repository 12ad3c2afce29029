"""Storing the checked rows of an import, chunk by chunk, through the records service's bulk
form, ``observations_bulk_create`` (observations.records.bulk): each record with the
service's defaults, its audit-history row (type "+", reason "import") and its change-feed
entry (the feed writer's ``record_changes``), in the chunk's transaction.

Why a helper thread (PostgreSQL only): writing a chunk is mostly PostgreSQL's work (the
records' and history's dozen indexes each, the foreign-key checks), checking the next chunk
is all Python's; done one after the other they add up, side by side they overlap (a third of
the import's time, bench/bench_import.py). The helper runs ``observations_bulk_create`` on the
caller's own Django connection (shared with it by ``inc_thread_sharing``), so inside the
caller's transaction: the chunk's ``transaction.atomic`` is open, and the caller touches the
database only once the helper's result is in (``finish``); psycopg serialises the use of a
connection in any case. Two ways:

- ``start_committed`` (the caller holds no transaction: the Celery task, a request): the
  helper runs the chunk's whole transaction, the job's progress and COMMIT included, so that
  the foreign-key checks PostgreSQL defers to COMMIT overlap with reading too (checking them
  at once instead, ``SET CONSTRAINTS ALL IMMEDIATE``, measured three times slower);
- ``start``/``finish`` (inside the caller's transaction: all-or-nothing, tests): the chunk
  in a savepoint, the caller commits.

While the helper lives the GIL switches often (observations.imports.interpreter says why).

SQLite (the laptop demo): ``observations_bulk_create`` at once, in the caller's thread.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

from ..models.records import RecordSource
from ..records.bulk import ObservationBatch, observations_bulk_create
from .interpreter import short_switching
from .rows import Row

HISTORY_REASON = "import"


@dataclass
class Started:
    """A chunk being written: on the helper thread (``future``), or done (``created``)."""

    rows: list[tuple]
    future: Future | None = None
    created: set[uuid.UUID] = field(default_factory=set)

    def busy(self) -> bool:
        return self.future is not None and not self.future.done()


class Writer:
    """Writes the new rows of one import (created by ``user`` at ``now``)."""

    def __init__(self, *, user, now: dt.datetime):
        self.batch = ObservationBatch(
            user=user, now=now, source=RecordSource.IMPORT, reason=HISTORY_REASON
        )
        self.postgres = self.batch.postgres
        self.pool = None

    def prepare(self, rows: list[Row]) -> None:
        """Put rows in the table's form ahead of ``start`` (while the database is busy)."""
        row = self.batch.row
        for r in rows:
            r.values = row(r.id, r.cleaned)

    def _values(self, rows: list[Row]) -> list[tuple]:
        row = self.batch.row
        return [r.values if r.values is not None else row(r.id, r.cleaned) for r in rows]

    def start(self, rows: list[Row]) -> Started:
        """Begin storing ``rows``: on PostgreSQL in the background (call nothing else on the
        database until ``finish``), elsewhere at once."""
        tuples = self._values(rows)
        if not tuples:
            return Started(tuples)
        if not self.postgres:
            return Started(tuples, created=self._bulk_create(tuples))
        return Started(tuples, future=self._helper().submit(self._copy_rows, tuples))

    def start_committed(self, rows: list[Row], *, job_id, expected: int, progress: dict):
        """Store ``rows`` and the job's ``progress`` in a transaction of their own, run and
        committed on the helper thread. Only when no transaction of the caller's is open;
        the caller touches the database only after ``outcome``."""
        tuples = self._values(rows)
        future = self._helper().submit(self._committed, tuples, job_id, expected, progress)
        return Started(tuples, future=future)

    def outcome(self, started: Started) -> str:
        """Of ``start_committed``: "written", "conflict" (an id was stored meanwhile: nothing
        was kept) or "superseded" (another run of the job got further: nothing was kept)."""
        return started.future.result()

    def _committed(self, tuples, job_id, expected, progress) -> str:
        from ..models import ImportJob

        with transaction.atomic():
            locked = ImportJob.objects.select_for_update().only("processed_rows")
            if locked.get(pk=job_id).processed_rows != expected:
                return "superseded"
            if len(self._copy_rows(tuples)) != len(tuples):
                transaction.set_rollback(True)
                return "conflict"
            ImportJob.objects.filter(pk=job_id).update(**progress)
        return "written"

    def _helper(self) -> ThreadPoolExecutor:
        """The helper thread, working over this thread's Django connection."""
        if self.pool is None:
            connection.ensure_connection()
            self.shared = connections[DEFAULT_DB_ALIAS]
            self.shared.inc_thread_sharing()
            short_switching.enter()
            self.pool = ThreadPoolExecutor(
                max_workers=1,
                thread_name_prefix="import-copy",
                initializer=_adopt,
                initargs=(self.shared,),
            )
        return self.pool

    def finish(self, started: Started, rows: list[Row]) -> set[uuid.UUID]:
        """The ids created of ``rows`` (each with its history and feed entry): an id stored
        meanwhile by someone else is left out."""
        if started.future is None:
            return started.created
        return started.future.result()

    def wait(self, started) -> None:
        """Let a background write end (its outcome no longer matters: the caller rolls back)."""
        if isinstance(started, Started) and started.future is not None:
            with contextlib.suppress(Exception):
                started.future.result()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True)
            self.pool = None
            self.shared.dec_thread_sharing()
            short_switching.leave()

    def _bulk_create(self, tuples: list[tuple]) -> set[uuid.UUID]:
        """SQLite: the records service's bulk form, in the caller's thread."""
        return observations_bulk_create(self.batch, tuples)

    def _copy_rows(self, tuples: list[tuple]) -> set[uuid.UUID]:
        """PostgreSQL: the records service's bulk form (COPY), on the helper thread."""
        return observations_bulk_create(self.batch, tuples)


def _adopt(shared) -> None:
    """The helper thread's Django connection is the caller's."""
    connections[DEFAULT_DB_ALIAS] = shared
