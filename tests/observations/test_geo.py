"""Coordinates: the GCJ-02 round trip and the generalisation of sensitive locations."""

import pytest

from observations.disclosure.grid import generalise
from observations.geo import distance_m, gcj02_to_wgs84, wgs84_to_gcj02


@pytest.mark.parametrize("lat,lon", [(45.3, 132.6), (47.91, 134.2), (48.35, 134.8)])
def test_gcj02_inverts_to_within_a_centimetre(lat, lon):
    g_lat, g_lon = wgs84_to_gcj02(lat, lon)
    assert distance_m(lat, lon, g_lat, g_lon) > 100  # the offset is real: hundreds of metres
    back = gcj02_to_wgs84(g_lat, g_lon)
    assert distance_m(lat, lon, *back) < 0.01


def test_converting_a_russian_point_by_mistake_would_move_it_about_600_m():
    """Why only a declared datum is converted: Khankaisky lies inside the 'China box'."""
    lat, lon = 44.95, 132.45
    moved = gcj02_to_wgs84(lat, lon)
    assert 300 < distance_m(lat, lon, *moved) < 900


def test_a_10km_place_hides_the_exact_point():
    place = generalise(44.953217, 132.451234, precision="10km")
    assert (place.latitude, place.longitude) == (44.95, 132.45)
    assert place.uncertainty_m > 5000
    assert generalise(44.953217, 132.451234, precision="1km").latitude == 44.955


def test_pa_only_shows_the_centroid_and_exact_shows_everything():
    assert generalise(44.9, 132.4, precision="pa", pa_centroid=(45.0, 132.5)).latitude == 45.0
    assert generalise(44.9, 132.4, precision="exact").latitude == 44.9
