"""Pages of a version: browse, a row and its remarks, downloads, comparing versions; and the
PA manager's flags."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from observations.access import access_for
from observations.disclosure import for_user
from observations.disclosure.policy import remark_text
from observations.errors import DomainError
from observations.models import (
    Evidence,
    ProtectedArea,
    RecordStatus,
    Remark,
    Species,
)
from observations.remarks.services import open_flags

from ...exports.selectors import visible_exports
from ...models import DatasetRow, DatasetVersion, ExportJob, Precision
from .. import browse, compare, download, review
from ..citation import citation_for
from ..permissions import can_remark_in_dataset, can_view_dataset
from .common import _dataset, _labels, answers_errors

PAGE_SIZE = 50
COMPARE_ROWS = 100
FLAG_INBOX_SIZE = 200


# --- a version: browse, review, download --------------------------------------------------


def _filter_options(version: DatasetVersion) -> dict:
    """What the filters offer: the version's species and PAs (two queries)."""
    species = list(
        Species.objects.filter(
            pk__in=version.rows.order_by().values("species_id").distinct()
        ).order_by("scientific_name")
    )
    pas = list(
        ProtectedArea.objects.filter(
            pk__in=version.rows.order_by().values("protected_area_id").distinct()
        ).order_by("country", "code")
    )
    return {
        "species": species,
        "protected_areas": pas,
        "statuses": RecordStatus.choices,
        "evidence": Evidence.choices,
        "flag_states": [
            ("open", _("with an open flag")),
            ("closed", _("flags all closed")),
            ("any", _("flagged")),
            ("none", _("never flagged")),
        ],
    }


def _named(summary: dict, options: dict) -> dict:
    species = {s.pk: s for s in options["species"]}
    pas = {pa.pk: pa for pa in options["protected_areas"]}
    for row in summary["per_species"]:
        row["species"] = species.get(row["species_id"])
    for row in summary["per_protected_area"]:
        row["protected_area"] = pas.get(row["protected_area_id"])
    statuses = dict(RecordStatus.choices)
    for row in summary["per_status"]:
        row["label"] = statuses.get(row["status"], row["status"])
    return summary


@login_required
@answers_errors
def version_browse(request, pk, number):
    dataset = _dataset(request, pk)
    version = browse.version_of(dataset, number)
    filters = browse.clean_row_filters(request.GET, version)
    rows = browse.rows_of(version, filters)
    page = Paginator(browse.rows_for_display(rows), PAGE_SIZE).get_page(request.GET.get("page"))
    _labels(page.object_list)
    states = browse.flag_states(dataset, [r.record_id for r in page.object_list])
    for row in page.object_list:
        row.flag_state = states.get(row.record_id, "")
    options = _filter_options(version)
    kept = {k: v for k, v in request.GET.items() if k in browse.ROW_FILTERS and v}
    points = [
        [p["latitude"], p["longitude"], p["records"], p["individuals"] or 0]
        for p in browse.map_points(rows)
    ]
    return render(
        request,
        "exchange/dataset_version.html",
        {
            "dataset": dataset,
            "version": version,
            "citation": citation_for(version),
            "filters": filters,
            "raw_filters": kept,
            "query_string": urlencode(kept),
            "options": options,
            "page": page,
            "summary": _named(browse.summary(rows), options),
            "points": points,
            "map_tiles_url": settings.MAP_TILES_URL,
            "formats": download.FORMATS,
            "precision_label": dict(Precision.choices).get(version.precision, version.precision),
        },
    )


@login_required
@answers_errors
def row_detail(request, pk, number, record_id):
    access = access_for(request.user)
    dataset = _dataset(request, pk)
    version = browse.version_of(dataset, number)
    row = review.row_of(version, record_id)
    _labels([row])
    return render(
        request,
        "exchange/dataset_row.html",
        {
            "dataset": dataset,
            "version": version,
            "row": row,
            "remarks": browse.row_remarks(dataset, row.record_id, for_user(access)),
            "can_remark": can_remark_in_dataset(access, dataset),
            "flag_reasons": Remark.Reason.choices,
        },
    )


@login_required
@require_POST
@answers_errors
def row_remark(request, pk, number, record_id):
    dataset = _dataset(request, pk)
    version = browse.version_of(dataset, number)
    try:
        review.row_remark_create(
            access=access_for(request.user),
            user=request.user,
            version=version,
            record_id=record_id,
            kind=request.POST.get("kind", "comment"),
            reason=request.POST.get("reason", ""),
            text=request.POST.get("text", ""),
        )
    except DomainError as exc:
        if exc.status_code == 404:
            raise
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request,
            gettext("Your flag is sent to the record's protected area.")
            if request.POST.get("kind") == Remark.Kind.FLAG
            else gettext("Your remark is saved."),
        )
    return redirect("dataset-row", pk=dataset.pk, number=version.number, record_id=record_id)


@login_required
@require_POST
@answers_errors
def version_download(request, pk, number):
    dataset = _dataset(request, pk)
    version = browse.version_of(dataset, number)
    job = download.version_download(
        access=access_for(request.user),
        user=request.user,
        version=version,
        format=request.POST.get("format", ""),
        language=translation.get_language() or "en",
    )
    return redirect("dataset-download-page", job_pk=job.pk)


def _download_job(request, job_pk) -> ExportJob:
    access = access_for(request.user)
    jobs = visible_exports(access).filter(dataset_version__isnull=False)
    job = get_object_or_404(jobs.select_related("dataset_version__dataset"), pk=job_pk)
    if not can_view_dataset(access, job.dataset_version.dataset):
        raise Http404
    return job


@login_required
def download_page(request, job_pk):
    job = _download_job(request, job_pk)
    version = job.dataset_version
    return render(
        request,
        "exchange/dataset_download.html",
        {"job": job, "version": version, "dataset": version.dataset},
    )


@login_required
def download_file(request, job_pk):
    job = _download_job(request, job_pk)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404
    if not job.file.storage.exists(job.file.name):
        raise Http404
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)


# --- comparing versions ------------------------------------------------------------------


def _pair(request, dataset):
    access = access_for(request.user)
    return compare.pair(access, dataset, request.GET.get("from"), request.GET.get("to"))


@login_required
@answers_errors
def version_compare(request, pk):
    dataset = _dataset(request, pk)
    older, newer = _pair(request, dataset)
    added = list(browse.rows_for_display(compare.added(older, newer))[:COMPARE_ROWS])
    removed = list(browse.rows_for_display(compare.removed(older, newer))[:COMPARE_ROWS])
    changed_rows = browse.rows_for_display(compare.changed(older, newer))[:COMPARE_ROWS]
    changes = compare.changes(older, newer, changed_rows)
    _labels(added + removed + [c.after for c in changes] + [c.before for c in changes])
    labels = {name: str(_field_label(name)) for name in {f for c in changes for f in c.fields}}
    for change in changes:
        change.items = [
            (labels[f], getattr(change.before, f), getattr(change.after, f)) for f in change.fields
        ]
    return render(
        request,
        "exchange/dataset_compare.html",
        {
            "dataset": dataset,
            "older": older,
            "newer": newer,
            "counts": compare.counts(older, newer),
            "added": added,
            "removed": removed,
            "changes": changes,
            "limit": COMPARE_ROWS,
            "query_string": urlencode({"from": older.number, "to": newer.number}),
        },
    )


def _field_label(name: str):
    return DatasetRow._meta.get_field(name).verbose_name


@login_required
@answers_errors
def version_compare_csv(request, pk):
    dataset = _dataset(request, pk)
    older, newer = _pair(request, dataset)
    answer = StreamingHttpResponse(
        compare.csv_lines(older, newer), content_type="text/csv; charset=utf-8"
    )
    name = f"dataset-v{older.number}-v{newer.number}-changes.csv"
    answer["Content-Disposition"] = f'attachment; filename="{name}"'
    return answer


# --- the PA manager's flags --------------------------------------------------------------


@login_required
def flag_inbox(request):
    """Open flags on the records of the PAs this user manages (from datasets and pages)."""
    access = access_for(request.user)
    if not access.has_flag_inbox:
        raise Http404
    flags = (
        access.inbox_flags(open_flags())
        .select_related("observation__species", "observation__protected_area")
        .order_by("-created_at")[:FLAG_INBOX_SIZE]
    )
    audience = for_user(access)
    flags = list(flags)
    for flag in flags:  # the text as the disclosure policy shows it beside the record
        flag.text = remark_text(audience, flag.text, flag.observation).value
    return render(request, "exchange/dataset_flags.html", {"flags": flags})
