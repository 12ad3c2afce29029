"""One rule, two places: the database expressions of exchange.generalise give exactly what
the Python function gives, for every precision, so an export generalised in SQL shows no
location more precisely than the API or the sync would."""

import random

import pytest
from django.db.models import F

from observations.disclosure.grid import generalise, generalised_expressions
from observations.models import Observation, Species

pytestmark = pytest.mark.django_db


@pytest.fixture
def scattered(people, khankaisky):
    """300 points scattered over the Amur basin (and a few on cell edges), one without."""
    rng = random.Random(7)
    crane = Species.objects.get(scientific_name="Grus japonensis")
    points = [(rng.uniform(42, 54), rng.uniform(119, 141)) for _ in range(300)]
    points += [(45.0, 132.0), (44.95, 132.45), (44.999999, 132.1), (-33.86, 151.2)]
    rows = [
        Observation(
            protected_area=khankaisky,
            species=crane,
            observed_at="2024-05-01T06:00:00Z",
            latitude=lat,
            longitude=lon,
            coordinate_uncertainty_m=rng.choice([None, 5, 2000, 20000]),
            evidence="sighting",
            created_by=people.ranger_ru,
        )
        for lat, lon in points
    ]
    rows.append(
        Observation(
            protected_area=khankaisky,
            species=crane,
            observed_at="2024-05-01T06:00:00Z",
            evidence="sighting",
            created_by=people.ranger_ru,
        )
    )
    Observation.objects.bulk_create(rows)
    return khankaisky


@pytest.mark.parametrize("precision", ["exact", "1km", "10km", "pa"])
def test_the_database_generalises_like_python(scattered, precision):
    lat, lon, unc = generalised_expressions(precision)
    rows = Observation.objects.annotate(g_lat=lat, g_lon=lon, g_unc=unc).values_list(
        "latitude", "longitude", "coordinate_uncertainty_m", "g_lat", "g_lon", "g_unc"
    )
    pa = scattered
    checked = 0
    for latitude, longitude, uncertainty, g_lat, g_lon, g_unc in rows:
        expected = generalise(
            latitude,
            longitude,
            precision=precision,
            uncertainty_m=uncertainty,
            pa_centroid=(pa.centroid_lat, pa.centroid_lon),
        )
        assert (g_lat, g_lon, g_unc) == (
            expected.latitude,
            expected.longitude,
            expected.uncertainty_m,
        )
        checked += 1
    assert checked == 305


def test_the_precision_may_differ_row_by_row(scattered):
    """A per-row precision expression (here: from the species' sensitivity) works as well."""
    lat, _lon, _unc = generalised_expressions(F("species__sensitivity"))
    value = (
        Observation.objects.annotate(g_lat=lat)
        .filter(latitude=44.95)
        .values_list("g_lat", flat=True)
    )
    assert list(value) == [44.955]  # cranes are shared at 1 km: the centre of the 0.01° cell


def test_a_cell_centre_is_the_rounded_decimal_centre():
    """cell_centre computes (2k + 1) / 200 in floats; it is exactly what rounding the centre
    to 6 decimals gives, on cell edges too."""
    import math

    from observations.disclosure.grid import cell_centre

    rng = random.Random(11)
    values = [rng.uniform(-180, 180) for _ in range(100_000)]
    values += [k / 100 for k in range(-18000, 18001, 7)]
    values += [math.nextafter(v, 0) for v in values[-3000:]]
    for step in (0.01, 0.1):
        for value in values:
            assert cell_centre(value, step) == round(math.floor(value / step) * step + step / 2, 6)
