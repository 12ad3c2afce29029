"""No filter tells more than the answer shows.

A reader who sees a tiger on its 10 km cell used to recover the exact point by halving a
``bbox`` about 40 times: the filter looked at the stored point while the answer showed the
cell. Filters now work on the place the reader is shown, and a filter the API does not
know is refused instead of silently ignored."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from observations.disclosure.grid import cell_centre
from observations.geo import distance_m
from observations.models import Observation, Species, SurveyEvent

pytestmark = pytest.mark.django_db
EXACT_LAT, EXACT_LON = 44.963817, 132.418263


@pytest.fixture
def tiger(people, khankaisky):
    station = SurveyEvent.objects.create(
        protected_area=khankaisky,
        kind="camera_trap",
        started_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
        latitude=EXACT_LAT,
        longitude=EXACT_LON,
        status="verified",
        created_by=people.ranger_ru,
    )
    record = Observation.objects.create(
        protected_area=khankaisky,
        species=Species.objects.get(scientific_name="Panthera tigris altaica"),
        observed_at=dt.datetime(2025, 1, 5, tzinfo=dt.UTC),
        latitude=EXACT_LAT,
        longitude=EXACT_LON,
        evidence="camera",
        event=station,
        status="verified",
        created_by=people.ranger_ru,
    )
    return record, station


def _client(person):
    api = APIClient()
    api.force_authenticate(person)
    return api


def _found(api, url, record_id, box) -> bool:
    answer = api.get(url, {"bbox": ",".join(f"{v:.12f}" for v in box)})
    assert answer.status_code == 200, answer.content
    return any(row["id"] == str(record_id) for row in answer.json()["results"])


def bisect(api, url, record_id, steps=40):
    """The attack: halve the box, keep the half that still holds the record."""
    box = [130.0, 43.0, 135.0, 47.0]  # min_lon, min_lat, max_lon, max_lat
    assert _found(api, url, record_id, box)
    for step in range(steps):
        axis = step % 2  # 0: longitude, 1: latitude
        low, high = box[axis], box[axis + 2]
        middle = (low + high) / 2
        left = list(box)
        left[axis + 2] = middle
        if _found(api, url, record_id, left):
            box = left
        else:
            box[axis] = middle
    return (box[1] + box[3]) / 2, (box[0] + box[2]) / 2


@pytest.mark.parametrize("who", ["ranger_cn", "reviewer", "coordinator_cn", "outsider"])
def test_bbox_bisection_converges_to_the_cell_not_the_point(people, tiger, who):
    record, _station = tiger
    lat, lon = bisect(_client(getattr(people, who)), "/api/v1/observations/", record.pk)
    centre = cell_centre(EXACT_LAT, 0.1), cell_centre(EXACT_LON, 0.1)
    assert distance_m(lat, lon, *centre) < 1  # what the answer shows anyway: 44.95, 132.45
    assert distance_m(lat, lon, EXACT_LAT, EXACT_LON) > 1000


def test_the_station_cannot_be_bisected_either(people, tiger):
    _record, station = tiger
    lat, lon = bisect(_client(people.reviewer), "/api/v1/events/", station.pk)
    assert distance_m(lat, lon, EXACT_LAT, EXACT_LON) > 1000


def test_those_who_oversee_the_pa_filter_on_the_exact_point(people, tiger):
    record, _station = tiger
    lat, lon = bisect(_client(people.ranger_ru), "/api/v1/observations/", record.pk)
    assert distance_m(lat, lon, EXACT_LAT, EXACT_LON) < 1


def test_a_box_around_the_exact_point_but_off_the_cell_centre_finds_nothing(people, tiger):
    record, _station = tiger
    api = _client(people.ranger_cn)
    tight = [EXACT_LON - 0.001, EXACT_LAT - 0.001, EXACT_LON + 0.001, EXACT_LAT + 0.001]
    assert not _found(api, "/api/v1/observations/", record.pk, tight)
    around_centre = [132.449, 44.949, 132.451, 44.951]
    assert _found(api, "/api/v1/observations/", record.pk, around_centre)


@pytest.mark.parametrize(
    "query",
    [
        {"latitude__gte": "44.96"},
        {"longitude": "132.418263"},
        {"ordering": "latitude"},
        {"near": "44.96,132.41", "distance": "100"},
    ],
)
@pytest.mark.parametrize("url", ["/api/v1/observations/", "/api/v1/events/"])
def test_a_filter_the_api_does_not_know_is_refused_in_the_readers_language(
    people, tiger, url, query
):
    answer = _client(people.ranger_cn).get(url, query, HTTP_ACCEPT_LANGUAGE="ru")
    assert answer.status_code == 400
    body = answer.json()
    assert body["code"] == "unknown_filter"
    assert "Неизвестный фильтр" in body["detail"]


@pytest.mark.parametrize("bbox", ["1,2,3", "a,b,c,d", "nan,0,1,1", "inf,0,1,1", "5,5,1,1"])
def test_a_bad_bbox_is_a_clear_400(people, tiger, bbox):
    answer = _client(people.reviewer).get("/api/v1/observations/", {"bbox": bbox})
    assert answer.status_code == 400
    assert answer.json()["field"] == "bbox"  # the one error shape (observations.api.errors)
