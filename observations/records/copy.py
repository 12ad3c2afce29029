"""PostgreSQL's side of the bulk records service (observations.records.bulk):
records and their django-simple-history rows by COPY, in the caller's transaction.

COPY is several times faster than Django's ``bulk_create`` (PERFORMANCE.md). A history
row is the record's columns plus ``history_date``, ``history_change_reason``,
``history_type`` and ``history_user_id``, as django-simple-history writes it on ``save()``.
"""

from __future__ import annotations

import datetime as dt
import operator
import uuid

from django.db import connection

from ..bulk import history_split

# PostgreSQL type names for binary COPY, from Django's column types.
_COPY_TYPES = {
    "timestamp with time zone": "timestamptz",
    "double precision": "float8",
    "integer": "int4",
    "bigint": "int8",
    "smallint": "int2",
    "boolean": "bool",
}


def copy_type(field) -> str:
    kind = field.db_type(connection) or ""
    if field.is_relation:
        kind = field.target_field.rel_db_type(connection)
    kind = kind.split("(")[0].strip().lower()
    return _COPY_TYPES.get(kind, kind)


def quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def names(columns: list[str]) -> str:
    return ", ".join(quoted(c) for c in columns)


class Copier:
    """New records of ``model`` (rows: tuples of its concrete columns, in order) and their
    history rows ("+", ``reason``, by ``user_id`` at ``now``)."""

    def __init__(self, model, *, now: dt.datetime, reason: str, user_id):
        fields = model._meta.concrete_fields
        self.table = model._meta.db_table
        self.columns = [f.column for f in fields]
        self.types = [copy_type(f) for f in fields]
        self.history_table, mirrored, added = history_split(model, self.columns)
        extra = {
            "history_date": now,
            "history_change_reason": reason,
            "history_type": "+",
            "history_user_id": user_id,
        }
        position = {column: i for i, column in enumerate(self.columns)}
        self.mirrored = [f.column for f in mirrored]
        self.history_columns = self.mirrored + [f.column for f in added]
        self.history_types = [copy_type(f) for f in mirrored + added]
        self.history_pick = operator.itemgetter(*[position[c] for c in self.mirrored])
        self.history_extra = tuple(extra[f.column] for f in added)

    def copy(self, cursor, rows: list[tuple]) -> None:
        """The records, then their history rows, by binary COPY on a psycopg cursor (sending
        the history rows costs Python less than PostgreSQL's reading them back from a
        temporary table would cost the database, the slower of the two). A unique violation
        (an id stored already) is raised."""
        if not rows:
            return
        with cursor.copy(
            f"COPY {quoted(self.table)} ({names(self.columns)}) FROM STDIN (FORMAT BINARY)"
        ) as copy:
            copy.set_types(self.types)
            for values in rows:
                copy.write_row(values)
        pick, extra = self.history_pick, self.history_extra
        with cursor.copy(
            f"COPY {quoted(self.history_table)} ({names(self.history_columns)}) "
            "FROM STDIN (FORMAT BINARY)"
        ) as copy:
            copy.set_types(self.history_types)
            for values in rows:
                copy.write_row(pick(values) + extra)

    def insert_missing(self, rows: list[tuple]) -> set[uuid.UUID]:
        """The careful way, for rows some of whose ids are stored already: those are left
        out. By binary COPY into a temporary table, then one statement inserts the rows not
        stored yet (``ON CONFLICT (id) DO NOTHING``) and, from what it inserted, their
        history rows. The ids created."""
        columns = names(self.columns)
        with connection.cursor() as wrapper, connection.wrap_database_errors:
            cursor = wrapper.cursor
            cursor.execute(
                f"CREATE TEMPORARY TABLE IF NOT EXISTS bulk_rows (LIKE {quoted(self.table)}) "
                "ON COMMIT DROP"
            )
            cursor.execute("TRUNCATE bulk_rows")
            with cursor.copy(f"COPY bulk_rows ({columns}) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(self.types)
                for values in rows:
                    copy.write_row(values)
            cursor.execute(
                f"WITH created AS (INSERT INTO {quoted(self.table)} ({columns}) "
                f"SELECT {columns} FROM bulk_rows ON CONFLICT (id) DO NOTHING RETURNING *) "
                f"INSERT INTO {quoted(self.history_table)} ({names(self.history_columns)}) "
                f"SELECT {names(self.mirrored)}, {', '.join(['%s'] * len(self.history_extra))} "
                "FROM created RETURNING id",
                list(self.history_extra),
            )
            return {row_id for (row_id,) in wrapper.fetchall()}
