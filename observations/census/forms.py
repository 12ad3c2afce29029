"""The forms of the census pages: they parse what was typed; the services decide.

A count's time is typed in the PA's own local time; ``CountForm.values`` hands it on
without a zone, and observations.census.services.counts attaches the PA's.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from observations.models import CensusMethod, Observation, ProtectedArea, Species


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


class CampaignForm(forms.Form):
    name_en = forms.CharField(label=_("name (English)"), max_length=200)
    name_ru = forms.CharField(label=_("name (Russian)"), max_length=200, required=False)
    name_zh = forms.CharField(label=_("name (Chinese)"), max_length=200, required=False)
    species = forms.ModelChoiceField(
        label=_("species"), queryset=Species.objects.filter(monitored=True)
    )
    method = forms.ChoiceField(label=_("method"), choices=CensusMethod.choices)
    unit = forms.ChoiceField(
        label=_("unit"),
        required=False,
        choices=[("", _("the species' own unit")), *Species.Unit.choices],
    )
    starts_on = forms.DateField(label=_("count starts on"), widget=DateInput)
    ends_on = forms.DateField(label=_("count ends on"), widget=DateInput)
    daily_start = forms.TimeField(
        label=_("daily start (local time)"),
        required=False,
        widget=TimeInput,
        help_text=_("For a synchronised count: the hours, in each PA's own time."),
    )
    daily_end = forms.TimeField(label=_("daily end (local time)"), required=False, widget=TimeInput)
    submission_deadline = forms.DateField(
        label=_("submissions close after"),
        required=False,
        widget=DateInput,
        help_text=_("Two weeks after the count unless you say otherwise."),
    )
    protected_areas = forms.ModelMultipleChoiceField(
        label=_("participating protected areas"),
        required=False,  # the service says clearly that a campaign needs PAs
        queryset=ProtectedArea.objects.filter(status=ProtectedArea.Status.EXISTING).order_by(
            "country", "code"
        ),
        widget=forms.CheckboxSelectMultiple,
    )
    duplicate_distance_km = forms.IntegerField(
        label=_("double-count distance (km)"), initial=30, min_value=0, max_value=500
    )
    duplicate_window_hours = forms.IntegerField(
        label=_("double-count time window (hours)"), initial=48, min_value=0, max_value=1440
    )
    notes = forms.CharField(
        label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CountForm(forms.Form):
    protected_area = forms.ChoiceField(label=_("protected area"))
    counted_at = forms.DateTimeField(
        label=_("counted at (local time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    total = forms.IntegerField(label=_("total"), min_value=0)
    count_min = forms.IntegerField(label=_("minimum"), min_value=0, required=False)
    count_max = forms.IntegerField(label=_("maximum"), min_value=0, required=False)
    routes = forms.IntegerField(label=_("routes"), min_value=0, required=False)
    effort_km = forms.DecimalField(label=_("route length (km)"), min_value=0, required=False)
    points = forms.IntegerField(label=_("count points"), min_value=0, required=False)
    effort_hours = forms.DecimalField(label=_("effort (hours)"), min_value=0, required=False)
    trap_nights = forms.DecimalField(label=_("effort (trap-nights)"), min_value=0, required=False)
    counted_area_km2 = forms.DecimalField(
        label=_("counted area (km²)"), min_value=0, required=False
    )
    observers = forms.IntegerField(label=_("observers"), min_value=0, required=False)
    weather = forms.CharField(label=_("weather"), max_length=300, required=False)
    notes = forms.CharField(
        label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    observations = forms.ModelMultipleChoiceField(
        label=_("supporting records"),
        queryset=Observation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, pas, records, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["protected_area"].choices = [(pa.code, pa.name) for pa in pas]
        self.fields["observations"].queryset = records
        self.fields["observations"].label_from_instance = _record_label

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        # The time typed is the PA's local time: the service attaches the PA's zone.
        data["counted_at"] = data["counted_at"].replace(tzinfo=None)
        data["observations"] = [str(o.pk) for o in data.get("observations") or []]
        return data


def _record_label(record) -> str:
    local = record.observed_at.astimezone(record.protected_area.tz)
    return f"{local:%Y-%m-%d %H:%M} · {record.protected_area.code} · × {record.count}"
