"""The one shape of a background job: an import, an export, a summary.

Every job a Celery worker runs for a user has the same life (waiting, running, done or
failed), the same clock (asked, started, finished), the same progress counters and the
same way of saying what went wrong. They are declared here once, with the one progress
rule the pages and the API show, so that a failed import and a failed export look alike.

The worker changes a job's row with an UPDATE by primary key (``start``, ``step``,
``finish``, ``fail``) rather than saving an instance: the web process reads the same row
while the worker writes it. On PostgreSQL an update simply waits for a lock; on a
laptop's SQLite the web process and the worker share one file and the database answers
"table is locked" instead of waiting, so the update is tried again briefly rather than
losing the job's progress or result.
"""

from __future__ import annotations

import time

from django.db import OperationalError, models
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


UNFINISHED = (JobStatus.PENDING, JobStatus.RUNNING)
FINISHED = (JobStatus.DONE, JobStatus.FAILED)


def update_job_row(model, pk, *, statuses=None, tries: int = 20, **fields) -> int:
    """Update ``model``'s row ``pk`` (only if its status is one of ``statuses``, when
    given); the number of rows updated. Retried while SQLite says the table is locked."""
    rows = model._default_manager.filter(pk=pk)
    if statuses:
        rows = rows.filter(status__in=statuses)
    for attempt in range(tries):
        try:
            return rows.update(**fields)
        except OperationalError:
            if attempt == tries - 1:
                raise
            time.sleep(0.05)
    return 0


class BackgroundJob(models.Model):
    """Status, times, progress and error of a job; each concrete job adds its own owner
    (named by ``owner_field``), options and outcome."""

    Status = JobStatus

    # The field holding the user the job is for (who may see it).
    owner_field = "user"

    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.PENDING
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    error_code = models.CharField(_("error code"), max_length=40, blank=True)
    detail = models.TextField(_("detail"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def created_by(self):
        return getattr(self, self.owner_field)

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int:
        """The one progress rule: 100 only when done; otherwise the share of the rows
        reached (never 100: a failed job stops where it stopped)."""
        if self.status == JobStatus.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(99, int(100 * self.processed_rows / self.total_rows))

    # --- what the worker does to the row -----------------------------------------------

    @classmethod
    def update_row(cls, pk, **fields) -> int:
        return update_job_row(cls, pk, **fields)

    @classmethod
    def start(cls, pk, *, again: bool = True, **fields) -> bool:
        """Claim a waiting job (or one whose worker was lost, still "running"); False when
        it is finished already. ``again``: the clock starts anew (the job is built again
        from the start); otherwise the first start is kept (the job resumes)."""
        now = timezone.now()
        started = now if again else Coalesce(models.F("started_at"), models.Value(now))
        return bool(
            update_job_row(
                cls,
                pk,
                statuses=UNFINISHED,
                status=JobStatus.RUNNING,
                started_at=started,
                **fields,
            )
        )

    @classmethod
    def step(cls, pk, processed: int, **fields) -> int:
        """Rows done so far (and any other counter)."""
        return update_job_row(cls, pk, processed_rows=processed, **fields)

    @classmethod
    def finish(cls, pk, **fields) -> int:
        """The job is done; ``fields`` are its outcome."""
        fields.setdefault("finished_at", timezone.now())
        return update_job_row(cls, pk, status=JobStatus.DONE, **fields)

    @classmethod
    def fail(cls, pk, *, detail: str, code: str = "", **fields) -> int:
        """The job failed: ``code`` for programs, ``detail`` for people."""
        fields.setdefault("finished_at", timezone.now())
        return update_job_row(
            cls, pk, status=JobStatus.FAILED, error_code=code, detail=detail, **fields
        )
