"""One run of a file import job: the file read chunk by chunk, each chunk checked and
written in one transaction together with the job's progress (observations.imports.services
starts it; observations.imports.writing stores the rows through the records service).

A stored id met again is judged as the records service judges a re-send (``same_content``):
the same content is ``unchanged``, other content is a conflict.
"""

from __future__ import annotations

import sys
from contextlib import ExitStack
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..access import access_for
from ..models import ImportJob
from ..models.imports import MAX_STORED_ERRORS
from ..records.bulk import existing_records
from ..records.kinds import OBSERVATION, same_content
from .interpreter import frozen_heap
from .parsing import open_sheet
from .rows import ImportReference, Row, RowReader, plan_columns
from .writing import Started, Writer

CHUNK_ROWS = 5000  # rows per transaction, at least (the last chunk may be smaller) ...
MAX_CHUNK_ROWS = 10000  # ... and at most
READ_ROWS = 500  # rows read between two looks at the writer
PREVIEW_ROWS = 100
_PROGRESS = ["created", "unchanged", "invalid_rows", "error_count", "errors", "preview"]


def run_job(job: ImportJob) -> None:
    """Read, check and store the job's file (raises ``Superseded`` when another run of the
    job got ahead)."""
    _Run(job).run()


@dataclass
class _Chunk:
    """Rows read for the next chunk: all of them, and the first of their id in the file."""

    rows: list[Row] = field(default_factory=list)
    fresh: list[Row] = field(default_factory=list)


@dataclass
class _Pending:
    """A chunk whose transaction is open and whose new rows are being written."""

    rows: list[Row]
    fresh: list[Row]
    started: Started | None
    stack: ExitStack | None  # None: the writer's thread runs the chunk's transaction
    progress: dict | None = None

    def busy(self) -> bool:
        return self.started is not None and self.started.busy()


class Superseded(Exception):
    """Another run of the same job (a redelivered task) got ahead of this one."""


class _Run:
    """One run of a job: the file read chunk by chunk, each chunk checked and written."""

    def __init__(self, job: ImportJob):
        self.job = job
        self.user = job.user
        self.access = access_for(self.user)
        self.now = timezone.now()
        with job.file.open("rb") as fh:
            data = fh.read()
        self.sheet = open_sheet(data, filename=job.filename, encoding=job.encoding)
        self.plan = plan_columns(self.sheet.headers)
        self.reader = RowReader(
            self.plan,
            access=self.access,
            ref=ImportReference.preloaded(),
            now=self.now,
            default_pa=job.protected_area,
        )
        self.writer = None if job.dry_run else Writer(user=self.user, now=self.now)
        self.seen: dict = {}  # id -> (row number, content) of this file's rows

    def run(self) -> None:
        """The whole run with the objects alive before it kept out of the cycle collector's
        full passes (observations.imports.interpreter)."""
        try:
            with frozen_heap.held():
                self._run()
        finally:
            if self.writer is not None:
                self.writer.close()

    def _run(self) -> None:
        job = self.job
        if self.sheet.estimated_rows is not None:
            # A large workbook was only estimated at upload: read it whole now, so that every
            # file-level problem surfaces before anything is written.
            total = self.sheet.count()
            if job.total_rows != total:
                job.total_rows = total
                job.save(update_fields=["total_rows"])
        self.reader.prefetch(self.sheet.rows())
        if job.dry_run:
            self._pass(write=False, resume=True)
        elif job.all_or_nothing:
            # First the whole file is checked (like a preview, with progress); only if no
            # row is bad is it written, in one transaction.
            self._reset()
            self._pass(write=False, resume=False)
            if job.error_count == 0:
                self._reset(keep_progress=True)
                with transaction.atomic():
                    self._pass(write=True, resume=False, commit_progress=False)
                    if job.error_count:  # a conflict that appeared meanwhile
                        transaction.set_rollback(True)
            if job.error_count:
                job.created = 0
                job.detail = str(
                    _("Nothing was stored: %(count)s rows have errors.")
                    % {"count": job.invalid_rows}
                )
        else:
            self._pass(write=True, resume=True)
        job.processed_rows = job.total_rows
        job.save()
        ImportJob.finish(job.pk)
        job.refresh_from_db(fields=["status", "finished_at"])

    def _reset(self, keep_progress: bool = False) -> None:
        job = self.job
        job.created = job.unchanged = job.invalid_rows = job.error_count = 0
        job.errors, job.preview = [], []
        if not keep_progress:
            job.processed_rows = 0
        job.save(update_fields=[*_PROGRESS, "processed_rows"])
        self.seen = {}

    def _pass(self, *, write: bool, resume: bool, commit_progress: bool = True) -> None:
        """Read the file and store it chunk by chunk, each chunk one transaction (a savepoint
        in an all-or-nothing write) together with the job's progress.

        On PostgreSQL a chunk is written in the background while the next rows are read and
        checked (observations.imports.writing); a chunk is handed over when the writer is
        free, so chunks grow (up to ``MAX_CHUNK_ROWS``) while the database is the slower of
        the two. Outside any transaction (the Celery task, a request) the writer's thread
        runs the chunk's whole transaction, the job's progress and COMMIT included (the
        foreign keys PostgreSQL checks at COMMIT are a good part of the work); inside one
        (all-or-nothing) the chunk is a savepoint of the caller's transaction."""
        own_transactions = (
            write
            and commit_progress
            and self.writer.postgres
            and not transaction.get_connection().in_atomic_block
        )
        begin = self._hand_over if own_transactions else self._begin
        finish = self._settle if own_transactions else self._finish
        pending = None
        chunk = _Chunk()
        options = {"write": write, "commit_progress": commit_progress}
        try:
            for batch in self._batches(skip=self.job.processed_rows if resume else 0):
                self._add(chunk, [self.reader.read(number, cells) for number, cells in batch])
                if len(chunk.rows) < CHUNK_ROWS:
                    continue
                if pending is not None:
                    if pending.busy() and len(chunk.rows) < MAX_CHUNK_ROWS:
                        continue  # read on while the database writes
                    done, pending = pending, None
                    finish(done, commit_progress=commit_progress)
                pending = begin(chunk, **options)
                chunk = _Chunk()
            if pending is not None:
                done, pending = pending, None
                finish(done, commit_progress=commit_progress)
            if chunk.rows:
                pending = begin(chunk, **options)
                done, pending = pending, None
                finish(done, commit_progress=commit_progress)
        except BaseException:
            if pending is not None:
                self._abandon(pending, sys.exc_info())
            raise

    def _add(self, chunk: _Chunk, rows: list[Row]) -> None:
        """Rows read: sorted out (the first of their id in the file), and those to write put
        in the table's form at once, while the database is busy with the last chunk."""
        fresh = self._first_of_their_id(rows)
        chunk.rows.extend(rows)
        chunk.fresh.extend(fresh)
        if self.writer is not None:
            self.writer.prepare(fresh)

    def _batches(self, *, skip: int):
        """The file's rows after the first ``skip``, a few hundred at a time."""
        batch: list = []
        for seen, item in enumerate(self.sheet.rows(), start=1):
            if seen <= skip:
                continue
            batch.append(item)
            if len(batch) >= READ_ROWS:
                yield batch
                batch = []
        if batch:
            yield batch

    def _hand_over(self, chunk: _Chunk, **_options) -> _Pending:
        """Give a chunk to the writer's thread, which stores it with the job's progress as
        it will be and commits. Counted as created: a conflict undoes the whole chunk."""
        for row in chunk.fresh:
            row.outcome = "created"
        progress = self._tally(chunk.rows)
        started = self.writer.start_committed(
            chunk.fresh, job_id=self.job.pk, expected=self.job.processed_rows, progress=progress
        )
        return _Pending(chunk.rows, chunk.fresh, started, None, progress)

    def _settle(self, pending: _Pending, **_options) -> None:
        outcome = self.writer.outcome(pending.started)
        if outcome == "superseded":
            raise Superseded
        if outcome == "written":
            self._apply(pending.progress)
            return
        # An id of the chunk was stored meanwhile: nothing of it was kept; the careful way.
        for row in pending.fresh:
            row.outcome = ""
        again = _Chunk(pending.rows, pending.fresh)
        redo = self._begin(again, write=True, commit_progress=True)
        self._finish(redo, commit_progress=True)

    def _begin(self, chunk: _Chunk, *, write: bool, commit_progress: bool) -> _Pending:
        stack = ExitStack()
        stack.enter_context(transaction.atomic())
        try:
            if commit_progress:
                locked = ImportJob.objects.select_for_update().only("processed_rows")
                if locked.get(pk=self.job.pk).processed_rows != self.job.processed_rows:
                    raise Superseded
            started = self.writer.start(chunk.fresh) if write else None
        except BaseException:
            stack.__exit__(*sys.exc_info())
            raise
        return _Pending(chunk.rows, chunk.fresh, started, stack)

    def _finish(self, pending: _Pending, *, commit_progress: bool) -> None:
        try:
            if pending.started is None:  # a preview: what would happen
                stored = existing_records([row.id for row in pending.fresh])
                for row in pending.fresh:
                    record = stored.get(row.id)
                    if record is None:
                        row.outcome = "created"
                    else:
                        self._compare(row, record)
            else:
                created = self.writer.finish(pending.started, pending.fresh)
                late = []
                for row in pending.fresh:
                    if row.id in created:
                        row.outcome = "created"
                    else:
                        late.append(row)
                stored = existing_records([row.id for row in late])
                for row in late:
                    self._compare(row, stored.get(row.id))
            self._apply(self._tally(pending.rows))
            if commit_progress:
                self.job.save(update_fields=[*_PROGRESS, "processed_rows"])
        except BaseException:
            self._abandon(pending, sys.exc_info())
            raise
        pending.stack.close()

    def _abandon(self, pending: _Pending, exc_info) -> None:
        if self.writer is not None:
            self.writer.wait(pending.started)
        if pending.stack is not None:
            pending.stack.__exit__(*exc_info)

    def _first_of_their_id(self, rows: list[Row]) -> list[Row]:
        """The good rows whose id this file has not had yet; a repeat is unchanged (same
        content) or a conflict."""
        fresh = []
        for row in rows:
            if row.errors:
                continue
            earlier = self.seen.get(row.id)
            content = hash(row.key)
            if earlier is None:
                self.seen[row.id] = (row.number, content)
                fresh.append(row)
            elif earlier[1] == content:
                row.outcome = "unchanged"
            else:
                row.errors = [
                    self._error(
                        row,
                        "id_conflict",
                        _("Row %(other)s has the same id with different content.")
                        % {"other": earlier[0]},
                    )
                ]
        return fresh

    def _compare(self, row: Row, record) -> None:
        """A row whose id is stored already: unchanged when the record says the same (the
        records service's judgement of a re-send)."""
        same = record is not None and same_content(OBSERVATION, record, row.cleaned)
        if same and self.access.can_view_record(record):
            row.outcome = "unchanged"
        elif same:
            message = _("The same record was already imported by someone else.")
            row.errors = [self._error(row, "stored_by_someone_else", message)]
        else:
            message = _("A different record already has this id.")
            row.errors = [self._error(row, "id_conflict", message)]

    def _error(self, row: Row, code: str, message) -> dict:
        column = self.plan.column("id")
        return {
            "row": row.number,
            "column": column,
            "field": "id",
            "code": code,
            "message": str(message),
        }

    def _tally(self, rows: list[Row]) -> dict:
        """The job's progress once ``rows`` are counted (the job itself is left as it is)."""
        job = self.job
        progress = {
            "processed_rows": job.processed_rows + len(rows),
            "created": job.created,
            "unchanged": job.unchanged,
            "invalid_rows": job.invalid_rows,
            "error_count": job.error_count,
            "errors": list(job.errors),
            "preview": list(job.preview),
        }
        errors, preview = progress["errors"], progress["preview"]
        for row in rows:
            if row.errors:
                progress["invalid_rows"] += 1
                progress["error_count"] += len(row.errors)
                room = MAX_STORED_ERRORS - len(errors)
                if room > 0:
                    errors.extend(row.errors[:room])
            elif row.outcome == "created":
                progress["created"] += 1
            else:
                progress["unchanged"] += 1
            if job.dry_run and len(preview) < PREVIEW_ROWS:
                preview.append(_preview(row))
        return progress

    def _apply(self, progress: dict) -> None:
        for name, value in progress.items():
            setattr(self.job, name, value)


def _preview(row: Row) -> dict:
    if row.errors:
        return {"row": row.number, "outcome": "error"}
    cleaned = row.cleaned
    return {
        "row": row.number,
        "outcome": row.outcome,
        "id": str(row.id),
        "protected_area": cleaned["protected_area"].code,
        "species": cleaned["species"].scientific_name,
        "observed_at": cleaned["observed_at"].isoformat(),
        "count": cleaned["count"],
        "evidence": cleaned["evidence"],
    }
