"""Pages of the file import: the upload form, a job's progress and outcome, the templates.

Thin: they call observations.imports.services, which the API calls too.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.views.decorators.http import require_POST

from ..access import access_for
from ..errors import DomainError
from ..models import ImportJob
from . import services
from .forms import ImportForm
from .headers import template_language
from .template_files import column_help, template_csv, template_xlsx


@login_required
def upload(request):
    access = access_for(request.user)
    if request.method == "POST":
        if not access.can_write:
            raise PermissionDenied
        form = ImportForm(request.POST, request.FILES, access=access)
        if form.is_valid():
            data = form.cleaned_data
            try:
                job = services.import_job_create(
                    user=request.user,
                    upload=data["file"],
                    protected_area=data["protected_area"],
                    dry_run=data["dry_run"],
                    all_or_nothing=data["all_or_nothing"],
                    encoding=data["encoding"],
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
            else:
                return redirect("import-job", pk=job.pk)
        status = 400
    else:
        form = ImportForm(access=access)
        status = 200
    language = template_language(translation.get_language())
    return render(
        request,
        "observations/import_upload.html",
        {
            "form": form,
            "can_import": access.can_write,
            "jobs": access.own_jobs(ImportJob)[:10],
            "columns": column_help(language),
            "template_language": language,
            "max_mb": services.max_bytes() // (1024 * 1024),
            "template_languages": [("en", "English"), ("ru", "Русский"), ("zh", "中文")],
        },
        status=status,
    )


@login_required
def job_detail(request, pk):
    job = get_object_or_404(access_for(request.user).visible_jobs(ImportJob), pk=pk)
    return render(request, "observations/import_job.html", {"job": job})


@login_required
@require_POST
def job_confirm(request, pk):
    job = get_object_or_404(access_for(request.user).visible_jobs(ImportJob), pk=pk)
    try:
        new = services.import_job_confirm(user=request.user, job=job)
    except DomainError as exc:
        return render(
            request,
            "observations/import_job.html",
            {"job": job, "problem": exc.message},
            status=400,
        )
    return redirect("import-job", pk=new.pk)


def template_file(request, language: str, fmt: str):
    if language not in ("en", "ru", "zh") or fmt not in ("csv", "xlsx"):
        raise Http404
    if fmt == "csv":
        body, kind = template_csv(language), "text/csv; charset=utf-8"
    else:
        body = template_xlsx(language)
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="amur-records-{language}.{fmt}"'
    return response
