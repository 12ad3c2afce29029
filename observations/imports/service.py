"""File import of observations: ``import_job_create`` (the upload) and ``import_job_run``
(the work, inline for small files, in a Celery task for large ones).

Rules, in the order a file meets them:

1. The uploader may write records (``access.can_write``); a reviewer may not.
2. The file is at most IMPORT_MAX_BYTES, readable as CSV or XLSX, has a header we know
   (template or Darwin Core), no row over IMPORT_MAX_COLUMNS columns. Otherwise
   ``ImportRefused`` and nothing is stored, not even the job.
3. Each row is converted and checked by ``clean_observation`` (including "may this user
   record in this PA"); bad rows are reported as ``{row, column, message}`` and skipped,
   good rows are kept, chunk by chunk, each chunk in one transaction with the job's progress.
   With ``all_or_nothing`` the file is first checked whole (like a preview); only a file
   without a single bad row is then written, in one transaction.
4. A row whose id is already stored with the same content is ``unchanged``; with other
   content it is a conflict (an error of that row).
5. ``dry_run`` does all of the above but writes nothing (the preview).

Records are drafts with source "import", created by the uploader, origin this node, each
with its audit-history row and its change-feed entry (observations.feed) in the same transaction.
"""

from __future__ import annotations

import logging
import os
import sys
from concurrent.futures import Future
from contextlib import ExitStack
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from ..access import access_for
from ..errors import NotAllowed
from ..models import ImportJob, ProtectedArea
from ..models.imports import MAX_STORED_ERRORS
from .parsing import ImportRefused, open_sheet
from .rows import ImportReference, Row, RowReader, plan_columns, stored_key
from .writing import Writer, existing_records

log = logging.getLogger(__name__)

CHUNK_ROWS = 5000  # rows per transaction, at least (the last chunk may be smaller) ...
MAX_CHUNK_ROWS = 10000  # ... and at most
READ_ROWS = 500  # rows read between two looks at the writer
PREVIEW_ROWS = 100
_PROGRESS = ["created", "unchanged", "invalid_rows", "error_count", "errors", "preview"]


def max_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_BYTES", 20 * 1024 * 1024)


def async_rows() -> int:
    return getattr(settings, "IMPORT_ASYNC_ROWS", 5000)


def file_too_large() -> ImportRefused:
    return ImportRefused(
        _("The file is larger than %(size)s MB.") % {"size": max_bytes() // (1024 * 1024)},
        "file_too_large",
        status_code=413,
    )


# --- the upload --------------------------------------------------------------------


def import_job_create(
    *,
    user,
    upload,
    protected_area: str = "",
    dry_run: bool = False,
    all_or_nothing: bool = False,
    encoding: str = "",
) -> ImportJob:
    """Check the file, store it with a job, and import it: at once when it is small,
    else by the ``observations.import_rows`` task (enqueued when this transaction commits)."""
    access = access_for(user)
    if not access.can_write:
        raise NotAllowed(_("You may not import records."), "forbidden")
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes():
        raise file_too_large()
    data = upload.read(max_bytes() + 1)
    if len(data) > max_bytes():
        raise file_too_large()
    filename = os.path.basename(getattr(upload, "name", "") or "import.csv")[:200]

    code = (protected_area or "").strip().upper()
    if code:
        pa = ProtectedArea.objects.filter(code=code).first()
        if pa is None:
            raise ImportRefused(
                _("Unknown protected area: %(value)s.") % {"value": code[:40]},
                "unknown_protected_area",
                field="protected_area",
            )
        if not access.can_record_in(pa):
            raise ImportRefused(
                _("You may not file records for this protected area."),
                "not_your_protected_area",
                field="protected_area",
            )

    sheet = open_sheet(data, filename=filename, encoding=encoding)
    plan = plan_columns(sheet.headers)
    if not code and "protected_area" not in plan.header_of:
        raise ImportRefused(
            _("Choose the protected area of the file (it has no protected area column)."),
            "protected_area_required",
            field="protected_area",
        )
    estimated = sheet.estimated_rows
    rows = sheet.count() if estimated is None or estimated <= async_rows() else estimated
    if rows == 0:
        raise ImportRefused(_("The file has a header but no rows."), "no_rows")

    job = ImportJob.objects.create(
        user=user,
        file=ContentFile(data, name=filename),
        filename=filename,
        protected_area=code,
        dry_run=dry_run,
        all_or_nothing=all_or_nothing,
        encoding=(encoding or "").strip().lower(),
        language=translation.get_language() or settings.LANGUAGE_CODE,
        total_rows=rows,
        ignored_columns=plan.ignored,
    )
    if rows <= async_rows():
        return import_job_run(job_id=job.pk)
    from ..tasks import import_rows

    transaction.on_commit(lambda: import_rows.delay(str(job.pk)))
    job.refresh_from_db()  # without a broker (the laptop) the task has run already
    return job


def import_job_confirm(*, user, job: ImportJob) -> ImportJob:
    """Import for real the file of a finished preview (same file, same options)."""
    if not job.dry_run or not job.is_finished:
        raise ImportRefused(_("Only a finished preview can be confirmed."), "not_a_preview")
    with job.file.open("rb") as fh:
        data = fh.read()
    upload = ContentFile(data, name=job.filename)
    return import_job_create(
        user=user,
        upload=upload,
        protected_area=job.protected_area,
        dry_run=False,
        all_or_nothing=job.all_or_nothing,
        encoding=job.encoding,
    )


# --- the work ----------------------------------------------------------------------


def import_job_run(*, job_id) -> ImportJob:
    """Run (or resume) an import job. Safe to call again: a finished job is left alone, an
    interrupted one carries on after its last committed chunk."""
    claimed = ImportJob.start(job_id, again=False)
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if not claimed:
        return job
    with translation.override(job.language):
        try:
            _Run(job).run()
        except _Superseded:
            job.refresh_from_db()
        except ImportRefused as exc:
            _fail(job, str(exc.message), code=exc.code)
        except Exception as exc:
            from celery.exceptions import SoftTimeLimitExceeded

            if isinstance(exc, SoftTimeLimitExceeded):
                _fail(
                    job,
                    str(_("The import took longer than allowed and was stopped.")),
                    code="time_limit",
                )
            elif _transient(exc):
                raise  # the task retries; the job resumes after its last chunk
            else:
                log.exception("import %s failed", job.pk)
                _fail(job, str(_("The import failed unexpectedly.")))
    return job


def import_job_abandon(*, job_id) -> None:
    """Mark a job failed after its task gave up (the database stayed unreachable)."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is not None and not job.is_finished:
        with translation.override(job.language):
            _fail(job, str(_("The import failed unexpectedly.")))


def _transient(exc: Exception) -> bool:
    from django.db import InterfaceError, OperationalError

    return isinstance(exc, OperationalError | InterfaceError)


def _fail(job: ImportJob, detail: str, code: str = "import_failed") -> None:
    ImportJob.fail(job.pk, code=code, detail=detail)
    job.refresh_from_db(fields=["status", "error_code", "detail", "finished_at"])


@dataclass
class _Pending:
    """A chunk whose transaction is open and whose new rows are being written."""

    rows: list[Row]
    fresh: list[Row]
    started: object
    stack: ExitStack | None
    progress: dict | None = None

    def busy(self) -> bool:
        return isinstance(self.started, Future) and not self.started.done()


class _Superseded(Exception):
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
        try:
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
        checked; a chunk is handed over when the writer is free, so chunks grow (up to
        ``MAX_CHUNK_ROWS``) while the database is the slower of the two. Outside any
        transaction (the Celery task, a request) the writer's thread runs the chunk's whole
        transaction, COMMIT included (PostgreSQL then checks the deferred foreign keys: a
        good part of the work); inside one (all-or-nothing) it works in a savepoint."""
        own_transactions = (
            write
            and commit_progress
            and self.writer.postgres
            and not transaction.get_connection().in_atomic_block
        )
        begin = self._hand_over if own_transactions else self._begin
        finish = self._settle if own_transactions else self._finish
        pending = None
        rows: list[Row] = []
        try:
            for batch in self._batches(skip=self.job.processed_rows if resume else 0):
                rows.extend(self.reader.read(number, cells) for number, cells in batch)
                if len(rows) < CHUNK_ROWS:
                    continue
                if pending is not None:
                    if pending.busy() and len(rows) < MAX_CHUNK_ROWS:
                        continue  # read on while the database writes
                    done, pending = pending, None
                    finish(done, commit_progress=commit_progress)
                pending = begin(rows, write=write, commit_progress=commit_progress)
                rows = []
            if pending is not None:
                done, pending = pending, None
                finish(done, commit_progress=commit_progress)
            if rows:
                pending = begin(rows, write=write, commit_progress=commit_progress)
                done, pending = pending, None
                finish(done, commit_progress=commit_progress)
        except BaseException:
            if pending is not None:
                self._abandon(pending, sys.exc_info())
            raise

    def _hand_over(self, rows: list[Row], **_options) -> _Pending:
        """Give a chunk to the writer's thread, which stores it with the job's progress as
        it will be and commits. Counted as created: a conflict undoes the whole chunk."""
        fresh = self._first_of_their_id(rows)
        for row in fresh:
            row.outcome = "created"
        progress = self._tally(rows)
        started = self.writer.start_committed(
            fresh, job_id=self.job.pk, expected=self.job.processed_rows, progress=progress
        )
        return _Pending(rows, fresh, started, None, progress)

    def _settle(self, pending: _Pending, **_options) -> None:
        outcome = pending.started.result()
        if outcome == "superseded":
            raise _Superseded
        if outcome == "written":
            self._apply(pending.progress)
            return
        # An id of the chunk was stored meanwhile: nothing of it was kept; the careful way.
        for row in pending.fresh:
            row.outcome = ""
        redo = self._begin(pending.rows, fresh=pending.fresh, write=True, commit_progress=True)
        self._finish(redo, commit_progress=True)

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

    def _begin(
        self, rows: list[Row], *, write: bool, commit_progress: bool, fresh: list | None = None
    ) -> _Pending:
        stack = ExitStack()
        stack.enter_context(transaction.atomic())
        try:
            if commit_progress:
                locked = ImportJob.objects.select_for_update().only("processed_rows")
                if locked.get(pk=self.job.pk).processed_rows != self.job.processed_rows:
                    raise _Superseded
            if fresh is None:
                fresh = self._first_of_their_id(rows)
            started = self.writer.start(fresh) if write else None
        except BaseException:
            stack.__exit__(*sys.exc_info())
            raise
        return _Pending(rows, fresh, started, stack)

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
        """A row whose id is stored already: unchanged when the record says the same."""
        same = record is not None and stored_key(record) == row.key
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
