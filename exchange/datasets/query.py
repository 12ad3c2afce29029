"""What a dataset selects, and each of its rows as SQL expressions.

A dataset's query is the filters of exchange.exports.query (``species``,
``protected_areas``, ``country``, ``observed_after``, ``observed_before``, ``status``,
``campaign``), checked by the same function, plus two of its own: whether records received
from the partner node are included, and records left out by hand (a duplicate, say).

The records are those the publishing coordinator may read (observations.access), as for an
export. What a row shows is the disclosure policy's answer for the public, never finer
than the dataset's precision (``audience``: each place at the coarser of the two, notes
of generalised places withheld, people's names taken out of the others); the
expressions are the policy's SQL twins, so the database writes the rows
(exchange.datasets.publish).

Records received from the partner arrive already generalised as its agreement says; they
are generalised once more here (a cell centre stays the centre of its cell, and the
uncertainty never drops below the one received).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db.models import F, QuerySet, UUIDField, Value
from django.utils.translation import gettext_lazy as _

from observations.access import Access
from observations.disclosure import KM1, ORDER, PublicAudience
from observations.errors import DomainError
from observations.models import Observation
from observations.records.kinds import DATASET, OBSERVATION

from ..exports import query as export_query
from ..exports.sources import stored_values

PRECISIONS = tuple(ORDER)
DEFAULT_PRECISION = KM1  # a new dataset is generalised unless its coordinator says otherwise


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
    value = (value or DEFAULT_PRECISION).strip()
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


def audience(precision: str) -> PublicAudience:
    """Who a version's rows are for: the public (reviewers of any PA, or none, download
    them), never finer than the dataset's ``precision``."""
    return PublicAudience(floor=precision)


def row_expressions(version_id, precision: str) -> dict:
    """DatasetRow column -> expression over an Observation queryset (for INSERT ... SELECT):
    the record kind's dataset columns (observations.records.kinds), places and notes as the
    disclosure policy shows them to the dataset's audience; then what a row keeps besides
    the record's fields: its version, the keys its filters use, the precision it shows."""
    shown = audience(precision)
    lat, lon, unc, row_precision = shown.record_place_sql()
    decided = {
        "latitude": lat,
        "longitude": lon,
        "coordinate_uncertainty_m": unc,
        "notes": shown.text_sql("notes", row_precision),
    }
    values = stored_values(OBSERVATION, decided, DATASET)
    row = {OBSERVATION[name].dataset: expression for name, expression in values.items()}
    row.update(
        version_id=Value(version_id, output_field=UUIDField()),
        protected_area_id=F("protected_area_id"),
        country=F("protected_area__country"),
        species_id=F("species_id"),
        location_precision=row_precision,
    )
    return row
