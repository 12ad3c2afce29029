"""What a dataset selects, and each of its rows as SQL expressions.

A dataset's query is the filters of exchange.exports.query (``species``,
``protected_areas``, ``country``, ``observed_after``, ``observed_before``, ``status``,
``campaign``), checked by the same function, plus two of its own: whether records received
from the partner node are included, and records left out by hand (a duplicate, say).

The records are those the publishing coordinator may read (observations.access), as for an
export. Each row's place is generalised to the coarser of the dataset's precision and the
species' sensitivity (``row_precision``): a dataset may show places more coarsely than a
species' sensitivity, never more finely. The expressions are those of
exchange.generalise.generalised_expressions, the SQL twin of the one generalisation
function, so the database writes the rows (exchange.datasets.publish).

Records received from the partner arrive already generalised as its agreement says; they
are generalised once more here (a cell centre stays the centre of its cell, and the
uncertainty never drops below the one received).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db.models import Case, CharField, F, QuerySet, UUIDField, Value, When
from django.utils.translation import gettext_lazy as _

from observations.access import Access
from observations.errors import DomainError
from observations.models import Observation

from ..exports import query as export_query
from ..generalise import EXACT, ORDER, generalised_expressions

PRECISIONS = tuple(ORDER)


def clean_query(raw) -> dict:
    """The query's filters, checked and normalised (exchange.exports.query.clean_filters)."""
    return export_query.clean_filters(raw)


def clean_excluded(raw) -> list[str]:
    """Record ids to leave out: a list of UUIDs (as text), sorted, each once."""
    if raw in (None, ""):
        return []
    if not isinstance(raw, list | tuple):
        raise DomainError(
            _("Records to leave out are a list of record ids."),
            "bad_excluded_records",
            field="excluded_records",
        )
    ids = set()
    for value in raw:
        try:
            ids.add(str(uuid.UUID(str(value))))
        except ValueError as exc:
            raise DomainError(
                _("Not a record id: %(value)s.") % {"value": str(value)[:60]},
                "bad_excluded_records",
                field="excluded_records",
            ) from exc
    return sorted(ids)


def clean_precision(value) -> str:
    value = (value or EXACT).strip()
    if value not in PRECISIONS:
        raise DomainError(
            _("Unknown precision: %(value)s. Choose %(known)s.")
            % {"value": value, "known": ", ".join(PRECISIONS)},
            "unknown_precision",
            field="precision",
        )
    return value


def records_for(
    *, access: Access, query: dict, include_received: bool, excluded: list[str] | None = None
) -> QuerySet[Observation]:
    """The records a (cleaned) query selects among those ``access`` may read."""
    qs = export_query.observations_for(access=access, filters=query)
    if not include_received:
        qs = qs.filter(origin_node=settings.NODE_CODE)
    if excluded:
        qs = qs.exclude(pk__in=[uuid.UUID(i) for i in excluded])
    return qs.order_by()


def row_precision(precision: str):
    """Per row: the coarser of the dataset's ``precision`` and the species' sensitivity."""
    if precision == EXACT:
        return F("species__sensitivity")
    finer = list(PRECISIONS[: PRECISIONS.index(precision)])
    return Case(
        When(species__sensitivity__in=finer, then=Value(precision)),
        default=F("species__sensitivity"),
        output_field=CharField(),
    )


def row_expressions(version_id, precision: str) -> dict:
    """DatasetRow column -> expression over an Observation queryset (for INSERT ... SELECT)."""
    lat, lon, unc = generalised_expressions(row_precision(precision))
    return {
        "version_id": Value(version_id, output_field=UUIDField()),
        "record_id": F("id"),
        "origin_node": F("origin_node"),
        "protected_area_id": F("protected_area_id"),
        "protected_area_code": F("protected_area__code"),
        "country": F("protected_area__country"),
        "species_id": F("species_id"),
        "scientific_name": F("species__scientific_name"),
        "observed_at": F("observed_at"),
        "latitude": lat,
        "longitude": lon,
        "coordinate_uncertainty_m": unc,
        "location_precision": row_precision(precision),
        "count": F("count"),
        "count_min": F("count_min"),
        "count_max": F("count_max"),
        "unit": F("unit"),
        "sex": F("sex"),
        "age_class": F("age_class"),
        "evidence": F("evidence"),
        "individual_id": F("individual_id"),
        "event_id": F("event_id"),
        "status": F("status"),
        "observer_code": F("observer_code"),
        "notes": F("notes"),
    }
