# ruff: noqa: F401, F811 - the fixtures come from test_camera_kit and test_feed_media
"""A photo classified as human always counts as showing people.

Whoever classifies it (a ranger on the classification page or through the API, a
Camtrap DP package from TRAPPER or Agouti, a later photo joining a burst already
classified) and whatever the vocabulary calls it (``human``, or ``vehicle``: a poacher's
snowmobile shows its driver and its number plate), the photo is marked "shows people" in
the classification's transaction. From then on it stays inside its protected area: not
in the media API for a ranger of another PA nor for a workshop reviewer, not in a
Camtrap DP export (neither in media.csv nor as a media-level row of observations.csv),
not described to the partner node, and a partner already holding it receives its
tombstone. Only Russia's coordinator releasing it lets it leave.

The stories take place at Khankaisky's camera KH-07 in January 2024, with a tiger
walking past at dawn and a poacher following it.
"""

import csv
import datetime as dt
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from exchange.feed import feed_page
from observations.access import access_for
from observations.camera.camtrap_dp import camtrap_dp_export, camtrap_dp_import
from observations.camera.classify import Seen, sequence_classify
from observations.camera.ingest import media_ingest
from observations.models import ChangeEntry, Deployment, Media, Observation, Sequence
from observations.records.services import record_submit, record_verify

from ..exchange.test_feed_media import agree, partner, photos_in
from ..observations.test_camera_kit import burst, photo, ranger, station, upload, verify

pytestmark = pytest.mark.django_db

TIGER = "Panthera tigris altaica"
DAWN = dt.datetime(2024, 1, 15, 6, 30, 0)  # KH-07's camera time (Vladivostok, UTC+10)


# --- a Camtrap DP package, built here -------------------------------------------------


def _csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def package(media: list[dict], observations: list[dict], files: dict | None = None) -> bytes:
    """A Camtrap DP 1.0.2 zip of deployment "kh07" (KH-07, January 2024) with these rows."""
    deployments = [
        {
            "deploymentID": "kh07",
            "locationID": "KH-07",
            "locationName": "KH-07",
            "latitude": "44.95",
            "longitude": "132.45",
            "deploymentStart": "2024-01-10T12:00:00+10:00",
            "deploymentEnd": "2024-02-09T12:00:00+10:00",
            "cameraModel": "Reconyx-HF2X",
        }
    ]
    descriptor = {
        "profile": "https://raw.githubusercontent.com/tdwg/camtrap-dp/1.0.2/camtrap-dp-profile.json",
        "id": "trapper-kh07-2024-01",
        "resources": [
            {"name": n, "path": f"{n}.csv"} for n in ("deployments", "media", "observations")
        ],
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("datapackage.json", json.dumps(descriptor))
        archive.writestr("deployments.csv", _csv(deployments))
        archive.writestr("media.csv", _csv(media))
        archive.writestr("observations.csv", _csv(observations))
        for name, data in (files or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def media_row(key: str, when: str) -> dict:
    return {
        "mediaID": key,
        "deploymentID": "kh07",
        "captureMethod": "activityDetection",
        "timestamp": when,
        "filePath": f"media/{key}.jpg",
        "filePublic": "false",
        "fileName": f"{key}.JPG",
        "fileMediatype": "image/jpeg",
    }


def observation_row(key, event, start, end, kind, *, media="", name="", count="") -> dict:
    return {
        "observationID": key,
        "deploymentID": "kh07",
        "mediaID": media,
        "eventID": event,
        "eventStart": start,
        "eventEnd": end,
        "observationLevel": "media" if media else "event",
        "observationType": kind,
        "scientificName": name,
        "count": count,
        "classificationMethod": "human",
    }


def import_package(people, data: bytes):
    from observations.models import ProtectedArea

    return camtrap_dp_import(
        access=access_for(people.ranger_ru),
        user=people.ranger_ru,
        upload=SimpleUploadedFile("package.zip", data),
        protected_area=ProtectedArea.objects.get(code="RU-KHANKAISKY"),
    )


def export(people) -> bytes:
    return camtrap_dp_export(
        access=access_for(people.coordinator_ru), deployments=Deployment.objects.all()
    )


def table(data: bytes, name: str) -> list[dict]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return list(csv.DictReader(io.StringIO(archive.read(name).decode())))


def rebuilt(data: bytes, name: str, rows: list[dict]) -> bytes:
    """The zip ``data`` with table ``name`` replaced by ``rows``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.namelist():
            target.writestr(item, _csv(rows) if item == name else source.read(item))
    return out.getvalue()


# --- what the outside sees -------------------------------------------------------------


def exported_ids(people) -> tuple[set, set]:
    """The mediaIDs of the re-export's media.csv, and those its observations.csv names."""
    data = export(people)
    listed = {row["mediaID"] for row in table(data, "media.csv")}
    named = {row["mediaID"] for row in table(data, "observations.csv") if row["mediaID"]}
    return listed, named


def seen_through_the_api(api, user, media: Media) -> bool:
    """Whether ``user`` finds the photo in the media API, listed or by its id."""
    api.force_authenticate(user)
    listed = {m["id"] for m in api.get("/api/v1/media/?limit=500").json()["results"]}
    found = api.get(f"/api/v1/media/{media.pk}/").status_code == 200
    assert found == (str(media.pk) in listed)
    return found


def verify_everything(people):
    """KH-07's season and its tiger records verified: what is shared beyond the PA."""
    for deployment in Deployment.objects.all():
        verify(deployment)
    for obs in Observation.objects.exclude(status="verified"):
        record_submit(access=access_for(people.ranger_ru), user=people.ranger_ru, record=obs)
        record_verify(access=access_for(people.manager_ru), user=people.manager_ru, record=obs)


def release(api, people, media: Media):
    api.force_authenticate(people.coordinator_ru)
    answer = api.post(f"/api/v1/media/{media.pk}/release/")
    assert answer.status_code == 200 and answer.json()["released"] is True


# --- a Camtrap DP package that classifies a sequence as human -----------------------------


@pytest.fixture
def poacher_package(people, khankaisky):
    """TRAPPER's package of KH-07: at dawn a tiger and, behind it, a poacher (event "e1",
    photos "m1" and "m2"; the poacher is also marked on "m1" itself); in the afternoon the
    tiger alone (event "e2", photo "m3"). The photos travel in the zip."""
    files = {
        "media/m1.jpg": photo(DAWN, seed=1),
        "media/m2.jpg": photo(DAWN + dt.timedelta(seconds=3), seed=2),
        "media/m3.jpg": photo(DAWN + dt.timedelta(hours=9), seed=3),
    }
    dawn, dawn_end = "2024-01-15T06:30:00+10:00", "2024-01-15T06:30:03+10:00"
    afternoon = "2024-01-15T15:30:00+10:00"
    data = package(
        [media_row("m1", dawn), media_row("m2", dawn_end), media_row("m3", afternoon)],
        [
            observation_row("o1", "e1", dawn, dawn_end, "animal", name=TIGER, count="1"),
            observation_row("o2", "e1", dawn, dawn_end, "human", count="1"),
            observation_row("o3", "e1", dawn, dawn, "human", media="m1", count="1"),
            observation_row("o4", "e2", afternoon, afternoon, "animal", name=TIGER, count="1"),
            observation_row("o5", "e2", afternoon, afternoon, "animal", media="m3", name=TIGER),
        ],
        files,
    )
    result = import_package(people, data)
    assert (result.media, result.media_files, result.observations) == (3, 3, 2)
    verify(Deployment.objects.get())  # the season is verified: exports and others see it
    for media in Media.objects.filter(status=Media.Status.PENDING):
        media_ingest(media_id=media.pk)
    photos = {m.external_id: m for m in Media.objects.all()}
    assert all(m.status == Media.Status.READY for m in photos.values())
    return photos


def test_the_poachers_photos_show_people_once_imported(poacher_package):
    photos = poacher_package
    assert photos["m1"].has_people and photos["m2"].has_people  # by their event, and m1 itself
    assert not photos["m3"].has_people
    assert photos["m1"].withheld and not photos["m1"].released_by
    # The photos kept the events the package gave them (so the tiger's record is theirs).
    assert photos["m1"].sequence == photos["m2"].sequence != photos["m3"].sequence
    assert photos["m1"].sequence.external_id == "e1"


def test_the_reexport_leaves_them_out(people, poacher_package):
    photos = poacher_package
    listed, named = exported_ids(people)
    assert listed == {str(photos["m3"].pk)}
    assert named == {str(photos["m3"].pk)}  # the poacher's row on m1 stays home too


def test_other_pas_and_reviewers_do_not_see_them(api, people, poacher_package):
    photos = poacher_package
    verify_everything(people)
    assert seen_through_the_api(api, people.ranger_ru, photos["m1"])  # inside the PA
    for outside in (people.outsider, people.reviewer):
        assert seen_through_the_api(api, outside, photos["m3"])
        assert not seen_through_the_api(api, outside, photos["m1"])
        assert not seen_through_the_api(api, outside, photos["m2"])


def test_the_partner_is_not_told_of_them(partner, people, poacher_package):
    photos = poacher_package
    agree(partner, people, "full")
    verify_everything(people)
    page = feed_page(partner, after=0, limit=1000)
    assert [(i["action"], i["id"]) for i in photos_in(page)] == [("upsert", str(photos["m3"].pk))]


def test_a_coordinator_releases_one_and_it_leaves(api, partner, people, poacher_package):
    photos = poacher_package
    agree(partner, people, "full")
    verify_everything(people)
    first = feed_page(partner, after=0, limit=1000)

    release(api, people, photos["m1"])

    later = feed_page(partner, after=first["until"], limit=1000)
    assert [(i["action"], i["id"]) for i in photos_in(later)] == [("upsert", str(photos["m1"].pk))]
    listed, named = exported_ids(people)
    assert listed == {str(photos["m1"].pk), str(photos["m3"].pk)}
    assert str(photos["m1"].pk) in named
    assert seen_through_the_api(api, people.reviewer, photos["m1"])
    assert not seen_through_the_api(api, people.reviewer, photos["m2"])  # still withheld


def test_a_vehicle_counts_as_people(people, khankaisky):
    """A snowmobile on the trail: its driver and number plate identify people."""
    noon, later = "2024-01-16T12:00:00+10:00", "2024-01-16T18:00:00+10:00"
    import_package(
        people,
        package(
            [media_row("s1", noon), media_row("s2", later)],
            [
                observation_row("v1", "e1", noon, noon, "vehicle"),
                observation_row("b1", "e2", later, later, "blank"),
            ],
        ),
    )
    verify(Deployment.objects.get())
    photos = {m.external_id: m for m in Media.objects.all()}
    assert photos["s1"].has_people and not photos["s2"].has_people
    assert exported_ids(people) == ({str(photos["s2"].pk)}, set())


def test_a_partner_holding_a_photo_gets_its_tombstone_when_a_package_says_human(
    api, partner, people, ranger, station
):
    """KH-07's tiger photo was shared; a workshop spots a poacher behind the tiger in
    TRAPPER and sends the package back with a "human" row for that event."""
    media = media_ingest(media_id=upload(api, station, photo(DAWN)).json()["id"])
    sequence_classify(
        access=access_for(people.ranger_ru),
        user=people.ranger_ru,
        sequence=media.sequence,
        verdict="animals",
        seen=[Seen(species=TIGER)],
    )
    agree(partner, people, "full")
    verify_everything(people)
    first = feed_page(partner, after=0, limit=1000)
    assert [(i["action"], i["id"]) for i in photos_in(first)] == [("upsert", str(media.pk))]

    sent = export(people)
    [tiger_row] = table(sent, "observations.csv")
    poacher = {
        **tiger_row,
        "observationID": "workshop-poacher-1",
        "observationType": "human",
        "scientificName": "",
        "count": "1",
    }
    result = import_package(people, rebuilt(sent, "observations.csv", [tiger_row, poacher]))
    assert (result.classifications, result.unchanged) == (1, 3)

    media.refresh_from_db()
    assert media.has_people and media.withheld
    later = feed_page(partner, after=first["until"], limit=1000)
    assert [(i["action"], i["id"]) for i in photos_in(later)] == [("delete", str(media.pk))]


# --- the classification page and its API ------------------------------------------------


@pytest.fixture
def card(api, people, ranger, station):
    """KH-07's card: a poacher at dawn (two photos), another at noon, a tiger at dusk;
    the card's photos are ingested and the tiger filed and verified."""
    photos = burst(DAWN, [0, 3]) + burst(DAWN + dt.timedelta(hours=5), [0], colour=(9, 90, 9))
    photos += burst(DAWN + dt.timedelta(hours=10), [0], colour=(90, 9, 9))
    for data in photos:
        media_ingest(media_id=upload(api, station, data).json()["id"])
    dawn, noon, dusk = Sequence.objects.filter(deployment=station).order_by("started_at")
    sequence_classify(
        access=access_for(people.ranger_ru),
        user=people.ranger_ru,
        sequence=dusk,
        verdict="animals",
        seen=[Seen(species=TIGER)],
    )
    verify_everything(people)
    return dawn, noon, dusk


def classify_through_the_api(api, people, sequence, verdict):
    api.force_authenticate(people.ranger_ru)
    return api.post(f"/api/v1/sequences/{sequence.pk}/classify/", {"verdict": verdict}, "json")


def test_classified_as_people_on_the_page_and_through_the_api(api, client, partner, people, card):
    dawn, noon, dusk = card
    agree(partner, people, "full")
    first = feed_page(partner, after=0, limit=1000)
    marks = ChangeEntry.objects.filter(kind="media").count()

    answer = classify_through_the_api(api, people, dawn, "people")
    assert answer.status_code == 200
    assert all(m["has_people"] for m in answer.json()["media"])
    client.force_login(people.ranger_ru)
    assert client.post(f"/en/camera/sequences/{noon.pk}/", {"verdict": "people"}).status_code == 302

    poachers = list(Media.objects.filter(sequence__in=[dawn, noon]))
    tiger = Media.objects.get(sequence=dusk)
    assert len(poachers) == 3 and all(m.has_people and m.withheld for m in poachers)
    assert not tiger.has_people
    # Each photo's change went to the feed with the classification.
    assert ChangeEntry.objects.filter(kind="media").count() == marks + 3
    assert exported_ids(people) == ({str(tiger.pk)}, set())
    for outside in (people.outsider, people.reviewer):
        assert seen_through_the_api(api, outside, tiger)
        assert not any(seen_through_the_api(api, outside, m) for m in poachers)
    later = feed_page(partner, after=first["until"], limit=1000)
    assert not {i["id"] for i in photos_in(later)} & {str(m.pk) for m in poachers}

    released = poachers[0]
    release(api, people, released)
    assert exported_ids(people)[0] == {str(tiger.pk), str(released.pk)}
    assert seen_through_the_api(api, people.reviewer, released)
    assert not seen_through_the_api(api, people.reviewer, poachers[1])


def test_classified_again_it_stays_withheld_until_released(api, people, card):
    """Nobody un-withholds a poacher's photo by changing the verdict or the mark: the
    verdict changed to "empty" leaves it withheld, and the mark cannot be taken off while
    a classification says people. Only the coordinator's release lets it out."""
    dawn, _noon, _dusk = card
    assert classify_through_the_api(api, people, dawn, "people").status_code == 200
    shot = Media.objects.filter(sequence=dawn).first()

    api.force_authenticate(people.ranger_ru)
    refused = api.post(f"/api/v1/media/{shot.pk}/people/", {"has_people": False}, "json")
    assert refused.status_code == 400 and refused.json()["code"] == "classified_people"

    assert classify_through_the_api(api, people, dawn, "empty").status_code == 200
    shot.refresh_from_db()
    assert shot.has_people and shot.withheld
    assert not seen_through_the_api(api, people.reviewer, shot)

    release(api, people, shot)
    assert seen_through_the_api(api, people.reviewer, shot)


def test_a_photo_joining_a_burst_classified_as_people_is_withheld_too(api, people, card):
    """The card's last photo of the dawn burst arrives after the burst was classified."""
    dawn, _noon, _dusk = card
    assert classify_through_the_api(api, people, dawn, "people").status_code == 200
    api.force_authenticate(people.ranger_ru)
    late = media_ingest(
        media_id=upload(api, dawn.deployment, photo(DAWN + dt.timedelta(seconds=6), seed=9)).json()[
            "id"
        ]
    )
    assert late.sequence_id == dawn.pk
    late.refresh_from_db()
    assert late.has_people and late.withheld
    assert not seen_through_the_api(api, people.reviewer, late)
    assert str(late.pk) not in exported_ids(people)[0]
