"""The records the export stories use, and helpers to ask for an export and read it back.

At Khanka Lake: Khankaisky's own records (RU: a tiger on a winter track route with its
effort, a crane pair at dusk, a crane record still waiting for review) and Xingkaihu's,
received from the Chinese node (CN: a tiger and a crane flock). Tigers are shared at
10 km, cranes at 1 km (seeds/species.json)."""

import datetime as dt

from rest_framework.test import APIClient

from observations.access import access_for
from observations.disclosure.grid import EXACT, generalise
from observations.models import Species

from ..factories import ObservationFactory, SurveyEventFactory
from ..waiting import wait_for_answer

UTC = dt.UTC


def client(person):
    api = APIClient()
    api.force_authenticate(person)
    return api


def make_khanka(people, khankaisky, xingkaihu) -> dict:
    """The records of the stories, by name (and ``route``, the survey event)."""
    tiger = Species.objects.get(scientific_name="Panthera tigris altaica")
    crane = Species.objects.get(scientific_name="Grus japonensis")
    route = SurveyEventFactory(
        protected_area=khankaisky,
        kind="snow_track",
        started_at=dt.datetime(2024, 1, 20, 1, 0, tzinfo=UTC),
        ended_at=dt.datetime(2024, 1, 20, 6, 30, tzinfo=UTC),
        latitude=44.9812345,
        longitude=132.4012345,
        effort_km="14.50",
        protocol="winter track census, route 7",
        status="verified",
        created_by=people.ranger_ru,
    )

    def record(pa, species, when, lat, lon, **extra):
        return ObservationFactory(  # verified single sightings unless they say otherwise
            protected_area=pa,
            species=species,
            observed_at=when,
            latitude=lat,
            longitude=lon,
            created_by=extra.pop("created_by", people.ranger_ru),
            **extra,
        )

    records = {
        "ru_tiger": record(
            khankaisky,
            tiger,
            dt.datetime(2024, 1, 20, 3, 10, tzinfo=UTC),
            44.9876543,
            132.4567891,
            event=route,
            evidence="track",
            unit="tracks",
            notes='fresh tracks\tcrossing\nthe "ice" \\ west',
        ),
        "ru_cranes": record(
            khankaisky,
            crane,
            dt.datetime(2024, 5, 1, 21, 15, tzinfo=UTC),
            44.9123456,
            132.5123456,
            count=2,
        ),
        "ru_waiting": record(
            khankaisky,
            crane,
            dt.datetime(2024, 5, 3, 5, 0, tzinfo=UTC),
            44.93,
            132.52,
            status="submitted",
        ),
        "cn_tiger": record(
            xingkaihu,
            tiger,
            dt.datetime(2024, 1, 21, 2, 0, tzinfo=UTC),
            45.2345678,
            132.6789012,
            origin_node="CN",
            source="sync",
            created_by=None,
            observer_code="CN-0A1B2C3D4E",
        ),
        "cn_cranes": record(
            xingkaihu,
            crane,
            dt.datetime(2024, 5, 2, 22, 40, tzinfo=UTC),
            45.1234567,
            132.3456789,
            count=14,
            origin_node="CN",
            source="sync",
            created_by=None,
        ),
    }
    records["route"] = route
    return records


def expected_place(person, record, *, internal: bool = True):
    """What the rule of DESIGN.md lets ``person`` see of the record's place: in an internal
    export exact where they oversee the PA, else (and in any export for publication) as
    the species' sensitivity says."""
    access = access_for(person)
    pa = record.protected_area
    exact = internal and access.oversees(pa)
    precision = EXACT if exact else record.species.sensitivity
    return generalise(
        record.latitude,
        record.longitude,
        precision=precision,
        uncertainty_m=record.coordinate_uncertainty_m,
        pa_centroid=(pa.centroid_lat, pa.centroid_lon),
    )


def ask(person, fmt, filters=None, **extra):
    return client(person).post(
        "/api/v1/exports/", {"format": fmt, "filters": filters or {}, **extra}, format="json"
    )


def wait_until_finished(api, url, timeout=120):
    body, seen = wait_for_answer(api, url, timeout=timeout)
    return body, [each["processed_rows"] for each in seen]


def export_file(person, fmt, filters=None, **extra) -> tuple[dict, bytes]:
    """Ask, wait for the worker, download: (the finished job, the file's bytes)."""
    answer = ask(person, fmt, filters, **extra)
    assert answer.status_code == 202, answer.json()
    api = client(person)
    job, progress = wait_until_finished(api, answer["Location"])
    assert job["status"] == "done", job
    assert progress == sorted(progress)
    download = api.get(job["download"])
    assert download.status_code == 200
    return job, b"".join(download.streaming_content)
