"""Export pages (/exchange/exports/): ask for an export, follow its progress, download it.

Thin: the form parses, exchange.exports.service decides and enqueues; the job page polls
``GET /api/v1/exports/{id}/`` while a worker builds the file. Only coordinators (and admins)
export; someone else's export answers 404.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation

from observations.access import access_for
from observations.errors import DomainError

from ..models import ExportJob
from . import service
from .forms import ExportForm
from .labels import filters_shown, licence_label
from .selectors import own_exports, visible_exports


def _exporter(request):
    access = access_for(request.user)
    if not access.can_export:
        raise Http404
    return access


@login_required
def export_list(request):
    access = _exporter(request)
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = service.export_create(
                access=access,
                user=request.user,
                format=form.cleaned_data["format"],
                filters=form.filters(),
                title=form.cleaned_data["title"],
                licence=form.cleaned_data["licence"],
                language=translation.get_language() or "en",
                purpose=form.cleaned_data["purpose"] or ExportJob.Purpose.PUBLICATION,
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            return redirect("export-page", pk=job.pk)
    jobs = own_exports(access)[:20]
    status = 400 if request.method == "POST" else 200
    return render(request, "exchange/export_list.html", {"form": form, "jobs": jobs}, status=status)


@login_required
def export_page(request, pk):
    access = _exporter(request)
    job = get_object_or_404(visible_exports(access), pk=pk)
    return render(
        request,
        "exchange/export_job.html",
        {"job": job, "filters": filters_shown(job.filters), "licence": licence_label(job.licence)},
    )
