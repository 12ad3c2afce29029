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
with its audit-history row and its change-feed entry in the same transaction, written by the
records service's bulk form (observations.records.bulk). The reading and writing of
a job's rows, chunk by chunk, is observations.imports.job_run.
"""

from __future__ import annotations

import logging
import os

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ..access import access_for
from ..errors import NotAllowed
from ..models import ImportJob, ProtectedArea
from .job_run import Superseded, run_job
from .parsing import ImportRefused, open_sheet
from .rows import plan_columns

log = logging.getLogger(__name__)


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
    from .tasks import import_rows

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
            run_job(job)
        except Superseded:
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
