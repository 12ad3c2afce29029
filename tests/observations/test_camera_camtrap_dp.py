# ruff: noqa: F401, F811 - the fixtures come from test_camera_kit
"""Camtrap DP: our export validates against the official 1.0.2 schemas, round-trips
through our importer, and the official example package imports.

The schemas are the copies kept in the repository (observations/camera/camtrap_dp/
schemas/), the example package is test data (tests/observations/data/), so nothing here
skips: no validator can fetch a schema by URL here, and a requests adapter given to
``frictionless`` answers the schema URLs with those files. The profile's ``$ref`` to the
Data Package JSON schema is answered with an empty schema (frictionless checks the Data
Package rules itself) and the GeoJSON one with the copy that frictionless ships; any other
URL answers 404.

Coordinator coordinator_ru exports Khankaisky's KH-07, which photographed a tiger: the
station leaves at the centre of its 10 km cell.
"""

import csv
import datetime as dt
import io
import json
import pathlib
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from observations.access import access_for
from observations.camera.camtrap_dp import PackageInvalid, camtrap_dp_export, camtrap_dp_import
from observations.camera.camtrap_dp.common import schema_file
from observations.camera.classify import Seen, sequence_classify
from observations.camera.ingest import media_ingest
from observations.models import (
    Classification,
    Deployment,
    Media,
    Observation,
    Sequence,
    SurveyEvent,
)

from .test_camera_kit import burst, photo, ranger, station, upload, verify

pytestmark = pytest.mark.django_db

EXAMPLE = pathlib.Path(__file__).resolve().parent / "data/camtrap-dp-1.0.2-example"
DAWN = dt.datetime(2024, 1, 15, 6, 30, 0)
TIGER = "Panthera tigris altaica"


def validate(package: bytes, tmp_path) -> "frictionless.Report":  # noqa: F821
    """frictionless validation against the local copies of the official schemas."""
    import frictionless
    import requests
    from requests.adapters import BaseAdapter
    from requests.models import Response

    bundled = pathlib.Path(frictionless.__file__).parent / "assets/profiles"

    class Local(BaseAdapter):
        def send(self, request, **kwargs):
            answer = Response()
            answer.url, answer.request, answer.status_code = request.url, request, 200
            url = request.url
            if schema_file(url) is not None:
                body = schema_file(url).read_bytes()
            elif url.endswith("://specs.frictionlessdata.io/schemas/data-package.json"):
                body = b"{}"
            elif url.endswith("json.schemastore.org/geojson.json"):
                body = (bundled / "geojson.json").read_bytes()
            else:
                answer.status_code, body = 404, b""
            answer.raw = io.BytesIO(body)
            return answer

        def close(self):
            pass

    folder = tmp_path / "package"
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        archive.extractall(folder)
    session = requests.Session()
    session.mount("http://", Local())
    session.mount("https://", Local())
    with frictionless.system.use_context(http_session=session, trusted=True):
        return frictionless.validate(str(folder / "datapackage.json"))


def problems(report) -> list:
    return [(e.type, e.note) for e in report.errors] + [
        (task.name, e.type, e.note) for task in report.tasks for e in task.errors
    ]


def table(package: bytes, name: str) -> list[dict]:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return list(csv.DictReader(io.StringIO(archive.read(name).decode())))


@pytest.fixture
def season(api, people, ranger, station):
    """KH-07's card classified: a tiger, an empty burst, and a photo of a poacher."""
    photos = burst(DAWN, [0, 3]) + burst(DAWN + dt.timedelta(hours=5), [0], colour=(9, 90, 9))
    photos += burst(DAWN + dt.timedelta(hours=9), [0], colour=(90, 9, 9))
    for data in photos:
        answer = upload(api, station, data)
        media_ingest(media_id=answer.json()["id"])
    dawn, noon, evening = Sequence.objects.filter(deployment=station).order_by("started_at")
    access = access_for(people.ranger_ru)
    sequence_classify(
        access=access,
        user=people.ranger_ru,
        sequence=dawn,
        verdict="animals",
        seen=[Seen(species=TIGER, count=1)],
    )
    sequence_classify(access=access, user=people.ranger_ru, sequence=noon, verdict="empty")
    sequence_classify(access=access, user=people.ranger_ru, sequence=evening, verdict="people")
    return verify(station)  # exports are of verified data


def export(people, deployments, **kwargs) -> bytes:
    return camtrap_dp_export(
        access=access_for(people.coordinator_ru), deployments=deployments, **kwargs
    )


def test_the_export_is_a_valid_camtrap_dp_package(people, season, tmp_path):
    package = export(people, Deployment.objects.all())
    report = validate(package, tmp_path)
    assert report.valid, problems(report)
    descriptor = json.loads(zipfile.ZipFile(io.BytesIO(package)).read("datapackage.json"))
    assert descriptor["profile"].endswith("/1.0.2/camtrap-dp-profile.json")
    assert [t["scientificName"] for t in descriptor["taxonomic"]] == [TIGER]
    assert descriptor["taxonomic"][0]["vernacularNames"]["eng"] == "Amur tiger"
    assert descriptor["coordinatePrecision"] == 0.1


def test_the_export_with_photos_is_valid_and_strips_them(people, season, tmp_path):
    package = export(people, Deployment.objects.all(), include_media=True)
    assert validate(package, tmp_path).valid
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        photos = [n for n in archive.namelist() if n.startswith("media/")]
        assert len(photos) == 3  # the poacher's photo stays home
        for name in photos:
            data = archive.read(name)
            assert b"MAKERNOTE" not in data and b"RCNX-0042" not in data


def test_the_tiger_station_leaves_generalised(people, season):
    (row,) = table(export(people, Deployment.objects.all()), "deployments.csv")
    assert (row["latitude"], row["longitude"]) == ("44.95", "132.45")  # its 10 km cell
    assert int(row["coordinateUncertainty"]) > 5000
    assert row["deploymentStart"] == "2024-01-10T12:00:00+10:00"
    assert row["cameraModel"] == "Reconyx-HF2X" and row["baitUse"] == "false"
    assert row["deploymentGroups"] == "protectedArea:RU-KHANKAISKY"


def test_photos_of_people_are_left_out(people, season):
    package = export(people, Deployment.objects.all())
    media = table(package, "media.csv")
    assert len(media) == 3
    withheld = {str(m.pk) for m in Media.objects.filter(has_people=True)}
    assert not withheld & {row["mediaID"] for row in media}
    assert all(row["exifData"] == "" for row in media)
    observations = table(package, "observations.csv")
    assert sorted(row["observationType"] for row in observations) == ["animal", "blank", "human"]
    assert all(row["observationLevel"] == "event" for row in observations)
    assert {row["classifiedBy"] for row in observations} == {
        Observation.objects.get().observer_code
    }


def test_only_those_who_may_export(people, season):
    from observations.errors import NotAllowed

    with pytest.raises(NotAllowed):
        camtrap_dp_export(access=access_for(people.ranger_ru), deployments=Deployment.objects.all())
    assert export(people, Deployment.objects.all())  # Russia's coordinator may


def test_the_export_round_trips_through_the_importer(people, season, settings):
    """Export, forget everything, import: the same deployments, photos, sequences,
    verdicts and tiger observation come back (at the place the package gives)."""
    package = export(people, Deployment.objects.all())
    before = {
        "deployment": (season.pk, season.station, season.event.started_at, season.event.ended_at),
        "media": sorted((str(m.pk), m.taken_at) for m in Media.objects.exclude(has_people=True)),
        "kinds": sorted(Classification.objects.values_list("kind", flat=True)),
    }
    _forget_everything()

    result = _import(people.ranger_ru, package)
    assert (result.deployments, result.media, result.observations) == (1, 3, 1)
    deployment = Deployment.objects.get()
    event = deployment.event
    assert (deployment.pk, deployment.station, event.started_at, event.ended_at) == before[
        "deployment"
    ]
    assert event.effort_trap_nights == 30 and (event.latitude, event.longitude) == (44.95, 132.45)
    assert sorted((str(m.pk), m.taken_at) for m in Media.objects.all()) == before["media"]
    assert all(m.status == "remote" for m in Media.objects.all())
    assert sorted(Classification.objects.values_list("kind", flat=True)) == before["kinds"]
    obs = Observation.objects.get()
    assert (obs.species.scientific_name, obs.count, obs.evidence, obs.source) == (
        TIGER,
        1,
        "camera",
        "import",
    )
    assert obs.observed_at == dt.datetime(2024, 1, 14, 20, 30, tzinfo=dt.UTC)
    # The poacher's sequence comes back as an event without its photo (it stayed home).
    assert [s.media_count for s in Sequence.objects.order_by("started_at")] == [2, 1, 0]

    again = _import(people.ranger_ru, package)
    assert (again.deployments, again.media, again.classifications, again.observations) == (
        0,
        0,
        0,
        0,
    )
    assert Observation.objects.count() == 1 and Media.objects.count() == 3


def _forget_everything():
    Classification.objects.all().delete()
    Observation.history.all().delete()
    Observation.objects.all().delete()
    Media.objects.all().delete()
    Sequence.objects.all().delete()
    Deployment.objects.all().delete()
    SurveyEvent.objects.all().delete()


def _import(user, package: bytes, pa="RU-KHANKAISKY"):
    from observations.models import ProtectedArea

    return camtrap_dp_import(
        access=access_for(user),
        user=user,
        upload=SimpleUploadedFile("package.zip", package),
        protected_area=ProtectedArea.objects.get(code=pa),
    )


def _zip_folder(folder: pathlib.Path) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, path.name)
    return out.getvalue()


def test_the_official_example_package_imports(people, khankaisky, settings):
    """The MICA sample (Agouti, Belgium): 4 deployments, 423 photos on Agouti's servers,
    549 observations of taxa this node does not monitor, kept as classifications.

    Its stations lie in Belgium, outside the Amur basin that the one validation service
    enforces; the basin is a node setting (AMUR_BASIN_BBOX), widened here for the sample.
    """
    settings.AMUR_BASIN_BBOX = (-180.0, -90.0, 180.0, 90.0)
    package = _zip_folder(EXAMPLE)
    result = _import(people.ranger_ru, package)
    assert (result.deployments, result.media, result.classifications) == (4, 423, 549)
    assert result.observations == 0
    assert "Vulpes vulpes" in result.taxa_not_monitored
    assert Media.objects.filter(status="remote").count() == 423
    first = Media.objects.get(external_id="07840dcc")
    assert first.remote_path.startswith("https://multimedia.agouti.eu/assets/07840dcc")
    assert first.taken_at == dt.datetime(2020, 5, 30, 2, 57, 37, tzinfo=dt.UTC)
    assert first.sequence is not None and first.sequence.state == "animals"
    deployment = Deployment.objects.get(external_id="00a2c20d")
    assert (deployment.station, deployment.camera_make, deployment.camera_model) == (
        "B_HS_val 2_processiepark",
        "Reconyx",
        "HF2X",
    )
    assert deployment.feature_type == "trailGame" and deployment.event.effort_trap_nights > 30
    assert Media.objects.filter(sequence__isnull=True).count() == 0
    # Imported again: nothing new.
    again = _import(people.ranger_ru, package)
    assert (again.deployments, again.media, again.classifications) == (0, 0, 0)


def test_the_example_outside_the_basin_is_refused_row_by_row(people, khankaisky):
    """With the node's real basin, nothing of the Belgian sample is imported."""
    with pytest.raises(PackageInvalid) as refused:
        _import(people.ranger_ru, _zip_folder(EXAMPLE))
    assert {(e.table, e.field) for e in refused.value.errors} == {("deployments", "latitude")}
    assert [e.row for e in refused.value.errors] == [2, 3, 4, 5]
    assert not Deployment.objects.exists() and not Media.objects.exists()


def test_a_broken_package_is_refused_with_its_rows(api, people, khankaisky):
    rows = {
        "deployments.csv": "deploymentID,latitude,longitude,deploymentStart,deploymentEnd\n"
        "d1,44.95,132.45,2024-01-10T12:00:00+10:00,2024-02-09T12:00:00+10:00\n",
        "media.csv": "mediaID,deploymentID,timestamp,filePath,filePublic,fileMediatype\n"
        "m1,d1,2024-01-15 06:30:00,media/m1.jpg,false,image/jpeg\n"
        "m2,d9,2024-01-15T06:30:00+10:00,media/m2.jpg,false,image/jpeg\n",
        "observations.csv": "observationID,deploymentID,eventID,eventStart,eventEnd,"
        "observationLevel,observationType,scientificName,count\n"
        "o1,d1,e1,2024-01-14T20:30:00Z,2024-01-14T20:30:00Z,event,animal,"
        "Panthera tigris altaica,1\n",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        descriptor = {
            "profile": "https://raw.githubusercontent.com/tdwg/camtrap-dp/1.0.2/camtrap-dp-profile.json",
            "resources": [
                {"name": n, "path": f"{n}.csv"} for n in ("deployments", "media", "observations")
            ],
        }
        archive.writestr("datapackage.json", json.dumps(descriptor))
        for name, text in rows.items():
            archive.writestr(name, text)
    api.force_authenticate(people.ranger_ru)
    answer = api.post(
        "/api/v1/camtrap-dp/",
        {"file": SimpleUploadedFile("p.zip", out.getvalue()), "protected_area": "RU-KHANKAISKY"},
        format="multipart",
    )
    assert answer.status_code == 400
    body = answer.json()
    assert body["code"] == "invalid_package"
    assert {(e["table"], e["row"], e["field"]) for e in body["errors"]} == {
        ("media", 2, "timestamp"),
        ("media", 3, "deploymentID"),
    }
    assert not Deployment.objects.exists() and not Observation.objects.exists()


def test_a_zip_without_a_package_is_refused(api, people, khankaisky):
    api.force_authenticate(people.ranger_ru)
    for data, code in ((b"not a zip", "not_a_zip"), (_zip_of({"a.txt": "x"}), "no_descriptor")):
        answer = api.post(
            "/api/v1/camtrap-dp/",
            {"file": SimpleUploadedFile("p.zip", data), "protected_area": "RU-KHANKAISKY"},
            format="multipart",
        )
        assert answer.status_code == 400 and answer.json()["code"] == code


def _zip_of(files: dict) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return out.getvalue()


def test_the_export_api_answers_a_zip(api, people, season):
    api.force_authenticate(people.coordinator_ru)
    answer = api.post(
        "/api/v1/camtrap-dp/export/", {"deployments": [str(season.pk)]}, format="json"
    )
    assert answer.status_code == 200 and answer["Content-Type"] == "application/zip"
    assert len(table(answer.content, "deployments.csv")) == 1


def test_photos_in_the_package_are_stored_and_ingested(people, season, settings):
    """A package that carries its photos: each is checked and stored like an upload."""
    package = export(people, Deployment.objects.all(), include_media=True)
    _forget_everything()
    result = _import(people.ranger_ru, package)
    assert result.media_files == 3
    stored = Media.objects.filter(status="pending")
    assert stored.count() == 3 and all(m.file for m in stored)
    media_ingest(media_id=stored.first().pk)
    assert photo  # the kit's photos were the source
