"""Coordinators' exports: asked for through the API, built by a real Celery worker, read back.

coordinator_ru exports the Khanka Lake records in every format: Khankaisky's own places
exactly (she oversees the Russian PAs), Xingkaihu's received tiger at 10 km and cranes at
1 km. coordinator_cn, on this node, sees it the other way round; the admin sees all exactly.
Rangers and reviewers do not export; bad requests are refused with a clear code.
"""

import csv
import io
import json

import pytest
from django.utils import translation
from openpyxl import load_workbook

from exchange.exports import query
from exchange.models import ExportJob
from observations.access import access_for
from observations.disclosure import for_user

from .export_stories import (
    ask,
    client,
    expected_place,
    export_file,
    make_khanka,
    wait_until_finished,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def khanka(people, khankaisky, xingkaihu):
    return make_khanka(people, khankaisky, xingkaihu)


# --- bad requests ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"format": "pdf"}, "unknown_format"),
        ({"format": "csv", "filters": {"colour": "red"}}, "unknown_filter"),
        ({"format": "csv", "filters": {"species": ["Panthera leo"]}}, "unknown_species"),
        (
            {"format": "csv", "filters": {"protected_areas": ["RU-NOWHERE"]}},
            "unknown_protected_area",
        ),
        ({"format": "csv", "filters": {"observed_after": "last spring"}}, "bad_date"),
        ({"format": "csv", "filters": {"status": ["draft"]}}, "bad_status"),
        ({"format": "csv", "filters": {"campaign": "not-a-uuid"}}, "unknown_campaign"),
        (
            {
                "format": "csv",
                "filters": {"observed_after": "2024-06-01", "observed_before": "2024-01-01"},
            },
            "bad_date_range",
        ),
        ({"format": "dwca", "licence": "all rights reserved"}, "unknown_licence"),
        ({"format": "csv", "filters": {"species": ["Ciconia nigra"]}}, "empty_export"),
        ({"format": "csv", "filters": {"observed_after": "2030-01-01"}}, "empty_export"),
    ],
)
def test_a_bad_request_gets_a_clear_error(people, khanka, body, code):
    answer = client(people.coordinator_ru).post("/api/v1/exports/", body, format="json")
    assert answer.status_code == 400, answer.json()
    assert answer.json()["code"] == code
    assert answer.json()["detail"]
    assert not ExportJob.objects.exists()


@pytest.mark.parametrize("who", ["ranger_ru", "manager_ru", "reviewer", "outsider"])
def test_only_coordinators_export(people, khanka, who):
    answer = ask(getattr(people, who), "csv")
    assert answer.status_code == 403 and answer.json()["code"] == "forbidden"


def test_someone_elses_export_is_not_found(people, khanka):
    job = ExportJob.objects.create(user=people.coordinator_cn, format="csv")
    assert client(people.coordinator_ru).get(f"/api/v1/exports/{job.pk}/").status_code == 404
    assert client(people.coordinator_cn).get(f"/api/v1/exports/{job.pk}/").status_code == 200


def test_a_download_before_the_file_is_ready_says_so(people, khanka):
    job = ExportJob.objects.create(user=people.coordinator_ru, format="csv")
    answer = client(people.coordinator_ru).get(f"/api/v1/exports/{job.pk}/download/")
    assert answer.status_code == 409 and answer.json()["code"] == "not_ready"


def test_the_list_of_exports_costs_a_fixed_number_of_queries(
    people, khanka, django_assert_max_num_queries
):
    for fmt in ("csv", "xlsx", "geojson", "dwca", "csv"):
        ExportJob.objects.create(user=people.coordinator_ru, format=fmt)
    with django_assert_max_num_queries(3):
        listed = client(people.coordinator_ru).get("/api/v1/exports/").json()
    assert len(listed["results"]) == 5


# --- built by the worker ------------------------------------------------------------------


@pytest.mark.celery
def test_an_internal_csv_export_in_russian_generalises_what_she_does_not_oversee(
    celery_worker, people, khanka
):
    """Internal, headers in Russian: Khankaisky exact, Xingkaihu's tiger at 10 km, cranes at
    1 km."""
    job, data = export_file(people.coordinator_ru, "csv", language="ru", purpose="internal")
    assert job["purpose"] == "internal"
    assert (job["total_rows"], job["processed_rows"], job["percent"]) == (4, 4, 100)
    assert job["filename"].endswith(".csv")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    with translation.override("ru"):
        expected = [
            str(label)
            for _k, label, _e in query.tabular_columns(for_user(access_for(people.admin)), "ru")
        ]
    assert header == expected
    assert "Широта" in header and "Долгота" in header  # latitude, longitude
    keys = [
        key
        for key, _label, _expr in query.tabular_columns(for_user(access_for(people.admin)), "ru")
    ]
    by_id = {row[keys.index("id")]: dict(zip(keys, row, strict=True)) for row in body}
    assert set(by_id) == {
        str(khanka[k].pk) for k in ("ru_tiger", "ru_cranes", "cn_tiger", "cn_cranes")
    }
    for name in ("ru_tiger", "ru_cranes", "cn_tiger", "cn_cranes"):
        row, place = (
            by_id[str(khanka[name].pk)],
            expected_place(people.coordinator_ru, khanka[name]),
        )
        assert (float(row["latitude"]), float(row["longitude"])) == (
            place.latitude,
            place.longitude,
        )
        assert row["location_precision"] == place.precision
    assert by_id[str(khanka["cn_tiger"].pk)]["location_precision"] == "10km"
    assert by_id[str(khanka["cn_tiger"].pk)]["latitude"] == "45.25"
    assert by_id[str(khanka["ru_tiger"].pk)]["latitude"] == "44.9876543"
    assert (
        by_id[str(khanka["cn_cranes"].pk)]["protected_area"]
        == khanka["cn_cranes"].protected_area.name_ru
    )


@pytest.mark.celery
def test_the_chinese_coordinator_exports_for_publication_only_on_the_russian_node(people, khanka):
    """An internal export (exact places) is for this node's own coordinators: refused, in
    the asker's language, and nothing is queued."""
    answer = client(people.coordinator_cn).post(
        "/api/v1/exports/",
        {"format": "csv", "purpose": "internal"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert answer.status_code == 403, answer.json()
    assert answer.json()["code"] == "internal_not_allowed"
    assert "публикации" in answer.json()["detail"]
    assert not ExportJob.objects.exists()


@pytest.mark.celery
def test_an_xlsx_export_for_publication_generalises_every_sensitive_place(
    celery_worker, people, khanka, tmp_path
):
    """For publication (the default), even the coordinator's own tiger is on its cell."""
    job, data = export_file(people.coordinator_cn, "xlsx", {"species": ["Panthera tigris altaica"]})
    assert job["purpose"] == "publication"
    path = tmp_path / "export.xlsx"
    path.write_bytes(data)
    sheet = load_workbook(path, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    keys = [
        key
        for key, _label, _expr in query.tabular_columns(for_user(access_for(people.admin)), "en")
    ]
    assert rows[0][keys.index("latitude")] == "Latitude"
    body = {r[keys.index("id")]: r for r in rows[1:]}
    assert len(body) == 2 == job["total_rows"]
    for name in ("ru_tiger", "cn_tiger"):
        row = body[str(khanka[name].pk)]
        place = expected_place(people.coordinator_cn, khanka[name], internal=False)
        assert (row[keys.index("latitude")], row[keys.index("longitude")]) == (
            place.latitude,
            place.longitude,
        )
        assert row[keys.index("coordinate_uncertainty_m")] == place.uncertainty_m
        assert row[keys.index("location_precision")] == "10km"


@pytest.mark.celery
def test_a_geojson_export_of_a_date_range(celery_worker, people, khanka):
    """Only May's cranes; points are [longitude, latitude], generalised like everywhere."""
    job, data = export_file(
        people.coordinator_ru,
        "geojson",
        {"observed_after": "2024-05-01", "observed_before": "2024-06-01"},
        purpose="internal",
    )
    collection = json.loads(data)
    assert collection["type"] == "FeatureCollection"
    features = {f["id"]: f for f in collection["features"]}
    assert set(features) == {str(khanka["ru_cranes"].pk), str(khanka["cn_cranes"].pk)}
    for name in ("ru_cranes", "cn_cranes"):
        feature, place = (
            features[str(khanka[name].pk)],
            expected_place(people.coordinator_ru, khanka[name]),
        )
        assert feature["geometry"]["coordinates"] == [place.longitude, place.latitude]
        assert feature["properties"]["coordinate_uncertainty_m"] == place.uncertainty_m
    assert features[str(khanka["cn_cranes"].pk)]["geometry"]["coordinates"] == [132.345, 45.125]


@pytest.mark.celery
def test_the_admin_sees_every_place_exactly_in_an_internal_export(celery_worker, people, khanka):
    _job, data = export_file(
        people.admin, "geojson", {"status": ["verified", "submitted"]}, purpose="internal"
    )
    features = json.loads(data)["features"]
    assert len(features) == 5
    assert {f["properties"]["location_precision"] for f in features} == {"exact"}


@pytest.mark.celery
def test_a_failed_build_is_recorded_on_the_job(celery_worker, people, khanka, monkeypatch):
    """The file cannot be written: the job says failed, with a message, and no file."""
    from exchange.exports import tabular

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(tabular, "write_csv", broken)
    answer = ask(people.coordinator_ru, "csv")
    job, _ = wait_until_finished(client(people.coordinator_ru), answer["Location"])
    assert job["status"] == "failed" and job["error_code"] == "build_failed"
    assert job["download"] is None and "OSError" in job["detail"]
