"""Summary pages (/exchange/summaries/): the list with the coordinators' form, and a
summary's page, Russian and Chinese side by side, English at a click.

Thin: the form parses, exchange.summaries.service decides and enqueues; the page polls
``GET /api/v1/summaries/{id}/`` while a worker makes the summary. Who reads which summary
is observations.access's decision; a summary out of reach answers 404.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from observations.access import access_for
from observations.camera.abundance import SEASONS
from observations.errors import DomainError
from observations.models import CensusCampaign, Country, ProtectedArea, Species

from ..models import Summary
from . import html as rendering
from . import service
from .fingerprint import mark_outdated

LIST_SIZE = 30


class SummaryForm(forms.Form):
    species = forms.ModelChoiceField(
        label=_("species"),
        queryset=Species.objects.filter(monitored=True),
        to_field_name="scientific_name",
    )
    scope = forms.ChoiceField(
        label=_("scope"), choices=Summary.Scope.choices, initial=Summary.Scope.JOINT
    )
    country = forms.ChoiceField(
        label=_("country"),
        required=False,
        choices=[("", "—"), *Country.choices],
        help_text=_("For a country's summary."),
    )
    protected_area = forms.ModelChoiceField(
        label=_("protected area"),
        required=False,
        queryset=ProtectedArea.objects.order_by("country", "code"),
        to_field_name="code",
        help_text=_("For a protected area's summary."),
    )
    period_kind = forms.ChoiceField(
        label=_("period"),
        choices=Summary.PeriodKind.choices,
        initial=Summary.PeriodKind.YEAR,
        widget=forms.RadioSelect,
    )
    year = forms.IntegerField(label=_("year"), required=False, min_value=1990, max_value=2100)
    season = forms.ChoiceField(
        label=_("season"), required=False, choices=[("", "—"), *SEASONS.items()]
    )
    campaign = forms.ModelChoiceField(
        label=_("census campaign"),
        required=False,
        queryset=CensusCampaign.objects.order_by("-starts_on"),
    )

    def request(self) -> dict:
        """The service's arguments."""
        data = self.cleaned_data
        kind = data["period_kind"]
        period = {}
        if kind == Summary.PeriodKind.YEAR:
            period["year"] = data["year"]
        elif kind == Summary.PeriodKind.SEASON:
            period["season"] = f"{data['year'] or ''}-{data['season']}"
        else:
            period["campaign"] = str(data["campaign"].pk) if data["campaign"] else None
        return {
            "species": data["species"].scientific_name,
            "scope": data["scope"],
            "country": data["country"] if data["scope"] == Summary.Scope.COUNTRY else "",
            "protected_area": data["protected_area"].code
            if data["protected_area"] and data["scope"] == Summary.Scope.PA
            else "",
            **period,
        }


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
    summaries = list(service.visible_summaries(access)[:LIST_SIZE])
    mark_outdated(summaries)
    rows = [{"summary": s, **rendering.describe(s)} for s in summaries]
    return render(
        request, "exchange/summary_list.html", {"form": form, "rows": rows}, status=status
    )


@login_required
def summary_page(request, pk):
    access = _reader(request)
    try:
        summary = service.summary_for(access, pk)
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


urlpatterns = [
    path("", summary_list, name="summaries-page"),
    path("<uuid:pk>/", summary_page, name="summary-page"),
]
