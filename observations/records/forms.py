"""Forms of the record pages. They parse what a person typed; the rules are the service's.

``ObservationForm`` only parses: the page's view hands ``form.values()`` to the record
services (``observation_create`` / ``observation_update``), which validate them
through ``observations.validation`` and write in one transaction; every
broken rule comes back as ``RecordInvalid`` and the view gives it to
``form.show_problems``, which puts it on the form field it concerns, with the
service's message in the active language. The selects of
protected areas, species and survey events are a convenience: whatever value
arrives goes on to the service, which says what is wrong with it ("You may
not file records for this protected area", "Unknown species"), so the page
answers exactly as the API and the file import do.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from ..access import Access
from ..errors import DomainError
from ..models import Evidence, Observation, Species, SurveyEvent
from ..models.individuals import IndividualCode, Sex
from ..validation import RecordInvalid
from .kinds import OBSERVATION

# Form fields handed to the service, by their model names: the observation's content and
# the datum its coordinates were given in (observations.records.kinds).
CONTENT = OBSERVATION.input_names()
# Shown folded under "More details" unless one of them has a value or an error.
DETAILS = [
    "count_min",
    "count_max",
    "unit",
    "sex",
    "age_class",
    "individual",
    "event",
]
SAVED_BEFORE = _(
    "This form was already saved as another record (see My records). "
    "Save again to file these values as a new record."
)
RECENT_EVENTS = 30
KNOWN_CODES = 500


class OpenChoiceField(forms.ChoiceField):
    """A select whose options are only a convenience: any value goes on to the validation
    service, which decides (and says in the user's language) what is wrong with it."""

    def valid_value(self, value) -> bool:
        return True


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock time without a zone (a datetime-local input).

    It stays naive here: the service reads it as the protected area's local
    time, whatever the zone of the server or of the phone.
    """

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value
        value = str(value).strip()
        try:
            result = parse_datetime(value)
        except ValueError as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc
        if result is None:
            result = forms.fields.BaseTemporalField.to_python(self, value)
        return result


class CoordinateField(forms.FloatField):
    """Decimal degrees; a decimal comma (as a Russian keyboard types it) is accepted too."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)

    def widget_attrs(self, widget):
        return {}  # no min/max/step: the range is the service's rule


class SpeciesSelect(forms.Select):
    """Options carry the evidence and units each species allows, for the page's script to
    narrow the other selects (a hint only: the service checks them)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.species_attrs: dict[str, dict] = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["attrs"].update(self.species_attrs.get(str(value), {}))
        return option


class ProtectedAreaSelect(forms.Select):
    """Options carry the PA's centre, where the map opens."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.pa_attrs: dict[str, dict] = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["attrs"].update(self.pa_attrs.get(str(value), {}))
        return option


def _blank_choice(label=None):
    return [("", label or "---------")]


class ObservationForm(forms.Form):
    """A new observation, or changes to one (``instance``), parsed for the record services."""

    id = forms.UUIDField(widget=forms.HiddenInput, required=False)
    protected_area = OpenChoiceField(
        label=_("Protected area"), required=False, widget=ProtectedAreaSelect
    )
    species = OpenChoiceField(label=_("Species"), required=False, widget=SpeciesSelect)
    evidence = forms.ChoiceField(
        label=_("Evidence"), required=False, choices=_blank_choice() + Evidence.choices
    )
    observed_at = LocalDateTimeField(
        label=_("Date and time"),
        required=False,
        help_text=_("Local time of the protected area."),
    )
    count = forms.IntegerField(
        label=_("Count"),
        required=False,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    latitude = CoordinateField(label=_("Latitude"), required=False)
    longitude = CoordinateField(label=_("Longitude"), required=False)
    datum = OpenChoiceField(
        label=_("Datum"),
        required=False,
        initial="WGS84",
        choices=[
            ("WGS84", _("WGS 84 (GPS)")),
            ("GCJ02", _("GCJ-02 (Chinese maps)")),
        ],
    )
    count_min = forms.IntegerField(
        label=_("Minimum count"), required=False, help_text=_("When the count is an estimate.")
    )
    count_max = forms.IntegerField(label=_("Maximum count"), required=False)
    unit = forms.ChoiceField(
        label=_("Unit"),
        required=False,
        choices=_blank_choice(_("the species' usual unit")) + Species.Unit.choices,
    )
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=Sex.choices)
    age_class = forms.ChoiceField(
        label=_("Age class"), required=False, choices=Observation.AgeClass.choices
    )
    individual = forms.CharField(
        label=_("Known individual"),
        required=False,
        max_length=100,
        help_text=_("Catalogue code, e.g. RU T-12."),
        widget=forms.TextInput(attrs={"list": "known-individuals", "autocomplete": "off"}),
    )
    event = OpenChoiceField(label=_("Survey event"), required=False)
    coordinate_uncertainty_m = forms.IntegerField(
        label=_("Uncertainty (m)"),
        required=False,
        min_value=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, access: Access, user, instance: Observation | None = None, **kw):
        self.access = access
        self.user = user
        self.instance = instance
        if instance is not None and "initial" not in kw:
            kw["initial"] = self.initial_from(instance)
        super().__init__(*args, **kw)
        if instance is None and not self.is_bound:
            self.initial.setdefault("id", uuid.uuid4())
        self._set_choices()
        for name in ("protected_area", "species", "evidence", "observed_at"):
            self.fields[name].widget.attrs["required"] = True  # a hint for the browser

    # --- choices -----------------------------------------------------------------
    def _set_choices(self) -> None:
        pas = list(self.access.recordable_pas().order_by("code"))
        if self.instance is not None and self.instance.protected_area_id not in {
            pa.pk for pa in pas
        }:
            pas.append(self.instance.protected_area)
        pa_field = self.fields["protected_area"]
        pa_field.choices = ([] if len(pas) == 1 else _blank_choice()) + [
            (pa.code, pa.name) for pa in pas
        ]
        pa_field.widget.pa_attrs = {
            pa.code: {"data-lat": pa.centroid_lat, "data-lon": pa.centroid_lon}
            for pa in pas
            if pa.centroid_lat is not None
        }
        self.protected_areas = pas
        if len(pas) == 1 and not self.is_bound:
            self.initial.setdefault("protected_area", pas[0].code)
        if not self.is_bound and "observed_at" not in self.initial and pas:
            now = timezone.localtime(timezone.now(), pas[0].tz).replace(second=0, microsecond=0)
            self.initial["observed_at"] = now.replace(tzinfo=None)

        species = list(Species.objects.filter(monitored=True))
        sp_field = self.fields["species"]
        sp_field.choices = _blank_choice() + [(str(sp.pk), sp.name) for sp in species]
        sp_field.widget.species_attrs = {
            str(sp.pk): {
                "data-evidence": " ".join(sp.allowed_evidence),
                "data-units": " ".join(sp.allowed_units),
            }
            for sp in species
        }

        events = SurveyEvent.objects.filter(protected_area__in=[pa.pk for pa in pas])
        events = self.access.visible_events(events).select_related("protected_area")
        event_field = self.fields["event"]
        event_field.choices = _blank_choice(_("none")) + [
            (str(ev.pk), f"{ev} · {ev.protected_area.name}")
            for ev in events.order_by("-started_at")[:RECENT_EVENTS]
        ]
        if self.instance is not None and self.instance.event_id:
            current = str(self.instance.event_id)
            if current not in {value for value, _label in event_field.choices}:
                event_field.choices.append((current, str(self.instance.event)))

    def known_individuals(self) -> list[str]:
        """Catalogue codes offered as suggestions ("RU T-12")."""
        codes = IndividualCode.objects.order_by("catalogue", "code")[:KNOWN_CODES]
        return [f"{c.catalogue} {c.code}" for c in codes]

    @property
    def details_open(self) -> bool:
        """Show "More details" unfolded when one of them holds something worth seeing."""
        for name in DETAILS:
            if self[name].errors:
                return True
            value = self[name].value()
            if value not in (None, "", self.fields[name].initial, "unknown"):
                return True
        return False

    @staticmethod
    def initial_from(record: Observation) -> dict:
        individual = ""
        if record.individual_id:
            codes = list(record.individual.codes.all())
            individual = (
                f"{codes[0].catalogue} {codes[0].code}" if codes else str(record.individual_id)
            )
        local = timezone.localtime(record.observed_at, record.protected_area.tz)
        return {
            "protected_area": record.protected_area.code,
            "species": str(record.species_id),
            "event": str(record.event_id) if record.event_id else "",
            "observed_at": local.replace(tzinfo=None),
            "latitude": record.latitude,
            "longitude": record.longitude,
            "datum": "WGS84",
            "coordinate_uncertainty_m": record.coordinate_uncertainty_m,
            "count": record.count,
            "count_min": record.count_min,
            "count_max": record.count_max,
            # Blank when it is the species' own unit, so that it follows a change of species.
            "unit": "" if record.unit == record.species.counting_unit else record.unit,
            "sex": record.sex,
            "age_class": record.age_class,
            "evidence": record.evidence,
            "individual": individual,
            "notes": record.notes,
        }

    # --- for the service, and what it found -------------------------------------------
    def values(self) -> dict:
        """What was typed, parsed, by model name (what could be read: see ``show_problems``)."""
        data = self.cleaned_data
        values = {name: data[name] for name in CONTENT if name in data}
        for name in ("sex", "age_class"):
            values[name] = values.get(name) or "unknown"
        for name in ("species", "protected_area", "event", "individual", "unit"):
            if values.get(name) == "":
                values[name] = None
        values["datum"] = values.get("datum") or "WGS84"
        return values

    def show_problems(self, exc: RecordInvalid | DomainError) -> None:
        """Put what the service refused on the fields it concerns (a field whose input could
        not be read keeps the form's own message)."""
        if isinstance(exc, RecordInvalid):
            for name, problems in exc.errors.items():
                field = name if name in self.fields else None
                if field is not None and field in self.errors:
                    continue  # already said what is wrong with what was typed there
                for found in problems:
                    self.add_error(field, str(found.message))
        elif exc.code == "id_conflict" and self.instance is None:
            # Saved before (the back button, then changes): a new save files a new record.
            self.add_error(None, SAVED_BEFORE)
            self.data = self.data.copy()
            self.data[self.add_prefix("id")] = str(uuid.uuid4())
        else:
            self.add_error(exc.field if exc.field in self.fields else None, str(exc.message))


class ReviewForm(forms.Form):
    """The review queue's (and the record page's) verify/reject request."""

    ids = forms.Field(required=False, widget=forms.MultipleHiddenInput)
    action = forms.ChoiceField(choices=[("verify", _("Verify")), ("reject", _("Reject"))])
    reason = forms.CharField(label=_("Reason for rejection"), required=False, max_length=2000)

    max_ids = 500

    def clean_ids(self) -> list[uuid.UUID]:
        ids = []
        for value in self.cleaned_data.get("ids") or []:
            try:
                ids.append(uuid.UUID(str(value)))
            except ValueError:
                continue  # not a record of ours: nothing to review
        if len(ids) > self.max_ids:
            raise ValidationError(
                _("Review at most %(max)d records at once."), params={"max": self.max_ids}
            )
        return ids
