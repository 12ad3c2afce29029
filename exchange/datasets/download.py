"""Downloading a version: an export job of the export machinery, built from the frozen rows.

``version_download`` makes (or finds) the ExportJob of this user, version, format and
language: the same file is not built twice while it lasts. A Celery worker builds it
(exchange.exports.tasks.build_export, exchange.exports.dataset); the job is followed and
its file fetched as any export's (``/api/v1/exports/{id}/``, ``.../download/``) or on the
dataset's download page.

Errors: ``forbidden`` (403), ``unknown_format`` (400), ``version_not_published`` (409).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from observations.access import Access
from observations.errors import Conflict, DomainError, NotAllowed

from ..exports import service as export_service
from ..models import DatasetVersion, ExportJob
from .permissions import can_view_dataset

FORMATS = (ExportJob.Format.CSV, ExportJob.Format.XLSX, ExportJob.Format.DWCA)


def version_download(
    *, access: Access, user, version: DatasetVersion, format: str, language: str = "en"
) -> ExportJob:
    if not can_view_dataset(access, version.dataset):
        raise NotAllowed(_("You may not download this dataset."), "forbidden")
    format = (format or "").strip().lower()
    if format not in FORMATS:
        raise DomainError(
            _("Unknown format: %(value)s. Choose csv, xlsx or dwca.") % {"value": format or "—"},
            "unknown_format",
            field="format",
        )
    if not version.is_published:
        raise Conflict(
            _("Version %(number)s is not published (yet).") % {"number": version.number},
            "version_not_published",
        )
    language = language or "en"
    existing = (
        ExportJob.objects.filter(
            user=user, dataset_version=version, format=format, language=language
        )
        .exclude(status=ExportJob.Status.FAILED)
        .exclude(expires_at__lt=timezone.now())
        .order_by("-created_at")
        .first()
    )
    if existing is not None:
        return existing
    with transaction.atomic():
        job = ExportJob.objects.create(
            user=user,
            format=format,
            dataset_version=version,
            title=f"{version.title} (v{version.number})"[:300],
            licence=version.licence,
            language=language,
            total_rows=version.row_count,
        )
        transaction.on_commit(lambda: export_service._enqueue(job.pk))
    return job
