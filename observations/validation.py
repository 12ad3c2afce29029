"""One validation service for every way a record comes in: form, API, file import, sync.

A rule is written once, here. Callers parse their input into Python values
(the form and the serializer with their own fields, the importer from the
cells) and hand a dict keyed by model field names to ``clean_observation``;
it resolves references, applies the domain rules and returns the cleaned
values, or raises ``RecordInvalid`` carrying every broken rule by field,
each with a stable code and a message in the active language.

References may be given as objects or as keys (a species by id or
scientific name, a PA by code, an individual by UUID or "RU T-12"), so that
the importer can pass cells as they are. ``Reference`` caches lookups and
can be preloaded, so a 100,000-row import costs no query per row.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .access import Access
from .geo import distance_outside_m, gcj02_to_wgs84
from .models import Individual, IndividualCode, ProtectedArea, Species, SurveyEvent

EARLIEST = dt.datetime(1990, 1, 1, tzinfo=dt.UTC)
CLOCK_SKEW = dt.timedelta(minutes=10)  # field devices' clocks run ahead a little
DATUMS = ("WGS84", "GCJ02")


@dataclass(frozen=True)
class Problem:
    code: str
    message: str


class RecordInvalid(Exception):
    """Raised with every broken rule of one record: {field: [Problem, ...]}."""

    def __init__(self, errors: dict[str, list[Problem]]):
        super().__init__(errors)
        self.errors = errors

    def as_messages(self) -> dict[str, list[str]]:
        return {name: [str(p.message) for p in problems] for name, problems in self.errors.items()}


MESSAGES = {
    "unknown_species": _("Unknown species: %(value)s."),
    "species_not_monitored": _("%(value)s is not a monitored species."),
    "unknown_protected_area": _("Unknown protected area: %(value)s."),
    "not_your_protected_area": _("You may not file records for this protected area."),
    "required": _("This field is required."),
    "in_future": _("The time is in the future."),
    "too_early": _("The time is before 1990."),
    "unknown_datum": _("Unknown datum %(value)s: use WGS84 or GCJ02."),
    "coordinates_incomplete": _("Give both latitude and longitude, or neither."),
    "latitude_range": _("Latitude must be between -90 and 90."),
    "longitude_range": _("Longitude must be between -180 and 180."),
    "outside_protected_area": _(
        "The point lies %(distance)s m outside the protected area's boundary."
    ),
    "outside_amur_basin": _("The point lies outside the Amur basin."),
    "count_negative": _("The count cannot be negative."),
    "uncertainty_negative": _("The coordinate uncertainty cannot be negative."),
    "count_below_min": _("The count is below the minimum count."),
    "count_above_max": _("The count is above the maximum count."),
    "min_above_max": _("The minimum count is above the maximum count."),
    "unit_not_allowed": _("%(species)s is not counted in %(value)s."),
    "evidence_not_allowed": _("Evidence “%(value)s” does not fit %(species)s."),
    "unknown_individual": _("Unknown individual: %(value)s."),
    "individual_other_species": _("This individual is a %(other)s, not a %(species)s."),
    "unknown_event": _("Unknown survey event: %(value)s."),
    "event_other_pa": _("The survey event belongs to another protected area."),
    "unknown_kind": _("Unknown kind of survey: %(value)s."),
    "not_partners_record": _("This record belongs to another node; a partner cannot change it."),
    "ends_before_start": _("The survey ends before it starts."),
    "effort_negative": _("Effort cannot be negative."),
}


def problem(code: str, **params) -> Problem:
    message = MESSAGES[code]
    return Problem(code, message % params if params else message)


@dataclass
class Reference:
    """Lookups of species, PAs, individuals and events, cached for the length of one job."""

    species_by_key: dict = field(default_factory=dict)
    pas_by_key: dict = field(default_factory=dict)
    individuals_by_key: dict = field(default_factory=dict)
    events_by_key: dict = field(default_factory=dict)

    @classmethod
    def preloaded(cls) -> Reference:
        """Everything small loaded at once (for imports): species, PAs, individuals' codes."""
        ref = cls()
        ref._load_small_tables()
        by_id = {i.pk: i for i in Individual.objects.all()}
        for ind in by_id.values():
            ref.individuals_by_key[str(ind.pk).upper()] = ind
        for code in IndividualCode.objects.all():
            ind = by_id.get(code.individual_id)
            if ind:
                ref.individuals_by_key[f"{code.catalogue} {code.code}".upper()] = ind
        return ref

    def _remember_species(self, sp: Species) -> None:
        self.species_by_key[sp.pk] = sp
        self.species_by_key[sp.scientific_name.lower()] = sp
        for name in (sp.name_en, sp.name_ru, sp.name_zh):
            if name:
                self.species_by_key.setdefault(name.lower(), sp)

    def _load_small_tables(self) -> None:
        """Species and PAs are a few dozen rows: one query each, the first time."""
        if not self.species_by_key:
            for sp in Species.objects.all():
                self._remember_species(sp)
        if not self.pas_by_key:
            for pa in ProtectedArea.objects.all():
                self.pas_by_key[pa.code.upper()] = pa
                self.pas_by_key[pa.pk] = pa

    def species(self, key) -> Species | None:
        """A species by id, scientific name, or its name in any of the three languages."""
        if isinstance(key, Species):
            return key
        self._load_small_tables()
        norm = key.strip().lower() if isinstance(key, str) else key
        if isinstance(norm, str) and norm.isascii() and norm.isdigit():
            norm = int(norm)
        return self.species_by_key.get(norm)

    def protected_area(self, key) -> ProtectedArea | None:
        if isinstance(key, ProtectedArea):
            return key
        self._load_small_tables()
        norm = key.strip().upper() if isinstance(key, str) else key
        return self.pas_by_key.get(norm)

    def individual(self, key) -> Individual | None:
        if isinstance(key, Individual):
            return key
        norm = str(key).strip().upper()
        if norm not in self.individuals_by_key:
            found = None
            try:
                found = Individual.objects.filter(pk=uuid.UUID(norm)).first()
            except ValueError:
                catalogue, _, code = norm.partition(" ")
                found = Individual.objects.filter(
                    codes__catalogue=catalogue, codes__code__iexact=code.strip()
                ).first()
            self.individuals_by_key[norm] = found
        return self.individuals_by_key[norm]

    def event(self, key) -> SurveyEvent | None:
        if isinstance(key, SurveyEvent):
            return key
        norm = str(key).strip()
        if norm not in self.events_by_key:
            try:
                found = SurveyEvent.objects.filter(pk=uuid.UUID(norm)).first()
            except ValueError:
                found = None
            self.events_by_key[norm] = found
        return self.events_by_key[norm]


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def to_utc(value: dt.datetime, pa: ProtectedArea | None) -> dt.datetime:
    """A time without a zone is the PA's local time (as a ranger writes it); stored in UTC."""
    if timezone.is_naive(value):
        zone = pa.tz if pa is not None else dt.UTC
        value = timezone.make_aware(value, zone)
    return value.astimezone(dt.UTC)


def check_place(
    lat, lon, *, pa: ProtectedArea | None, datum: str = "WGS84"
) -> tuple[float | None, float | None, dict[str, list[Problem]]]:
    """Latitude and longitude, converted from a declared datum and checked against the PA."""
    errors: dict[str, list[Problem]] = defaultdict(list)
    datum = (datum or "WGS84").upper().replace("-", "").replace(" ", "")
    if datum not in DATUMS:
        errors["datum"].append(problem("unknown_datum", value=datum))
        return lat, lon, errors
    if _blank(lat) and _blank(lon):
        return None, None, errors
    if _blank(lat) or _blank(lon):
        errors["latitude" if _blank(lat) else "longitude"].append(problem("coordinates_incomplete"))
        return lat, lon, errors
    lat, lon = float(lat), float(lon)
    if not -90 <= lat <= 90:
        errors["latitude"].append(problem("latitude_range"))
    if not -180 <= lon <= 180:
        errors["longitude"].append(problem("longitude_range"))
    if errors:
        return lat, lon, errors
    if datum == "GCJ02":
        lat, lon = gcj02_to_wgs84(lat, lon)
        lat, lon = round(lat, 7), round(lon, 7)
    if pa is not None and pa.boundary:
        outside = distance_outside_m(pa.boundary, lat, lon)
        if outside > settings.RECORD_BOUNDARY_TOLERANCE_M:
            errors["latitude"].append(problem("outside_protected_area", distance=int(outside)))
    else:
        min_lon, min_lat, max_lon, max_lat = settings.AMUR_BASIN_BBOX
        if not (min_lat <= lat <= max_lat and min_lon <= lon <= max_lon):
            errors["latitude"].append(problem("outside_amur_basin"))
    return lat, lon, errors


def check_time(value, *, pa: ProtectedArea | None, now: dt.datetime) -> tuple:
    if value is None:
        return None, [problem("required")]
    try:
        value = to_utc(value, pa)
    except OverflowError:  # year 1 or 9999 pushed past the calendar by a zone
        return None, [problem("too_early" if value.year < 1990 else "in_future")]
    if value > now + CLOCK_SKEW:
        return value, [problem("in_future")]
    if value < EARLIEST:
        return value, [problem("too_early")]
    return value, []


def clean_observation(
    values: dict,
    *,
    access: Access | None,
    ref: Reference | None = None,
    now: dt.datetime | None = None,
) -> dict:
    """Check one observation; return its cleaned values or raise RecordInvalid.

    ``values`` uses the model's field names; ``datum`` (WGS84 or GCJ02) may
    accompany the coordinates. ``access`` None means a trusted caller (the
    sync applying a partner's record), which skips the "may you record here"
    rule but none of the others.
    """
    ref = ref or Reference()
    now = now or timezone.now()
    errors: dict[str, list[Problem]] = defaultdict(list)
    cleaned = dict(values)
    cleaned.pop("datum", None)

    # Where: the protected area, and may this user record there?
    pa = cleaned["protected_area"] = _check_pa(values, access, ref, errors)

    # What: the species.
    species = None
    if _blank(values.get("species")):
        errors["species"].append(problem("required"))
    else:
        species = ref.species(values["species"])
        if species is None:
            errors["species"].append(problem("unknown_species", value=values["species"]))
        elif not species.monitored:
            errors["species"].append(problem("species_not_monitored", value=species.name))
    cleaned["species"] = species

    # When.
    observed_at, time_problems = check_time(values.get("observed_at"), pa=pa, now=now)
    errors["observed_at"].extend(time_problems)
    cleaned["observed_at"] = observed_at

    # Place.
    lat, lon, place_errors = check_place(
        values.get("latitude"), values.get("longitude"), pa=pa, datum=values.get("datum", "WGS84")
    )
    for name, problems in place_errors.items():
        errors[name].extend(problems)
    cleaned["latitude"], cleaned["longitude"] = lat, lon

    uncertainty = values.get("coordinate_uncertainty_m")
    if uncertainty is not None and uncertainty < 0:
        errors["coordinate_uncertainty_m"].append(problem("uncertainty_negative"))

    # How many.
    count, low, high = values.get("count"), values.get("count_min"), values.get("count_max")
    count = 1 if count is None else count
    cleaned["count"] = count
    if count < 0:
        errors["count"].append(problem("count_negative"))
    if low is not None and low < 0:
        errors["count_min"].append(problem("count_negative"))
    if low is not None and high is not None and low > high:
        errors["count_min"].append(problem("min_above_max"))
    elif low is not None and count < low:
        errors["count"].append(problem("count_below_min"))
    elif high is not None and count > high:
        errors["count"].append(problem("count_above_max"))

    if species is not None:
        unit = values.get("unit") or species.counting_unit
        cleaned["unit"] = unit
        if species.allowed_units and unit not in species.allowed_units:
            errors["unit"].append(problem("unit_not_allowed", value=unit, species=species.name))
        evidence = values.get("evidence")
        if _blank(evidence):
            errors["evidence"].append(problem("required"))
        elif species.allowed_evidence and evidence not in species.allowed_evidence:
            errors["evidence"].append(
                problem("evidence_not_allowed", value=evidence, species=species.name)
            )

    # Which animal, and which effort.
    if not _blank(values.get("individual")):
        individual = ref.individual(values["individual"])
        if individual is None:
            errors["individual"].append(problem("unknown_individual", value=values["individual"]))
        elif species is not None and individual.species_id != species.pk:
            other = ref.species(individual.species_id)
            errors["individual"].append(
                problem("individual_other_species", other=other.name, species=species.name)
            )
        cleaned["individual"] = individual
    else:
        cleaned["individual"] = None
    if not _blank(values.get("event")):
        event = ref.event(values["event"])
        if event is None:
            errors["event"].append(problem("unknown_event", value=values["event"]))
        elif pa is not None and event.protected_area_id != pa.pk:
            errors["event"].append(problem("event_other_pa"))
        cleaned["event"] = event
    else:
        cleaned["event"] = None

    errors = {name: problems for name, problems in errors.items() if problems}
    if errors:
        raise RecordInvalid(errors)
    return cleaned


def _check_pa(values: dict, access: Access | None, ref: Reference, errors) -> ProtectedArea | None:
    if _blank(values.get("protected_area")):
        errors["protected_area"].append(problem("required"))
        return None
    pa = ref.protected_area(values["protected_area"])
    if pa is None:
        errors["protected_area"].append(
            problem("unknown_protected_area", value=values["protected_area"])
        )
    elif access is not None and not access.can_record_in(pa):
        errors["protected_area"].append(problem("not_your_protected_area"))
    return pa


def clean_event(
    values: dict,
    *,
    access: Access | None,
    ref: Reference | None = None,
    now: dt.datetime | None = None,
) -> dict:
    """Check one survey event (an effort); return its cleaned values or raise RecordInvalid."""
    ref = ref or Reference()
    now = now or timezone.now()
    errors: dict[str, list[Problem]] = defaultdict(list)
    cleaned = dict(values)
    cleaned.pop("datum", None)
    pa = cleaned["protected_area"] = _check_pa(values, access, ref, errors)

    kind = values.get("kind")
    if _blank(kind):
        errors["kind"].append(problem("required"))
    elif kind not in SurveyEvent.Kind.values:
        errors["kind"].append(problem("unknown_kind", value=kind))

    started, problems = check_time(values.get("started_at"), pa=pa, now=now)
    errors["started_at"].extend(problems)
    cleaned["started_at"] = started
    if values.get("ended_at") is not None:
        ended, problems = check_time(values["ended_at"], pa=pa, now=now)
        errors["ended_at"].extend(problems)
        if started is not None and not problems and ended < started:
            errors["ended_at"].append(problem("ends_before_start"))
        cleaned["ended_at"] = ended

    for name in ("effort_km", "effort_trap_nights", "effort_hours"):
        if values.get(name) is not None and values[name] < 0:
            errors[name].append(problem("effort_negative"))

    lat, lon, place_errors = check_place(
        values.get("latitude"), values.get("longitude"), pa=pa, datum=values.get("datum", "WGS84")
    )
    for name, found in place_errors.items():
        errors[name].extend(found)
    cleaned["latitude"], cleaned["longitude"] = lat, lon

    errors = {name: found for name, found in errors.items() if found}
    if errors:
        raise RecordInvalid(errors)
    return cleaned
