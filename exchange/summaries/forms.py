"""The summary form: parses a coordinator's request into the arguments of
exchange.summaries.service.summary_create, which decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from observations.camera.abundance import SEASONS
from observations.models import CensusCampaign, Country, ProtectedArea, Species

from ..models import Summary


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
