"""Storing the checked rows of an import, with their audit history and change-feed entries.

PostgreSQL: a chunk goes in with ``COPY`` (psycopg 3, binary): the records, their history
rows (django-simple-history's table: type "+", reason "import") and their change-feed entries
(observations.feed's table, appended under the feed's own advisory lock, as
``observations.feed.record_changes`` does, so entries stay numbered in commit order). The COPYs
run on a helper thread over the caller's psycopg connection: while PostgreSQL writes chunk k
(the tables have a dozen indexes each, which is most of the cost), Python checks chunk k+1.
psycopg serialises the use of a connection, and the caller touches the database only once
the helper's result is in. Two ways:

- ``start_committed`` (the caller holds no transaction: the Celery task, a request): the
  helper runs the chunk's whole transaction, the job's progress and COMMIT included, so that
  the foreign-key checks PostgreSQL defers to COMMIT overlap with reading too;
- ``start``/``finish`` (inside the caller's transaction: all-or-nothing, tests): the COPYs
  in a savepoint, the caller commits.

If another writer stored one of the ids meanwhile (a unique violation), the chunk is undone
and goes the careful way: ``COPY`` into a temporary table, then ``INSERT ... SELECT ... ON
CONFLICT (id) DO NOTHING RETURNING`` feeding the history insert in the same statement, and
``record_changes`` for the ids created.

SQLite (the laptop demo): ``bulk_create_with_history`` in a savepoint (ids stored meanwhile
are looked up and left out), then ``record_changes``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import operator
import uuid
from concurrent.futures import Future, ThreadPoolExecutor

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from simple_history.utils import bulk_create_with_history

from ..feed import FEED_LOCK_KEY, OBSERVATION, record_changes
from ..models import ChangeEntry, Observation, RecordStatus
from ..models.records import RecordSource
from ..records.services import observer_code
from .rows import Row

HISTORY_REASON = "import"

# Columns filled from a checked row: foreign keys (column -> key of the cleaned values) ...
_FK = {
    "protected_area_id": "protected_area",
    "species_id": "species",
    "event_id": "event",
    "individual_id": "individual",
}
# ... and plain values.
_PLAIN = (
    "observed_at",
    "latitude",
    "longitude",
    "coordinate_uncertainty_m",
    "count",
    "count_min",
    "count_max",
    "unit",
    "sex",
    "age_class",
    "evidence",
    "notes",
)
# PostgreSQL type names for binary COPY, from Django's column types.
_COPY_TYPES = {
    "timestamp with time zone": "timestamptz",
    "double precision": "float8",
    "integer": "int4",
    "bigint": "int8",
    "smallint": "int2",
    "boolean": "bool",
}


def existing_records(ids: list[uuid.UUID]) -> dict[uuid.UUID, Observation]:
    """The stored observations among ``ids``: one query (a few on SQLite, which takes fewer
    parameters per statement)."""
    step = (connection.features.max_query_params or 30_000) - 10
    found = {}
    for start in range(0, len(ids), step):
        records = Observation.objects.filter(pk__in=ids[start : start + step])
        for record in records.select_related("protected_area"):
            found[record.pk] = record
    return found


class Writer:
    """Writes the new rows of one import (created by ``user`` at ``now``)."""

    def __init__(self, *, user, now: dt.datetime):
        self.user = user
        self.now = now
        self.fixed = {
            "origin_node": settings.NODE_CODE,
            "created_at": now,
            "updated_at": now,
            "created_by_id": user.pk,
            "updated_by_id": user.pk,
            "status": RecordStatus.DRAFT,
            "source": RecordSource.IMPORT,
            "observer_code": observer_code(user),
        }
        self.postgres = connection.vendor == "postgresql"
        self.pool = None
        if self.postgres:
            self._prepare_copy()

    def start(self, rows: list[Row]) -> Future | set[uuid.UUID]:
        """Begin storing ``rows``: on PostgreSQL in the background (call nothing else on the
        database until ``finish``), elsewhere at once."""
        if not rows:
            return set()
        if not self.postgres:
            return self._bulk_create_missing(rows)
        return self._helper().submit(self._copy, self._tuples(rows))

    def _helper(self) -> ThreadPoolExecutor:
        """The helper thread, working over this thread's psycopg connection."""
        if self.pool is None:
            connection.ensure_connection()
            self.raw = connection.connection
            self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-copy")
        return self.pool

    def finish(self, started: Future | set[uuid.UUID], rows: list[Row]) -> set[uuid.UUID]:
        """The ids created of ``rows`` (each with its history and feed entry): an id stored
        meanwhile by someone else is left out."""
        if not isinstance(started, Future):
            created = started
        elif started.result():
            return {row.id for row in rows}  # the helper thread wrote the feed entries too
        else:
            created = self._insert_missing(rows)
        record_changes(OBSERVATION, [row.id for row in rows if row.id in created])
        return created

    def wait(self, started) -> None:
        """Let a background write end (its outcome no longer matters: the caller rolls back)."""
        if isinstance(started, Future):
            with contextlib.suppress(Exception):
                started.result()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True)
            self.pool = None

    # --- SQLite ---------------------------------------------------------------------

    def _bulk_create_missing(self, rows: list[Row]) -> set[uuid.UUID]:
        try:
            with transaction.atomic():
                self._bulk_create(rows)
            return {row.id for row in rows}
        except IntegrityError:
            stored = set(existing_records([row.id for row in rows]))
            rest = [row for row in rows if row.id not in stored]
            with transaction.atomic():
                self._bulk_create(rest)
            return {row.id for row in rest}

    def _bulk_create(self, rows: list[Row]) -> None:
        fixed = self.fixed
        objs = []
        for row in rows:
            cleaned = row.cleaned
            values = {name: cleaned[name] for name in _PLAIN}
            for name in _FK.values():
                values[name] = cleaned[name]
            objs.append(
                Observation(
                    id=row.id,
                    created_by=self.user,
                    updated_by=self.user,
                    origin_node=fixed["origin_node"],
                    status=fixed["status"],
                    source=fixed["source"],
                    observer_code=fixed["observer_code"],
                    **values,
                )
            )
        bulk_create_with_history(
            objs,
            Observation,
            batch_size=500,
            default_user=self.user,
            default_change_reason=HISTORY_REASON,
            default_date=self.now,
        )

    # --- PostgreSQL -----------------------------------------------------------------

    def _prepare_copy(self) -> None:
        fields = Observation._meta.concrete_fields
        self.table = Observation._meta.db_table
        self.columns = [f.column for f in fields]
        self.types = [_copy_type(f) for f in fields]
        # A row starts as the defaults of every column (fields added later keep working)
        # with the import's fixed values; the row's own values go into their slots.
        template, slots = [], []
        for i, f in enumerate(fields):
            if f.column in self.fixed:
                template.append(self.fixed[f.column])
                continue
            template.append(None if f.primary_key else f.get_default())
            if f.primary_key:
                slots.append((i, None, False))
            elif f.column in _FK:
                slots.append((i, _FK[f.column], True))
            elif f.column in _PLAIN:
                slots.append((i, f.column, False))
        self.template, self.slots = template, slots
        self.id_slot = self.columns.index(Observation._meta.pk.column)

        history = Observation.history.model
        self.history_table = history._meta.db_table
        extra = {
            "history_date": self.now,
            "history_change_reason": HISTORY_REASON,
            "history_type": "+",
            "history_user_id": self.user.pk,
        }
        position = {column: i for i, column in enumerate(self.columns)}
        own = [f for f in history._meta.concrete_fields if f.column != "history_id"]
        mirrored = [f for f in own if f.column in position]
        added = [f for f in own if f.column not in position]
        self.history_columns = [f.column for f in mirrored + added]
        self.history_types = [_copy_type(f) for f in mirrored + added]
        self.history_pick = operator.itemgetter(*[position[f.column] for f in mirrored])
        self.history_extra = tuple(extra[f.column] for f in added)

        # Change-feed entries: ("observation", id, "upsert", now), other columns' defaults.
        self.feed_table = ChangeEntry._meta.db_table
        given = {
            "kind": OBSERVATION,
            "action": ChangeEntry.Action.UPSERT,
            "created_at": self.now,
        }
        feed_fields = [f for f in ChangeEntry._meta.concrete_fields if not f.primary_key]
        self.feed_columns = [f.column for f in feed_fields]
        self.feed_types = [_copy_type(f) for f in feed_fields]
        self.feed_template = [
            given.get(f.name, f.get_default()) if f.name != "record_id" else None
            for f in feed_fields
        ]
        self.feed_id_slot = next(i for i, f in enumerate(feed_fields) if f.name == "record_id")

    def _tuples(self, rows: list[Row]) -> list[tuple]:
        out = []
        template, slots = self.template, self.slots
        for row in rows:
            values = list(template)
            cleaned = row.cleaned
            for i, key, is_fk in slots:
                if key is None:
                    values[i] = row.id
                elif is_fk:
                    obj = cleaned[key]
                    values[i] = obj.pk if obj is not None else None
                else:
                    values[i] = cleaned[key]
            out.append(tuple(values))
        return out

    def _copy(self, tuples: list[tuple]) -> bool:
        """On the helper thread, in the caller's transaction: the COPYs in a savepoint. False
        when an id was stored meanwhile (the savepoint is then rolled back)."""
        import psycopg

        with self.raw.cursor() as cursor:
            cursor.execute("SAVEPOINT import_copy")
            try:
                self._copy_rows(cursor, tuples)
            except psycopg.errors.UniqueViolation:
                cursor.execute("ROLLBACK TO SAVEPOINT import_copy")
                cursor.execute("RELEASE SAVEPOINT import_copy")
                return False
            cursor.execute("RELEASE SAVEPOINT import_copy")
        return True

    def start_committed(self, rows: list[Row], *, job_id, expected: int, progress: dict):
        """Store ``rows`` and the job's ``progress`` in a transaction of their own, run and
        committed on the helper thread. Only when the connection is in autocommit mode (no
        transaction of the caller's is open), and the caller touches the database only
        after the result: "written", "conflict" (an id was stored meanwhile: nothing was
        kept) or "superseded" (another run of the job got further: nothing was kept)."""
        return self._helper().submit(
            self._copy_committed, self._tuples(rows), job_id, expected, progress
        )

    def _copy_committed(self, tuples, job_id, expected, progress) -> str:
        import psycopg
        from psycopg.types.json import Jsonb

        from ..models import ImportJob

        table = _quoted(ImportJob._meta.db_table)
        names = list(progress)
        columns = ", ".join(f"{_quoted(ImportJob._meta.get_field(n).column)} = %s" for n in names)
        values = [
            Jsonb(progress[n]) if isinstance(progress[n], list) else progress[n] for n in names
        ]
        with self.raw.cursor() as cursor:
            cursor.execute("BEGIN")
            try:
                cursor.execute(
                    f"SELECT processed_rows FROM {table} WHERE id = %s FOR UPDATE", [job_id]
                )
                if cursor.fetchone()[0] != expected:
                    cursor.execute("ROLLBACK")
                    return "superseded"
                try:
                    self._copy_rows(cursor, tuples)
                except psycopg.errors.UniqueViolation:
                    cursor.execute("ROLLBACK")
                    return "conflict"
                cursor.execute(f"UPDATE {table} SET {columns} WHERE id = %s", [*values, job_id])
                cursor.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(Exception):
                    cursor.execute("ROLLBACK")
                raise
        return "written"

    def _copy_rows(self, cursor, tuples: list[tuple]) -> None:
        """The records, their history rows and their change-feed entries, by binary COPY."""
        if not tuples:
            return
        pick, extra = self.history_pick, self.history_extra
        with cursor.copy(
            f"COPY {_quoted(self.table)} ({_names(self.columns)}) FROM STDIN (FORMAT BINARY)"
        ) as copy:
            copy.set_types(self.types)
            for values in tuples:
                copy.write_row(values)
        with cursor.copy(
            f"COPY {_quoted(self.history_table)} ({_names(self.history_columns)}) "
            "FROM STDIN (FORMAT BINARY)"
        ) as copy:
            copy.set_types(self.history_types)
            for values in tuples:
                copy.write_row(pick(values) + extra)
        # As observations.feed.record_changes: the feed's lock, then the entries.
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [FEED_LOCK_KEY])
        with cursor.copy(
            f"COPY {_quoted(self.feed_table)} ({_names(self.feed_columns)}) "
            "FROM STDIN (FORMAT BINARY)"
        ) as copy:
            copy.set_types(self.feed_types)
            entry, slot, id_slot = list(self.feed_template), self.feed_id_slot, self.id_slot
            for values in tuples:
                entry[slot] = values[id_slot]
                copy.write_row(entry)

    def _insert_missing(self, rows: list[Row]) -> set[uuid.UUID]:
        """The careful way, for a chunk some of whose ids were stored meanwhile."""
        columns = _names(self.columns)
        mirrored = self.history_columns[: len(self.history_columns) - len(self.history_extra)]
        with transaction.atomic(), connection.cursor() as cursor, connection.wrap_database_errors:
            cursor.execute(
                f"CREATE TEMPORARY TABLE IF NOT EXISTS import_rows (LIKE {_quoted(self.table)}) "
                "ON COMMIT DROP"
            )
            cursor.execute("TRUNCATE import_rows")
            with cursor.cursor.copy(
                f"COPY import_rows ({columns}) FROM STDIN (FORMAT BINARY)"
            ) as copy:
                copy.set_types(self.types)
                for values in self._tuples(rows):
                    copy.write_row(values)
            cursor.execute(
                f"WITH created AS (INSERT INTO {_quoted(self.table)} ({columns}) "
                f"SELECT {columns} FROM import_rows ON CONFLICT (id) DO NOTHING RETURNING *) "
                f"INSERT INTO {_quoted(self.history_table)} ({_names(self.history_columns)}) "
                f"SELECT {_names(mirrored)}, {', '.join(['%s'] * len(self.history_extra))} "
                "FROM created RETURNING id",
                list(self.history_extra),
            )
            return {row_id for (row_id,) in cursor.fetchall()}


def _copy_type(field) -> str:
    kind = field.db_type(connection) or ""
    if field.is_relation:
        kind = field.target_field.rel_db_type(connection)
    kind = kind.split("(")[0].strip().lower()
    return _COPY_TYPES.get(kind, kind)


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def _names(columns: list[str]) -> str:
    return ", ".join(_quoted(c) for c in columns)
