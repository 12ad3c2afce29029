"""Coordinates: the GCJ-02 datum of Chinese map apps, distances, PA boundaries.

All coordinates are stored in WGS-84. Chinese map apps (Amap, Tencent; Baidu
adds its own BD-09 on top) show GCJ-02, an obfuscated datum shifted by a few
hundred metres. Input that *declares* GCJ-02 is converted back here; nothing
is converted by guessing from the position, because the usual "inside China"
box also covers Primorye and Amur oblast, where a conversion would move a
Russian point by about 600 m.
"""

import math
from functools import lru_cache

from shapely.geometry import Point, shape
from shapely.ops import nearest_points

EARTH_RADIUS_M = 6_371_008.8

# Krasovsky 1940 ellipsoid, on which the published GCJ-02 offset is defined.
_A = 6378245.0
_EE = 0.00669342162296594323


def _offset_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _offset_lon(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lat: float, lon: float) -> tuple[float, float]:
    """The forward GCJ-02 transform (what a Chinese map app shows for a WGS-84 point)."""
    d_lat = _offset_lat(lon - 105.0, lat - 35.0)
    d_lon = _offset_lon(lon - 105.0, lat - 35.0)
    rad_lat = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad_lat) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    d_lon = (d_lon * 180.0) / (_A / sqrt_magic * math.cos(rad_lat) * math.pi)
    return lat + d_lat, lon + d_lon


def gcj02_to_wgs84(lat: float, lon: float, *, tolerance_deg: float = 1e-9) -> tuple[float, float]:
    """Invert the GCJ-02 transform by fixed-point iteration (sub-centimetre after a few steps)."""
    w_lat, w_lon = lat, lon
    for _ in range(30):
        g_lat, g_lon = wgs84_to_gcj02(w_lat, w_lon)
        d_lat, d_lon = g_lat - lat, g_lon - lon
        w_lat, w_lon = w_lat - d_lat, w_lon - d_lon
        if abs(d_lat) < tolerance_deg and abs(d_lon) < tolerance_deg:
            break
    return w_lat, w_lon


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


@lru_cache(maxsize=256)
def _boundary_shape(geojson_text: str):
    import json

    data = json.loads(geojson_text)
    if data.get("type") == "Feature":
        data = data["geometry"]
    return shape(data)


def distance_outside_m(boundary: dict, lat: float, lon: float) -> float:
    """0 when the point lies inside the GeoJSON boundary, else metres to its nearest edge."""
    import json

    geometry = _boundary_shape(json.dumps(boundary, sort_keys=True))
    point = Point(lon, lat)
    if geometry.covers(point):
        return 0.0
    nearest = nearest_points(geometry, point)[0]
    return distance_m(lat, lon, nearest.y, nearest.x)
