"""A file import (CSV or XLSX) of field records: its options, progress and outcome."""

import os
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def import_path(job: "ImportJob", filename: str) -> str:
    """Where an uploaded file is kept: an unguessable name (the file holds exact locations of
    tigers and leopards); its own name stays in ``filename``."""
    suffix = os.path.splitext(filename)[1].lower()[:10]
    return f"imports/{uuid.uuid4().hex}{suffix}"


# Only the first errors are kept on the job (with the total count): a 100,000-row file
# full of mistakes must not become a 100 MB row.
MAX_STORED_ERRORS = 1000


class ImportJob(models.Model):
    """One uploaded file and what became of it.

    Small files are imported during the upload; larger ones by a Celery task,
    which updates ``processed_rows`` as it goes (the page polls
    ``/api/v1/imports/<id>/``). Rows get deterministic ids, so running a job
    again, or uploading the same file again, creates nothing new.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="import_jobs",
    )
    file = models.FileField(_("file"), upload_to=import_path, max_length=200)
    filename = models.CharField(_("file name"), max_length=255)
    # Options chosen at upload.
    protected_area = models.CharField(
        _("protected area"),
        max_length=40,
        blank=True,
        help_text=_("Code of the protected area for rows that name none."),
    )
    dry_run = models.BooleanField(_("preview only"), default=False)
    all_or_nothing = models.BooleanField(_("all or nothing"), default=False)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    # Progress and outcome.
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    invalid_rows = models.PositiveIntegerField(_("rows with errors"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    preview = models.JSONField(_("preview"), default=list, blank=True)
    ignored_columns = models.JSONField(_("ignored columns"), default=list, blank=True)
    detail = models.TextField(_("detail"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("file import")
        verbose_name_plural = _("file imports")
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def errors_truncated(self) -> bool:
        return self.error_count > len(self.errors)

    @property
    def percent(self) -> int:
        if self.is_finished:
            return 100
        if not self.total_rows:
            return 0
        return min(99, int(100 * self.processed_rows / self.total_rows))
