"""The archive's rows written as text, from the columns of exchange.exports.dwca.columns.

On PostgreSQL a data file is ``COPY (SELECT ...) TO STDOUT`` on a second connection
(``Copier``), in one REPEATABLE READ read-only snapshot, streamed by a reader thread while
the caller deflates; elsewhere (SQLite) ``python_lines`` writes the same values.
"""

from __future__ import annotations

import datetime as dt
import threading
from queue import Queue

from django.db import connection

from .columns import CLEAN, SANITISE, Column

COPY_OPTIONS = "FORMAT csv, DELIMITER E'\\t', QUOTE E'\\x1f', NULL ''"
BUFFER = 1 << 20
QUEUED = 8  # buffers between the reading and the deflating thread
KEY_BYTES = 96  # enough for any coreid: a UUID, or "incidental:" + PA code + ":" + date


def _aliases(columns):
    out, i = [], 0
    for column in columns:
        names = []
        for _expr in column.exprs:
            names.append(f"c{i}")
            i += 1
        out.append(names)
    return out


def _values(qs, columns):
    aliases = _aliases(columns)
    exprs = {}
    for column, names in zip(columns, aliases, strict=True):
        exprs.update(dict(zip(names, column.exprs, strict=True)))
    return qs.annotate(**exprs).values_list(*exprs), aliases


_ISO = 'YYYY-MM-DD"T"HH24:MI:SS"Z"'


def _outer_sql(column: Column, names: list[str]) -> str:
    a = names[0]
    if column.kind == "text":
        # Nested replace() costs a sixth of translate() per value (measured: bench_dwca).
        cleaned = f"{a}::text"
        for char in SANITISE:
            cleaned = f"replace({cleaned}, E'\\x{ord(char):02x}', ' ')"
        return f"NULLIF({cleaned}, '')"
    if column.kind == "code":
        return f"NULLIF({a}::text, '')"
    if column.kind == "value":
        return a
    if column.kind == "time":
        return f"to_char({a} AT TIME ZONE 'UTC', '{_ISO}')"
    if column.kind == "date":
        return f"to_char({a}, 'YYYY-MM-DD')"
    b = names[1]
    if column.kind == "period":
        return (
            f"to_char({a} AT TIME ZONE 'UTC', '{_ISO}')"
            f" || COALESCE('/' || to_char({b} AT TIME ZONE 'UTC', '{_ISO}'), '')"
        )
    if column.kind == "hours":
        return f"round((extract(epoch FROM ({b} - {a})) / 3600)::numeric, 2)"
    raise ValueError(column.kind)


def copy_statement(qs, columns) -> str:
    """``COPY (SELECT <columns written as text> FROM (<the query>)) TO STDOUT``."""
    values, aliases = _values(qs, columns)
    sql, params = values.query.sql_with_params()
    inner = connection.ops.compose_sql(sql, params)
    outer = ", ".join(_outer_sql(c, n) for c, n in zip(columns, aliases, strict=True))
    return f"COPY (SELECT {outer} FROM ({inner}) AS t) TO STDOUT WITH ({COPY_OPTIONS})"


def _iso(value) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _py_value(column: Column, values) -> str:
    a = values[0]
    if column.kind == "text":
        return "" if a is None else str(a).translate(CLEAN)
    if column.kind in ("code", "value"):
        return "" if a is None else str(a)
    if column.kind == "time":
        return "" if a is None else _iso(a)
    if column.kind == "date":
        return "" if a is None else a.isoformat()
    b = values[1]
    if column.kind == "period":
        return "" if a is None else _iso(a) + ("" if b is None else "/" + _iso(b))
    if column.kind == "hours":
        if a is None or b is None:
            return ""
        return f"{(b - a).total_seconds() / 3600:.2f}"
    raise ValueError(column.kind)


def python_lines(qs, columns):
    """The same rows written by Python (SQLite): (first cell, line) per row."""
    values, aliases = _values(qs, columns)
    spans, start = [], 0
    for names in aliases:
        spans.append((start, start + len(names)))
        start += len(names)
    for row in values.iterator(chunk_size=5000):
        cells = [_py_value(c, row[s:e]) for c, (s, e) in zip(columns, spans, strict=True)]
        yield cells[0], ("\t".join(cells) + "\n").encode()


def header(columns) -> bytes:
    return ("\t".join(c.name for c in columns) + "\n").encode()


class Copier:
    """COPY statements on a second connection, in one read-only REPEATABLE READ snapshot."""

    def __enter__(self):
        import psycopg

        params = connection.get_connection_params()
        for key in ("cursor_factory", "context", "prepare_threshold"):
            params.pop(key, None)
        self.conn = psycopg.connect(**params)
        self.conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        self.conn.read_only = True
        return self

    def __exit__(self, *exc):
        self.conn.rollback()
        self.conn.close()
        return False

    def _read(self, statement: str, keys: set | None):
        """The COPY's rows in buffers of about BUFFER bytes: (buffer, rows so far)."""
        rows, buffer = 0, bytearray()
        with self.conn.cursor() as cur, cur.copy(statement) as copy:
            for data in copy:
                buffer += data
                rows += 1
                if keys is not None:
                    head = bytes(data[:KEY_BYTES])
                    keys.add(head[: head.index(b"\t")])
                if len(buffer) >= BUFFER:
                    yield bytes(buffer), rows
                    buffer.clear()
        yield bytes(buffer), rows

    def stream(self, statement: str, out, progress=None, keys: set | None = None) -> int:
        """The rows of the COPY into ``out``; with ``keys``, each row's first cell is added.

        A reader thread takes the rows from the database while this thread deflates the
        previous buffers (zlib lets go of the GIL): the database, the reader and the
        compression work at the same time, with at most QUEUED buffers in memory."""
        queue: Queue = Queue(maxsize=QUEUED)
        failure: list[BaseException] = []

        def reader():
            try:
                for item in self._read(statement, keys):
                    queue.put(item)
            except BaseException as exc:  # handed to the writing thread
                failure.append(exc)
            finally:
                queue.put(None)

        thread = threading.Thread(target=reader, name="dwca-copy", daemon=True)
        thread.start()
        rows = 0
        try:
            while (item := queue.get()) is not None:
                buffer, rows = item
                out.write(buffer)
                if progress is not None:
                    progress.set(rows)
        finally:
            while thread.is_alive():  # the writer failed: let the reader finish and go
                if queue.get() is None:
                    break
            thread.join()
        if failure:
            raise failure[0]
        if progress is not None:
            progress.set(rows)
        return rows
