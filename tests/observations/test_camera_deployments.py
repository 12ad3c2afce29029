# ruff: noqa: F401, F811 - the fixtures come from test_camera_kit
"""Deployments: ``/api/v1/deployments/``. A camera station's season is a "camera_trap"
survey event whose effort is counted in trap-nights, with the camera's details beside it.

Anna (ranger_ru) sets up KH-07 at Khankaisky; the camera fails after ten days.
"""

import uuid

import pytest

from observations.models import ChangeEntry, Deployment, SurveyEvent

from .test_camera_kit import make_deployment, photo, ranger, station, upload, verify

pytestmark = pytest.mark.django_db


def body(**overrides):
    values = {
        "protected_area": "RU-KHANKAISKY",
        "station": "KH-07",
        "started_at": "2024-01-10T12:00:00+10:00",
        "ended_at": "2024-02-09T12:00:00+10:00",
        "latitude": 44.951234,
        "longitude": 132.451234,
        "camera_make": "Reconyx",
        "camera_model": "HF2X",
        "camera_serial": "RCNX-0042",
        "camera_height_m": "0.60",
        "bait": True,
        "feature_type": "trailGame",
    }
    values.update(overrides)
    return values


def test_a_ranger_sets_up_a_deployment(api, ranger):
    """201: a camera_trap survey event with 30 trap-nights, and a change-feed entry."""
    answer = api.post("/api/v1/deployments/", body(), format="json")
    assert answer.status_code == 201, answer.json()
    data = answer.json()
    assert data["trap_nights"] == 30.0
    assert (data["station"], data["bait"], data["feature_type"]) == ("KH-07", True, "trailGame")
    assert data["latitude"] == 44.951234 and data["location_precision"] == "exact"
    assert data["status"] == "draft" and data["can_upload"] is True
    event = SurveyEvent.objects.get(pk=data["id"])
    assert event.kind == "camera_trap" and event.effort_trap_nights == 30
    assert event.deployment.camera_serial == "RCNX-0042"
    assert ChangeEntry.objects.filter(record_id=event.pk, kind="event").exists()


def test_a_failed_camera_counts_only_its_working_nights(api, ranger):
    answer = api.post(
        "/api/v1/deployments/",
        body(problem="camera_failed", working_until="2024-01-20T12:00:00+10:00"),
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    assert answer.json()["trap_nights"] == 10.0
    assert answer.json()["problem"] == "camera_failed"


def test_the_same_id_twice_is_one_deployment(api, ranger):
    record_id = str(uuid.uuid4())
    assert api.post("/api/v1/deployments/", body(id=record_id), format="json").status_code == 201
    assert api.post("/api/v1/deployments/", body(id=record_id), format="json").status_code == 200
    assert Deployment.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"station": ""}, "station", None),
        ({"latitude": 55.9, "longitude": 20.0}, "latitude", "outside_amur_basin"),
        ({"ended_at": "2024-01-01T00:00:00+10:00"}, "ended_at", "ends_before_start"),
        ({"working_until": "2024-01-01T00:00:00+10:00"}, "working_until", None),
        ({"camera_heading": 400}, "camera_heading", "heading_range"),
        ({"protected_area": "RU-BASTAK"}, "protected_area", "not_your_protected_area"),
    ],
)
def test_a_bad_deployment_is_refused_field_by_field(api, ranger, overrides, field, code):
    answer = api.post("/api/v1/deployments/", body(**overrides), format="json")
    assert answer.status_code == 400, answer.json()
    errors = answer.json().get("errors") or answer.json()
    assert field in errors
    if code:
        assert code in [e["code"] for e in errors[field]]
    assert Deployment.objects.count() == 0


def test_changing_the_dates_recounts_the_nights(api, ranger):
    created = api.post("/api/v1/deployments/", body(), format="json").json()
    answer = api.patch(
        f"/api/v1/deployments/{created['id']}/",
        {"ended_at": "2024-01-15T12:00:00+10:00", "camera_height_m": "0.80"},
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["trap_nights"] == 5.0 and answer.json()["camera_height_m"] == 0.8


def test_others_see_a_verified_station_only_at_10_km(api, people, station):
    """The camera stands where a tiger walks: its place is generalised for those who do
    not oversee the PA, and its serial number and team are left out."""
    verify(station)
    api.force_authenticate(people.reviewer)
    data = api.get(f"/api/v1/deployments/{station.pk}/").json()
    assert data["location_precision"] == "10km"
    assert data["latitude"] == 44.95 and data["longitude"] == 132.45  # the cell's centre
    assert data["camera_serial"] == "" and data["can_upload"] is False


def test_a_draft_deployment_is_the_pas_teamwork(api, people, station):
    """The PA's manager sees the ranger's draft deployment; the outsider does not."""
    api.force_authenticate(people.manager_ru)
    assert api.get(f"/api/v1/deployments/{station.pk}/").status_code == 200
    api.force_authenticate(people.outsider)
    assert api.get(f"/api/v1/deployments/{station.pk}/").status_code == 404
    assert api.get("/api/v1/deployments/").json()["results"] == []


def test_a_deployment_with_photos_is_not_deleted(api, ranger, station):
    assert upload(api, station, photo()).status_code == 201
    answer = api.delete(f"/api/v1/deployments/{station.pk}/")
    assert answer.status_code == 400 and answer.json()["code"] == "deployment_has_media"


def test_an_empty_draft_deployment_is_deleted(api, ranger, station):
    assert api.delete(f"/api/v1/deployments/{station.pk}/").status_code == 204
    assert not SurveyEvent.objects.filter(pk=station.pk).exists()


@pytest.mark.parametrize("n", [1, 12])
def test_the_list_costs_a_fixed_number_of_queries(
    api, people, khankaisky, n, django_assert_max_num_queries
):
    for i in range(n):
        deployment = make_deployment(people.ranger_ru, khankaisky, station=f"KH-{i:02d}")
        for s in range(2):
            upload_direct(deployment, people.ranger_ru, seed=100 * i + s)
    api.force_authenticate(people.ranger_ru)
    with django_assert_max_num_queries(4):
        answer = api.get("/api/v1/deployments/")
    assert len(answer.json()["results"]) == n
    assert all(row["media_count"] == 2 for row in answer.json()["results"])
    with django_assert_max_num_queries(4):
        assert api.get(f"/api/v1/deployments/{deployment.pk}/").status_code == 200


def upload_direct(deployment, user, *, seed):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from observations.access import access_for
    from observations.camera.ingest import media_upload

    media, _ = media_upload(
        access=access_for(user),
        user=user,
        deployment=deployment,
        upload=SimpleUploadedFile("x.jpg", photo(seed=seed, size=(64, 48))),
    )
    return media
