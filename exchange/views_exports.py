"""Export pages (/exchange/exports/): ask for an export, follow its progress, download it.

Thin: the form parses, exchange.exports.service decides and enqueues; the job page polls
``GET /api/v1/exports/{id}/`` while a worker builds the file. Only coordinators (and admins)
export; someone else's export answers 404.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from observations.access import access_for
from observations.errors import DomainError
from observations.models import CensusCampaign, Country, ProtectedArea, RecordStatus, Species

from .exports import dwca, service
from .models import ExportJob

# The licences of exports (exchange.exports.dwca.LICENCES) by their names in the reader's
# language; the archive's metadata keeps the names Darwin Core readers expect.
LICENCE_LABELS = {
    "CC0-1.0": _("Public domain (CC0 1.0)"),
    "CC-BY-4.0": _("Creative Commons Attribution 4.0 (CC BY)"),
    "CC-BY-NC-4.0": _("Creative Commons Attribution-NonCommercial 4.0 (CC BY-NC)"),
}


def licence_label(code: str) -> str:
    return str(LICENCE_LABELS.get(code, code))


def filters_shown(filters: dict) -> list[tuple[str, str]]:
    """A job's filters (as stored: scientific names, PA codes, status values) as the page
    shows them, in the reader's language."""
    shown = []
    if filters.get("species"):
        names = {
            sp.scientific_name: sp.name
            for sp in Species.objects.filter(scientific_name__in=filters["species"])
        }
        shown.append((_("species"), [names.get(n, n) for n in filters["species"]]))
    if filters.get("protected_areas"):
        names = {
            pa.code: pa.name
            for pa in ProtectedArea.objects.filter(code__in=filters["protected_areas"])
        }
        shown.append((_("protected areas"), [names.get(c, c) for c in filters["protected_areas"]]))
    if filters.get("country"):
        shown.append((_("country"), [dict(Country.choices).get(filters["country"], "?")]))
    if filters.get("observed_after"):
        shown.append((_("observed from"), [filters["observed_after"]]))
    if filters.get("observed_before"):
        shown.append((_("observed before"), [filters["observed_before"]]))
    if filters.get("status"):
        labels = dict(RecordStatus.choices)
        shown.append((_("status"), [labels.get(s, s) for s in filters["status"]]))
    if filters.get("campaign"):
        campaign = CensusCampaign.objects.filter(pk=filters["campaign"]).first()  # checked id
        shown.append((_("census campaign"), [campaign.name if campaign else "—"]))
    return [(str(label), ", ".join(str(v) for v in values)) for label, values in shown]


class DateInput(forms.DateInput):
    input_type = "date"


class ExportForm(forms.Form):
    purpose = forms.ChoiceField(
        label=_("purpose"),
        choices=ExportJob.Purpose.choices,
        initial=ExportJob.Purpose.PUBLICATION,
        required=False,  # none chosen: for publication, the safe one
        widget=forms.RadioSelect,
        help_text=_(
            "For publication: what the public may see (sensitive species on their grid "
            "cells, their notes withheld), ready for GBIF or a workshop. Internal: exact "
            "places of the protected areas you oversee; never publish or forward it."
        ),
    )
    format = forms.ChoiceField(
        label=_("format"),
        choices=ExportJob.Format.choices,
        initial=ExportJob.Format.CSV,
        widget=forms.RadioSelect,
    )
    species = forms.ModelMultipleChoiceField(
        label=_("species"),
        required=False,
        queryset=Species.objects.filter(monitored=True),
        to_field_name="scientific_name",
        help_text=_("None chosen: every species."),
    )
    protected_areas = forms.ModelMultipleChoiceField(
        label=_("protected areas"),
        required=False,
        queryset=ProtectedArea.objects.order_by("country", "code"),
        to_field_name="code",
        help_text=_("None chosen: every protected area."),
    )
    country = forms.ChoiceField(
        label=_("country"), required=False, choices=[("", _("both sides")), *Country.choices]
    )
    observed_after = forms.DateField(label=_("observed from"), required=False, widget=DateInput)
    observed_before = forms.DateField(label=_("observed before"), required=False, widget=DateInput)
    status = forms.MultipleChoiceField(
        label=_("status"),
        choices=[
            (RecordStatus.VERIFIED, RecordStatus.VERIFIED.label),
            (RecordStatus.SUBMITTED, RecordStatus.SUBMITTED.label),
        ],
        initial=list(RecordStatus.SHARED_BY_DEFAULT),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    campaign = forms.ModelChoiceField(
        label=_("census campaign"),
        required=False,
        queryset=CensusCampaign.objects.order_by("-starts_on"),
        help_text=_("Its species, protected areas and count window."),
    )
    title = forms.CharField(label=_("title"), required=False, max_length=300)
    licence = forms.ChoiceField(
        label=_("licence"),
        choices=[(code, LICENCE_LABELS.get(code, code)) for code in dwca.LICENCES],
        initial=dwca.DEFAULT_LICENCE,
    )

    def filters(self) -> dict:
        data = self.cleaned_data
        filters = {
            "species": [s.scientific_name for s in data["species"]],
            "protected_areas": [pa.code for pa in data["protected_areas"]],
            "country": data["country"],
            "status": data["status"],
            "campaign": str(data["campaign"].pk) if data["campaign"] else "",
        }
        for name in ("observed_after", "observed_before"):
            if data[name]:
                filters[name] = data[name].isoformat()
        return {k: v for k, v in filters.items() if v}


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
    jobs = service.visible_exports(access, request.user).filter(user=request.user)[:20]
    status = 400 if request.method == "POST" else 200
    return render(request, "exchange/export_list.html", {"form": form, "jobs": jobs}, status=status)


@login_required
def export_page(request, pk):
    access = _exporter(request)
    job = get_object_or_404(service.visible_exports(access, request.user), pk=pk)
    return render(
        request,
        "exchange/export_job.html",
        {"job": job, "filters": filters_shown(job.filters), "licence": licence_label(job.licence)},
    )


urlpatterns = [
    path("", export_list, name="exports-page"),
    path("<uuid:pk>/", export_page, name="export-page"),
]
