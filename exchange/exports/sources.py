"""Where the values of an export's rows come from: one expression per field of the
description (observations.records.kinds), so that the tabular files and the Darwin Core
Archive read every field the same way.

- the live records (``live_records``, ``live_events``): each field as stored, but the
  places and free texts as the disclosure policy shows them to the export's audience, in
  SQL (a field the policy decides and the source does not ask it about is an error: a new
  place or free text is never exported as stored by oversight);
- a dataset version's frozen rows (``frozen_rows``): each field from its column of
  exchange.models.DatasetRow (``dataset`` in the description), as published.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F

from observations.disclosure import Audience
from observations.records.converters import ByKey
from observations.records.kinds import DATASET, DWCA, EVENT, OBSERVATION, RecordKind


@dataclass(frozen=True)
class Source:
    """``values``: field name -> the expression of its value; ``precision``: the row's
    location precision; ``country``: its PA's country; ``live``: the live records (they
    have a survey event and a source), or a version's frozen rows."""

    values: dict
    precision: object
    country: object
    live: bool

    def __getitem__(self, name: str):
        return self.values[name]


def _stored(kind: RecordKind, f) -> F:
    if isinstance(f.convert, ByKey):  # a PA's code, a species' scientific name
        return F(f"{f.name}__{f.convert.key}")
    return F(kind.model._meta.get_field(f.name).attname)


def stored_values(kind: RecordKind, shown: dict, path: str | None = None) -> dict:
    """Every field's expression (of those on ``path``, if given): ``shown`` for those the
    disclosure policy decides, the stored value for the others."""
    values = {}
    for f in kind.on(path) if path else kind.fields:
        if f.name in shown:
            values[f.name] = shown[f.name]
        elif f.disclosure:
            raise KeyError(f"{kind.feed_kind}.{f.name}: ask the disclosure policy")
        else:
            values[f.name] = _stored(kind, f)
    return values


def live_records(audience: Audience) -> Source:
    """The live observations as ``audience`` may see them."""
    lat, lon, unc, precision = audience.record_place_sql()
    shown = {
        "latitude": lat,
        "longitude": lon,
        "coordinate_uncertainty_m": unc,
        "notes": audience.text_sql("notes", precision),
    }
    return Source(
        stored_values(OBSERVATION, shown), precision, F("protected_area__country"), live=True
    )


def live_events(audience: Audience) -> tuple[Source, object]:
    """The live survey events at their stations as ``audience`` may see them (the fields a
    Darwin Core Archive writes), and the coordinates' uncertainty (the station rule's; an
    event has no field for it)."""
    lat, lon, unc, precision = audience.station_place_sql()
    shown = {
        "latitude": lat,
        "longitude": lon,
        "notes": audience.text_sql("notes", precision),
        # Written as stored, as the archive always has: the policy's label rule has no
        # SQL twin yet (observations.disclosure.Audience.label).
        "protocol": F("protocol"),
    }
    values = stored_values(EVENT, shown, DWCA)
    return Source(values, precision, F("protected_area__country"), live=True), unc


def frozen_rows() -> Source:
    """A dataset version's rows (exchange.models.DatasetRow), as published."""
    values = {f.name: F(f.dataset) for f in OBSERVATION.on(DATASET)}
    return Source(values, F("location_precision"), F("country"), live=False)
