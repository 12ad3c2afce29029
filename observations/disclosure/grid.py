"""The grid: what a point looks like at a given precision (the mechanism, not the decision).

Which precision applies to whom is decided by observations.disclosure.policy and
nowhere else; this module only snaps a point to it. A generalised point is the centre
of a grid cell in degrees (0.01° for "1 km", 0.1° for "10 km"; at 45°N a 0.1° cell is
about 11 x 8 km), never a random offset (GBIF's guidance on sensitive species: an
offset averages out over repeated records, a cell does not), or the PA's centroid for
"PA only"; its uncertainty is the cell's half-diagonal in metres, as Darwin Core's
coordinateUncertaintyInMeters expects.
"""

import math
from dataclasses import dataclass

from observations.geo import distance_m

EXACT, KM1, KM10, PA_ONLY = "exact", "1km", "10km", "pa"
CELL_DEGREES = {KM1: 0.01, KM10: 0.1}
ORDER = [EXACT, KM1, KM10, PA_ONLY]


@dataclass(frozen=True)
class Place:
    latitude: float | None
    longitude: float | None
    uncertainty_m: int | None
    precision: str

    @property
    def generalised(self) -> bool:
        return self.precision != EXACT


def coarser(a: str, b: str) -> str:
    """The coarser of two precisions (the stricter rule wins)."""
    return a if ORDER.index(a) >= ORDER.index(b) else b


def coarsest(precisions, floor: str = EXACT) -> str:
    """The coarsest of ``precisions``, never finer than ``floor``."""
    return max([floor, *precisions], key=ORDER.index)


def cell_centre(value: float, step: float) -> float:
    """The centre of the value's cell, (2k + 1) / (2 / step) with k = floor(value / step).

    Dividing the exact integer 2k + 1 by the exact integer 200 (or 20) gives the double
    nearest to the decimal centre (44.955, 132.45), the very value rounding
    ``k * step + step / 2`` to 6 decimals gives, with float operations the database
    repeats bit for bit (``generalised_expressions``)."""
    return (2 * math.floor(value / step) + 1) / _halves(step)


def _halves(step: float) -> int:
    return round(2 / step)


def generalise(
    latitude: float | None,
    longitude: float | None,
    *,
    precision: str,
    uncertainty_m: int | None = None,
    pa_centroid: tuple[float | None, float | None] = (None, None),
) -> Place:
    if latitude is None or longitude is None:
        return Place(None, None, None, precision)
    if precision == EXACT:
        return Place(latitude, longitude, uncertainty_m, EXACT)
    if precision == PA_ONLY:
        lat, lon = pa_centroid
        return Place(lat, lon, None, PA_ONLY)
    step = CELL_DEGREES[precision]
    lat, lon = cell_centre(latitude, step), cell_centre(longitude, step)
    half_diagonal = distance_m(lat - step / 2, lon - step / 2, lat + step / 2, lon + step / 2) / 2
    return Place(lat, lon, max(int(math.ceil(half_diagonal)), uncertainty_m or 0), precision)


# --- the same rule in the database -----------------------------------------------------
#
# Exports stream a million rows; a Python loop over them would cost seconds that the
# database spends in milliseconds. ``generalised_expressions`` is ``generalise`` written as
# Django expressions (so the ORM compiles them for PostgreSQL or SQLite) with the same
# constants and the same floating-point steps: a cell centre (cell_centre), the
# half-diagonal by the same haversine as observations.geo.distance_m, rounded up, and never
# below the record's own uncertainty. tests/exchange/test_exports_generalise.py checks that
# both give the same numbers.


def generalised_expressions(
    precision,
    *,
    latitude: str = "latitude",
    longitude: str = "longitude",
    uncertainty: str | None = "coordinate_uncertainty_m",
    pa_latitude: str = "protected_area__centroid_lat",
    pa_longitude: str = "protected_area__centroid_lon",
):
    """(latitude, longitude, uncertainty) expressions of a row generalised to ``precision``:
    an expression yielding "exact", "1km", "10km" or "pa" per row, or one of those strings."""
    from django.db.models import Case, F, FloatField, IntegerField, Value, When
    from django.db.models.functions import Cast, Ceil, Coalesce, Greatest
    from django.db.models.lookups import Exact, IsNull

    if isinstance(precision, str):
        precision = Value(precision)
    lat, lon = F(latitude), F(longitude)
    own = F(uncertainty) if uncertainty else Value(None, output_field=IntegerField())
    missing = IsNull(lat, True)
    lat_cases, lon_cases, unc_cases = (
        [When(missing, then=Value(None, output_field=FloatField()))],
        [When(missing, then=Value(None, output_field=FloatField()))],
        [When(missing, then=Value(None, output_field=IntegerField()))],
    )
    lat_cases.append(When(Exact(precision, EXACT), then=lat))
    lon_cases.append(When(Exact(precision, EXACT), then=lon))
    unc_cases.append(When(Exact(precision, EXACT), then=own))
    for name, step in CELL_DEGREES.items():
        centre_lat, centre_lon = _centre_sql(lat, step), _centre_sql(lon, step)
        is_cell = Exact(precision, name)
        lat_cases.append(When(is_cell, then=centre_lat))
        lon_cases.append(When(is_cell, then=centre_lon))
        half = Cast(Ceil(_half_diagonal_sql(centre_lat, centre_lon, step)), IntegerField())
        unc_cases.append(When(is_cell, then=Greatest(half, Coalesce(own, Value(0)))))
    lat_cases.append(When(Exact(precision, PA_ONLY), then=F(pa_latitude)))
    lon_cases.append(When(Exact(precision, PA_ONLY), then=F(pa_longitude)))
    return (
        Case(*lat_cases, default=Value(None), output_field=FloatField()),
        Case(*lon_cases, default=Value(None), output_field=FloatField()),
        Case(*unc_cases, default=Value(None), output_field=IntegerField()),
    )


def _centre_sql(value, step: float):
    """cell_centre(value, step): (2 * floor(value / step) + 1) / (2 / step), in floats."""
    from django.db.models import FloatField, Value
    from django.db.models.functions import Floor

    odd = Value(2.0) * Floor(value / Value(step)) + Value(1.0)
    return odd / Value(float(_halves(step)), output_field=FloatField())


def _half_diagonal_sql(lat, lon, step: float):
    """distance_m(lat - step/2, lon - step/2, lat + step/2, lon + step/2) / 2, step by step."""
    from django.db.models import Value
    from django.db.models.functions import ASin, Cos, Power, Radians, Sin, Sqrt

    from observations.geo import EARTH_RADIUS_M

    half = Value(step / 2)
    p1, p2 = Radians(lat - half), Radians(lat + half)
    dp, dl = p2 - p1, Radians((lon + half) - (lon - half))
    h = Power(Sin(dp / Value(2)), 2) + Cos(p1) * Cos(p2) * Power(Sin(dl / Value(2)), 2)
    return Value(2 * EARTH_RADIUS_M) * ASin(Sqrt(h)) / Value(2)
