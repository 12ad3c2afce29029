"""A file import (CSV or XLSX) of field records: its options, progress and outcome."""

import os
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from observations.jobs import BackgroundJob


def import_path(job: "ImportJob", filename: str) -> str:
    """Where an uploaded file is kept: an unguessable name (the file holds exact locations of
    tigers and leopards); its own name stays in ``filename``."""
    suffix = os.path.splitext(filename)[1].lower()[:10]
    return f"imports/{uuid.uuid4().hex}{suffix}"


# Only the first errors are kept on the job (with the total count): a 100,000-row file
# full of mistakes must not become a 100 MB row.
MAX_STORED_ERRORS = 1000


class ImportJob(BackgroundJob):
    """One uploaded file and what became of it.

    Small files are imported during the upload; larger ones by a Celery task,
    which updates ``processed_rows`` as it goes (the page polls
    ``/api/v1/imports/<id>/``). Rows get deterministic ids, so running a job
    again, or uploading the same file again, creates nothing new.
    """

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
    # Outcome (status, progress and times: BackgroundJob).
    created = models.PositiveIntegerField(_("created"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    invalid_rows = models.PositiveIntegerField(_("rows with errors"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    preview = models.JSONField(_("preview"), default=list, blank=True)
    ignored_columns = models.JSONField(_("ignored columns"), default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("file import")
        verbose_name_plural = _("file imports")
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def errors_truncated(self) -> bool:
        return self.error_count > len(self.errors)
