"""Summary pages (/exchange/summaries/): the list with the coordinators' form, and a
summary's page, Russian and Chinese side by side, English at a click.

Thin: the form parses, exchange.summaries.service decides and enqueues; the page polls
``GET /api/v1/summaries/{id}/`` while a worker makes the summary. Who reads which summary
is observations.access's decision; a summary out of reach answers 404.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from observations.access import access_for
from observations.errors import DomainError

from ..models import Summary
from . import html as rendering
from . import service
from .fingerprint import mark_outdated
from .forms import SummaryForm
from .selectors import summary_for, visible_summaries

LIST_SIZE = 30


def _reader(request):
    access = access_for(request.user)
    if not access.can_read_summaries:
        raise Http404
    return access


@login_required
def summary_list(request):
    access = _reader(request)
    initial = {"year": timezone.now().year - 1}
    form = SummaryForm(request.POST or None, initial=initial) if access.can_make_summaries else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                summary = service.summary_create(access=access, user=request.user, **form.request())
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
            else:
                return redirect("summary-page", pk=summary.pk)
        status = 400
    summaries = list(visible_summaries(access)[:LIST_SIZE])
    mark_outdated(summaries)
    rows = [{"summary": s, **rendering.describe(s)} for s in summaries]
    return render(
        request, "exchange/summary_list.html", {"form": form, "rows": rows}, status=status
    )


@login_required
def summary_page(request, pk):
    access = _reader(request)
    try:
        summary = summary_for(access, pk)
    except Summary.DoesNotExist:
        raise Http404 from None
    mark_outdated([summary])
    english = request.GET.get("en") == "1"
    context = {
        "summary": summary,
        "name": rendering.describe(summary),
        "error": rendering.error_message(summary),
        "english": english,
    }
    if summary.status == Summary.Status.DONE:
        context.update(rendering.body_context(summary, english=english))
    return render(request, "exchange/summary_detail.html", context)
