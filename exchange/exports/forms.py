"""The export form: parses what a coordinator asks for into the filters of
exchange.exports.query; exchange.exports.service decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from observations.models import CensusCampaign, Country, ProtectedArea, RecordStatus, Species

from ..models import ExportJob
from .dwca.licences import DEFAULT_LICENCE, LICENCES
from .labels import LICENCE_LABELS


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
        choices=[(code, LICENCE_LABELS.get(code, code)) for code in LICENCES],
        initial=DEFAULT_LICENCE,
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
