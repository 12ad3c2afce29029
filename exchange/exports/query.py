"""What an export contains: its filters, the records they select for the asking user, and
the columns, with locations generalised in the database.

Filters (a JSON object; every key optional):

- ``species``: scientific names (a list, or one name);
- ``protected_areas``: PA codes; ``country``: ``RU``, ``CN`` or ``MN``;
- ``observed_after`` (inclusive) / ``observed_before`` (exclusive): ISO dates or
  date-times (a date is midnight UTC);
- ``status``: ``verified`` (the default) and/or ``submitted``;
- ``campaign``: a census campaign's id: its species, its PAs and its count window.

The records are those the user may read (observations.access), restricted by the
filters. What each row shows of its place and notes is the disclosure policy's answer
for the export's audience (observations.disclosure): the public for an export made for
publication, the asking user for an internal one; in SQL, by the policy's twins.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db.models import F, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

from observations.access import Access
from observations.disclosure import Audience
from observations.errors import DomainError
from observations.models import (
    CensusCampaign,
    Country,
    Observation,
    ProtectedArea,
    RecordStatus,
    Species,
)
from observations.records.kinds import EXPORT, OBSERVATION

from .sources import Source, live_records

FILTER_KEYS = (
    "species",
    "protected_areas",
    "country",
    "observed_after",
    "observed_before",
    "status",
    "campaign",
)
STATUSES = (RecordStatus.VERIFIED, RecordStatus.SUBMITTED)


def _as_list(value) -> list[str]:
    if value in (None, "", []):
        return []
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list | tuple):
        raise DomainError(_("Give a list."), "bad_filter")
    return [str(v).strip() for v in value if str(v).strip()]


def _moment(value, name: str) -> str | None:
    if value in (None, ""):
        return None
    text = str(value).strip()
    moment = parse_datetime(text)
    if moment is None:
        day = parse_date(text)
        if day is not None:
            moment = dt.datetime.combine(day, dt.time(0), tzinfo=dt.UTC)
    if moment is None:
        raise DomainError(
            _("%(name)s: give an ISO date such as 2025-05-01.") % {"name": name},
            "bad_date",
            field=name,
        )
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).isoformat()


def clean_filters(raw) -> dict:
    """The filters, checked and normalised (as stored on the job), or a DomainError."""
    if raw in (None, ""):
        raw = {}
    if not isinstance(raw, dict):
        raise DomainError(_("Filters are a JSON object."), "bad_filter", field="filters")
    unknown = sorted(set(raw) - set(FILTER_KEYS))
    if unknown:
        raise DomainError(
            _("Unknown filter: %(value)s. Known: %(known)s.")
            % {"value": ", ".join(unknown), "known": ", ".join(FILTER_KEYS)},
            "unknown_filter",
            field="filters",
        )
    cleaned: dict = {}
    names = _as_list(raw.get("species"))
    if names:
        canonical = set()
        for name in names:  # a few names: one small query each, case-insensitive
            match = (
                Species.objects.filter(scientific_name__iexact=name)
                .values_list("scientific_name", flat=True)
                .first()
            )
            if match is None:
                raise DomainError(
                    _("Unknown species: %(value)s.") % {"value": name},
                    "unknown_species",
                    field="filters",
                )
            canonical.add(match)
        cleaned["species"] = sorted(canonical)
    codes = [c.upper() for c in _as_list(raw.get("protected_areas"))]
    if codes:
        known = set(ProtectedArea.objects.filter(code__in=codes).values_list("code", flat=True))
        unknown_pas = sorted(set(codes) - known)
        if unknown_pas:
            raise DomainError(
                _("Unknown protected area: %(value)s.") % {"value": ", ".join(unknown_pas)},
                "unknown_protected_area",
                field="filters",
            )
        cleaned["protected_areas"] = sorted(known)
    country = str(raw.get("country") or "").strip().upper()
    if country:
        if country not in Country.values:
            raise DomainError(
                _("Unknown country: %(value)s.") % {"value": country},
                "unknown_country",
                field="filters",
            )
        cleaned["country"] = country
    for name in ("observed_after", "observed_before"):
        value = _moment(raw.get(name), name)
        if value:
            cleaned[name] = value
    if (
        cleaned.get("observed_after")
        and cleaned.get("observed_before")
        and cleaned["observed_after"] >= cleaned["observed_before"]
    ):
        raise DomainError(
            _("observed_after must come before observed_before."),
            "bad_date_range",
            field="filters",
        )
    statuses = _as_list(raw.get("status")) or [str(s) for s in RecordStatus.SHARED_BY_DEFAULT]
    bad = sorted(set(statuses) - set(STATUSES))
    if bad:
        raise DomainError(
            _("Only verified and submitted records are exported, not: %(value)s.")
            % {"value": ", ".join(bad)},
            "bad_status",
            field="filters",
        )
    cleaned["status"] = sorted(set(statuses))
    campaign = raw.get("campaign")
    if campaign:
        try:
            key = uuid.UUID(str(campaign))
        except ValueError:
            key = None
        if key is None or not CensusCampaign.objects.filter(pk=key).exists():
            raise DomainError(
                _("Unknown census campaign: %(value)s.") % {"value": campaign},
                "unknown_campaign",
                field="filters",
            )
        cleaned["campaign"] = str(key)
    return cleaned


def observations_for(*, access: Access, filters: dict) -> QuerySet[Observation]:
    """The records of an export: those the user may read, as the (cleaned) filters say."""
    qs = access.visible_observations().filter(
        status__in=filters.get("status") or RecordStatus.SHARED_BY_DEFAULT
    )
    if filters.get("species"):
        qs = qs.filter(species__scientific_name__in=filters["species"])
    if filters.get("protected_areas"):
        qs = qs.filter(protected_area__code__in=filters["protected_areas"])
    if filters.get("country"):
        qs = qs.filter(protected_area__country=filters["country"])
    if filters.get("observed_after"):
        qs = qs.filter(observed_at__gte=parse_datetime(filters["observed_after"]))
    if filters.get("observed_before"):
        qs = qs.filter(observed_at__lt=parse_datetime(filters["observed_before"]))
    if filters.get("campaign"):
        campaign = CensusCampaign.objects.prefetch_related("protected_areas").get(
            pk=filters["campaign"]
        )
        pas = list(campaign.protected_areas.all())
        qs = qs.filter(species_id=campaign.species_id, protected_area__in=pas)
        if pas:
            qs = qs.filter(
                observed_at__gte=min(campaign.opens_at(pa) for pa in pas),
                observed_at__lt=max(campaign.count_ends_at(pa) for pa in pas),
            )
    return qs.order_by()


def localized_name(prefix: str, language: str):
    """The name column of the user's language (``<prefix>__name_ru``...), else English."""
    suffix = "zh" if language.lower().startswith("zh") else language[:2].lower()
    if suffix not in ("ru", "zh"):
        return F(f"{prefix}__name_en")
    return Coalesce(NullIf(F(f"{prefix}__name_{suffix}"), Value("")), F(f"{prefix}__name_en"))


# --- the columns of CSV, XLSX and GeoJSON --------------------------------------------
#
# (key, header in the user's language, expression). GeoJSON uses the keys; CSV and XLSX
# the headers. Values are the stored codes (sex, evidence, status...), stable for machines.
# The fields' columns come from the description (observations.records.kinds: a field on
# EXPORT, its ``column`` and ``label``), their values from the source (exchange.exports.
# sources); the export adds its own (``own_columns``).

# The order the files have always had. A field the description exports and this does not
# place comes after these, in the description's order: a new column is never forgotten,
# and those who read the files by position keep reading the old ones where they were.
LAYOUT = (
    "id",
    "origin_node",
    "protected_area_code",
    "protected_area",
    "country",
    "scientific_name",
    "species",
    "observed_at",
    "latitude",
    "longitude",
    "coordinate_uncertainty_m",
    "location_precision",
    "count",
    "count_min",
    "count_max",
    "unit",
    "sex",
    "age_class",
    "evidence",
    "individual",
    "event",
    "event_kind",
    "status",
    "observer_code",
    "notes",
    "source",
)


def own_columns(source: Source, language: str) -> dict[str, tuple[object, object]]:
    """The columns that are no field of a record: names in the reader's language, the
    country, the location precision the place was shown at, the kind of survey (live
    records only)."""
    own = {
        "protected_area": (_("Protected area"), localized_name("protected_area", language)),
        "country": (_("Country"), source.country),
        "species": (_("Species"), localized_name("species", language)),
        "location_precision": (_("Location precision"), source.precision),
    }
    if source.live:
        own["event_kind"] = (_("Kind of survey"), F("event__kind"))
    return own


def record_columns(source: Source, language: str) -> list[tuple[str, object, object]]:
    """The columns of records from ``source``: the live records (``tabular_columns``) or a
    dataset version's frozen rows (exchange.exports.dataset), which lack the fields a
    dataset leaves out (the source) and the kind of survey."""
    exported = OBSERVATION.on(EXPORT)
    unknown = set(LAYOUT) - {f.column for f in exported} - {*own_columns(source, ""), "event_kind"}
    if unknown:
        raise KeyError(f"the export's layout names no column: {sorted(unknown)}")
    columns = {f.column: (f.label, source[f.name]) for f in exported if f.name in source.values}
    columns |= own_columns(source, language)
    placed = [*LAYOUT, *[key for key in columns if key not in LAYOUT]]
    return [(key, *columns[key]) for key in placed if key in columns]


def tabular_columns(audience: Audience, language: str) -> list[tuple[str, object, object]]:
    return record_columns(live_records(audience), language)


def annotated_rows(qs: QuerySet, columns) -> QuerySet:
    """``qs`` as rows of the columns' expressions, aliased c0, c1, ... (for COPY as well)."""
    aliases = {f"c{i}": expr for i, (_key, _label, expr) in enumerate(columns)}
    return qs.annotate(**aliases).values_list(*aliases)
