"""Exports: asked for by a coordinator, built by a Celery worker, downloaded by the asker.

``export_create`` checks the request (format, filters, licence) and that the filters
select at least one record, stores the job and enqueues ``exchange.build_export`` once
the transaction commits. ``export_run`` (the task's body) claims the job, renders the file
inside the job's language, streams the rows into a temporary file (exchange.exports.tabular
and .dwca), moves it into the media storage and records the outcome; progress
(``processed_rows`` of ``total_rows``) is written as it goes.

Errors (DomainError codes): ``forbidden``, ``unknown_format``, ``unknown_filter`` and
the other filter codes of exchange.exports.query, ``unknown_licence``, ``empty_export``
(the filters match nothing the user may read).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import tempfile
import time

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Count, Max, Min
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from observations.access import Access, access_for
from observations.disclosure import EXACT, PUBLIC, for_user
from observations.errors import DomainError, NotAllowed
from observations.models import CensusCampaign, RecordStatus

from ..models import ExportJob
from . import dataset as dataset_source
from . import query, tabular
from .dwca.archive import Sources, write_archive
from .dwca.licences import DEFAULT_LICENCE, LICENCES
from .dwca.meta import eml_xml

log = logging.getLogger(__name__)

KEEP_DAYS = 7
EXTENSIONS = {"csv": "csv", "xlsx": "xlsx", "geojson": "geojson", "dwca": "zip"}


def clean_licence(licence: str) -> str:
    """``licence`` if it is one of the licences of exports and datasets, else an error."""
    if licence not in LICENCES:
        raise DomainError(
            _("Unknown licence: %(value)s. Choose %(known)s.")
            % {"value": licence, "known": ", ".join(LICENCES)},
            "unknown_licence",
            field="licence",
        )
    return licence


def export_create(
    *,
    access: Access,
    user,
    format: str,
    filters: dict | None = None,
    title: str = "",
    licence: str = "",
    language: str = "en",
    purpose: str = ExportJob.Purpose.PUBLICATION,
) -> ExportJob:
    """A new export job (pending); the worker starts when the transaction commits.

    ``purpose``: "publication" (the default: the file shows what the public may see, so it
    can go to GBIF or a workshop as it is) or "internal" (exact places in the PAs the
    asker oversees: a coordinator of this node's own country, or an admin)."""
    if not access.can_export:
        raise NotAllowed(_("Only national coordinators export data."), "forbidden")
    purpose = purpose or ExportJob.Purpose.PUBLICATION
    if purpose not in ExportJob.Purpose.values:
        raise DomainError(
            _("Unknown purpose: %(value)s. Choose publication or internal.")
            % {"value": str(purpose)[:40]},
            "unknown_purpose",
            field="purpose",
        )
    if purpose == ExportJob.Purpose.INTERNAL and not access.can_export_internal:
        raise NotAllowed(
            _(
                "An internal export with exact places is only for this node's own "
                "coordinators: choose an export for publication."
            ),
            "internal_not_allowed",
        )
    if format not in ExportJob.Format.values:
        raise DomainError(
            _("Unknown format: %(value)s. Choose csv, xlsx, geojson or dwca.")
            % {"value": format or "—"},
            "unknown_format",
            field="format",
        )
    licence = clean_licence(licence or DEFAULT_LICENCE)
    cleaned = query.clean_filters(filters)
    if not query.observations_for(access=access, filters=cleaned).exists():
        raise DomainError(
            _("No record matches these filters: there is nothing to export."),
            "empty_export",
            field="filters",
        )
    with transaction.atomic():
        job = ExportJob.objects.create(
            user=user,
            format=format,
            filters=cleaned,
            title=(title or "").strip()[:300],
            licence=licence,
            language=language or "en",
            purpose=purpose,
        )
        if purpose == ExportJob.Purpose.INTERNAL:
            log.warning("internal export %s (exact places) asked by user %s", job.pk, user.pk)
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id) -> None:
    from .tasks import build_export

    build_export.delay(str(job_id))


class Progress:
    """Rows written so far, saved on the job at most every half second."""

    def __init__(self, job_id, every: float = 0.5):
        self.job_id, self.every = job_id, every
        self.rows, self._saved_at = 0, time.monotonic()

    def advance(self, n: int = 1) -> None:
        self.set(self.rows + n)

    def set(self, rows: int) -> None:
        self.rows = rows
        now = time.monotonic()
        if now - self._saved_at >= self.every:
            self._saved_at = now
            self.save()

    def save(self) -> None:
        ExportJob.step(self.job_id, self.rows)


def default_title(job: ExportJob) -> str:
    campaign_id = job.filters.get("campaign")
    if campaign_id:
        campaign = CensusCampaign.objects.filter(pk=campaign_id).first()
        if campaign is not None:
            return f"{campaign.name_en}: {gettext('records')}"
    return gettext("%(node)s: wildlife monitoring records") % {"node": settings.NODE_NAME}


def _contact(user) -> dict:
    return {
        "given": user.first_name,
        "surname": user.last_name or user.get_username(),
        "email": user.email,
    }


def _summary(records) -> dict:
    """Species, first and last time, and number of an archive's records: one GROUP BY."""
    rows = list(
        records.values("species_id", "species__scientific_name")
        .annotate(n=Count("id"), first=Min("observed_at"), last=Max("observed_at"))
        .order_by()
    )
    return {
        "species": {r["species_id"]: r["species__scientific_name"] for r in rows},
        "first": min((r["first"] for r in rows), default=None),
        "last": max((r["last"] for r in rows), default=None),
        "total": sum(r["n"] for r in rows),
    }


def audience_of(job: ExportJob):
    """Who the file is for, as the disclosure policy sees it."""
    if job.purpose == ExportJob.Purpose.INTERNAL:
        return for_user(access_for(job.user))
    return PUBLIC


def _build(job: ExportJob, path: str, progress: Progress, summary: dict | None) -> int:
    access = access_for(job.user)
    audience = audience_of(job)
    records = query.observations_for(access=access, filters=job.filters)
    title = job.title or default_title(job)
    if job.format == ExportJob.Format.DWCA:
        species = sorted(summary["species"].values())
        span = summary
        generalised = (
            records.alias(_shown=audience.record_precision_sql()).exclude(_shown=EXACT).exists()
        )
        eml = eml_xml(
            package_id=str(job.pk),
            title=title,
            abstract=_abstract(job, species),
            licence=job.licence,
            contact=_contact(job.user),
            species=species,
            first=span["first"],
            last=span["last"],
            generalised=generalised,
            internal=job.purpose == ExportJob.Purpose.INTERNAL,
        )
        sources = Sources(occurrences=records, audience=audience, licence=job.licence)
        return write_archive(path, sources, progress, eml=eml)
    columns = query.tabular_columns(audience, job.language)
    rows = tabular.rows(query.annotated_rows(records, columns))
    if job.format == ExportJob.Format.CSV:
        return tabular.write_csv(path, [c[1] for c in columns], rows, progress)
    if job.format == ExportJob.Format.XLSX:
        return tabular.write_xlsx(
            path, [c[1] for c in columns], rows, progress, sheet_title=gettext("Records")
        )
    return tabular.write_geojson(path, [c[0] for c in columns], rows, progress, name=title)


def _abstract(job: ExportJob, species: list[str]) -> str:
    parts = [f"{settings.NODE_NAME}: records of {', '.join(species)}"]
    filters = job.filters
    if filters.get("protected_areas"):
        parts.append("in " + ", ".join(filters["protected_areas"]))
    if filters.get("country"):
        parts.append(f"in {filters['country']}")
    if filters.get("observed_after") or filters.get("observed_before"):
        parts.append(
            f"observed from {filters.get('observed_after', '…')} "
            f"until {filters.get('observed_before', '…')}"
        )
    parts.append(f"(status: {', '.join(filters.get('status') or RecordStatus.SHARED_BY_DEFAULT)})")
    return " ".join(parts) + "."


def export_run(*, job_id) -> ExportJob:
    """Build the job's file. Idempotent: a finished job is left alone; a job whose worker
    was lost (still "running") is built again from the start."""
    claimed = ExportJob.start(job_id, processed_rows=0)
    job = ExportJob.objects.select_related("user", "dataset_version__published_by").get(pk=job_id)
    if not claimed:
        return job
    progress = Progress(job.pk)
    folder = tempfile.mkdtemp(prefix="amur-export-")
    path = os.path.join(folder, "export")
    try:
        if job.dataset_version_id:  # a shared dataset's version: its frozen rows
            ExportJob.update_row(job.pk, total_rows=job.dataset_version.row_count)
            with translation.override(job.language):
                written = dataset_source.build(job, path, progress)
        else:
            access = access_for(job.user)
            records = query.observations_for(access=access, filters=job.filters)
            summary = _summary(records) if job.format == ExportJob.Format.DWCA else None
            total = summary["total"] if summary else records.count()
            ExportJob.update_row(job.pk, total_rows=total)
            with translation.override(job.language):
                written = _build(job, path, progress, summary)
        filename = _filename(job)
        with open(path, "rb") as fh:
            job.file.save(f"{job.pk}/{filename}", File(fh), save=False)
        finished = timezone.now()
        ExportJob.finish(
            job.pk,
            file=job.file.name,
            filename=filename,
            size_bytes=os.path.getsize(path),
            total_rows=written,
            processed_rows=written,
            finished_at=finished,
            expires_at=finished + dt.timedelta(days=KEEP_DAYS),
        )
    except Exception as exc:
        log.exception("export %s failed", job.pk)
        with translation.override(job.language):
            detail = gettext("The export could not be built: %(error)s") % {
                "error": exc.__class__.__name__
            }
        ExportJob.fail(job.pk, code="build_failed", detail=detail)
        raise
    finally:
        if os.path.exists(path):
            os.remove(path)
        os.rmdir(folder)
    job.refresh_from_db()
    return job


def _filename(job: ExportJob) -> str:
    if job.dataset_version_id:
        return dataset_source.filename(job, EXTENSIONS[job.format])
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    kind = "dwca" if job.format == ExportJob.Format.DWCA else "records"
    return f"amur-{settings.NODE_CODE.lower()}-{kind}-{stamp}.{EXTENSIONS[job.format]}"


def exports_purge(*, now: dt.datetime | None = None) -> int:
    """Delete the files and jobs past their expiry."""
    now = now or timezone.now()
    gone = 0
    for job in ExportJob.objects.filter(expires_at__lt=now):
        if job.file:
            job.file.delete(save=False)
        job.delete()
        gone += 1
    return gone
