"""Storing the checked rows of an import, chunk by chunk, through the records service's bulk
form (observations.services.records_bulk): each record with the service's defaults, its
audit-history row (type "+", reason "import") and its change-feed entry, written by the feed
writer's ``record_changes`` in the chunk's transaction.

Why a helper thread (PostgreSQL only): writing a chunk is mostly PostgreSQL's work (the
records' and history's dozen indexes, the foreign-key checks), checking the next chunk is
all Python's; done one after the other they add up, side by side they overlap (about a
third of the import's time, bench/bench_import.py). A Django connection belongs to its
thread, so the helper works over the caller's psycopg connection, inside the caller's
transaction (a savepoint of the chunk's ``transaction.atomic``): psycopg serialises the use
of a connection, and the caller touches the database only once the helper's result is in
(``finish``). The foreign keys are checked at once in that savepoint (``SET CONSTRAINTS
ALL IMMEDIATE``) rather than at COMMIT, so that their checks overlap too. The feed entries
are appended on the caller's thread by ``record_changes`` (the feed's one ordering lock),
the caller commits.

If another writer stored one of the ids meanwhile (a unique violation), the savepoint is
undone and the chunk goes the careful way (``ObservationBatch.write_missing``). SQLite (the
laptop demo): ``observations_bulk_create`` at once, in the caller's thread.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from django.db import connection, transaction

from ..models.records import RecordSource
from ..services.records_bulk import ObservationBatch, observations_bulk_create
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

    def start(self, rows: list[Row]) -> Started:
        """Begin storing ``rows``: on PostgreSQL in the background (call nothing else on the
        database until ``finish``), elsewhere at once."""
        row = self.batch.row
        tuples = [row(r.id, r.cleaned) for r in rows]
        if not tuples:
            return Started(tuples)
        if not self.postgres:
            return Started(tuples, created=self._bulk_create(tuples))
        return Started(tuples, future=self._helper().submit(self._copy, tuples))

    def _helper(self) -> ThreadPoolExecutor:
        """The helper thread, working over this thread's psycopg connection."""
        if self.pool is None:
            connection.ensure_connection()
            self.raw = connection.connection
            self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-copy")
        return self.pool

    def finish(self, started: Started, rows: list[Row]) -> set[uuid.UUID]:
        """The ids created of ``rows`` (each with its history and feed entry): an id stored
        meanwhile by someone else is left out."""
        if started.future is None:
            return started.created  # observations_bulk_create wrote the feed entries
        if started.future.result():
            created = {values[0] for values in started.rows}
        else:
            with transaction.atomic():
                created = self.batch.write_missing(started.rows)
        self.batch.announce([values[0] for values in started.rows if values[0] in created])
        return created

    def wait(self, started) -> None:
        """Let a background write end (its outcome no longer matters: the caller rolls back)."""
        if isinstance(started, Started) and started.future is not None:
            with contextlib.suppress(Exception):
                started.future.result()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True)
            self.pool = None

    def _bulk_create(self, tuples: list[tuple]) -> set[uuid.UUID]:
        """SQLite: the records service's bulk form, in the caller's thread."""
        return observations_bulk_create(self.batch, tuples)

    def _copy(self, tuples: list[tuple]) -> bool:
        """On the helper thread, in the caller's transaction: the COPYs in a savepoint. False
        when an id was stored meanwhile (the savepoint is then rolled back)."""
        import psycopg

        with self.raw.cursor() as cursor:
            cursor.execute("SAVEPOINT import_copy")
            try:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                self._copy_rows(cursor, tuples)
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            except psycopg.errors.UniqueViolation:
                cursor.execute("ROLLBACK TO SAVEPOINT import_copy")
                cursor.execute("RELEASE SAVEPOINT import_copy")
                return False
            cursor.execute("RELEASE SAVEPOINT import_copy")
        return True

    def _copy_rows(self, cursor, tuples: list[tuple]) -> None:
        """The records and their history rows (ObservationBatch.write)."""
        self.batch.write(cursor, tuples)
