"""Helpers of the census stories (tests/observations/test_census*.py): the people's API
clients, a crane campaign at Khanka Lake, counts and records at local dawn, and the
Chinese node played for a moment by this process."""

import datetime as dt
from contextlib import contextmanager

from django.utils import timezone
from rest_framework.test import APIClient

from observations.models import CensusCampaign, Observation, Species

TODAY = timezone.now().date()


def client(person):
    api = APIClient()
    api.force_authenticate(person)
    return api


def crane_campaign(**overrides):
    body = {
        "name_en": "Khanka Lake crane count",
        "name_ru": "Учёт журавлей на озере Ханка",
        "name_zh": "兴凯湖鹤类同步调查",
        "species": "Grus japonensis",
        "method": "point_count",
        "starts_on": (TODAY - dt.timedelta(days=3)).isoformat(),
        "ends_on": (TODAY - dt.timedelta(days=1)).isoformat(),
        "daily_start": "05:00",
        "daily_end": "10:00",
        "submission_deadline": (TODAY + dt.timedelta(days=7)).isoformat(),
        "protected_areas": ["RU-KHANKAISKY", "CN-XINGKAIHU", "RU-BASTAK"],
    }
    body.update(overrides)
    return body


def local_dawn(pa, days_ago=2, hour=6):
    day = TODAY - dt.timedelta(days=days_ago)
    return dt.datetime.combine(day, dt.time(hour, 15), tzinfo=pa.tz)


def count_body(pa, **overrides):
    body = {
        "protected_area": pa.code,
        "counted_at": local_dawn(pa).isoformat(),
        "total": 40,
        "count_min": 36,
        "count_max": 45,
        "points": 6,
        "effort_hours": "18.5",
        "counted_area_km2": "120",
        "observers": 7,
        "weather": "calm, clear, -2 °C",
        "notes": "flocks on the northern shore",
    }
    body.update(overrides)
    return body


@contextmanager
def on_the_chinese_node(settings):
    """For a moment this process is the Chinese node: what it writes is owned by CN, as a
    count received from the partner by the exchange would be."""
    settings.NODE_CODE = "CN"
    try:
        yield
    finally:
        settings.NODE_CODE = "RU"


def make_campaign(person, **overrides) -> CensusCampaign:
    """A campaign set up through the API by ``person`` (a coordinator)."""
    answer = client(person).post(
        "/api/v1/census/campaigns/", crane_campaign(**overrides), format="json"
    )
    assert answer.status_code == 201, answer.json()
    return CensusCampaign.objects.get(pk=answer.json()["id"])


def crane_record(pa, person, *, count=40, when=None, status="verified", origin="RU"):
    return Observation.objects.create(
        protected_area=pa,
        species=Species.objects.get(scientific_name="Grus japonensis"),
        observed_at=when or local_dawn(pa),
        latitude=pa.centroid_lat,
        longitude=pa.centroid_lon,
        count=count,
        evidence="sighting",
        status=status,
        created_by=person,
        origin_node=origin,
    )
