# ruff: noqa: F401, F811 - the fixtures come from test_camera_kit
"""Copies of photos that leave the PA: no EXIF GPS, no maker notes; photos of people stay.

Anna (ranger_ru) uploads KH-07's photos, with the camera's GPS in their EXIF. Those who
oversee Khankaisky (its rangers and manager, Russia's coordinator) download the original;
the workshop reviewer, China's coordinator and the partner node get copies whose outgoing
bytes are read back here: no GPS IFD, no maker note, the same pixels.
"""

import io

import pytest
from PIL import Image

from exchange.media import partner_media_bytes
from observations.camera.ingest import media_ingest
from observations.camera.outgoing import MediaWithheld, outgoing_bytes, strip_metadata
from observations.models import Media

from .test_camera_kit import photo, ranger, station, upload, verify

pytestmark = pytest.mark.django_db

GPS_IFD, EXIF_IFD, MAKER_NOTE = 0x8825, 0x8769, 0x927C


@pytest.fixture
def stored(api, ranger, station):
    """A verified deployment with one ingested photo (GPS and maker note in its EXIF)."""
    verify(station)
    answer = upload(api, station, photo())
    assert answer.status_code == 201
    media_ingest(media_id=answer.json()["id"])
    return Media.objects.get(pk=answer.json()["id"])


def exif_of(data: bytes):
    exif = Image.open(io.BytesIO(data)).getexif()
    return exif, exif.get_ifd(EXIF_IFD), exif.get_ifd(GPS_IFD)


def assert_stripped(original: bytes, copy: bytes):
    ifd0, sub, gps = exif_of(copy)
    assert not gps and GPS_IFD not in ifd0
    assert MAKER_NOTE not in sub and b"MAKERNOTE" not in copy and b"RCNX-0042" not in copy
    assert sub[0x9003] == "2024:01:15 06:30:00"  # the time stays
    assert ifd0[0x010F] == "Reconyx"
    assert Image.open(io.BytesIO(copy)).tobytes() == Image.open(io.BytesIO(original)).tobytes()


def download(api, person, media, kind="file"):
    api.force_authenticate(person)
    return api.get(f"/api/v1/media/{media.pk}/{kind}/")


def test_those_who_oversee_the_pa_get_the_original(api, people, stored):
    with stored.file.open("rb") as fh:
        original = fh.read()
    for person in (people.ranger_ru, people.manager_ru, people.coordinator_ru):
        answer = download(api, person, stored)
        assert answer.status_code == 200
        assert answer.content == original
        assert answer["X-Metadata-Stripped"] == "0"
    assert exif_of(original)[2]  # it does carry GPS


def test_everyone_else_gets_a_copy_without_gps_or_maker_notes(api, people, stored):
    """The reviewer, China's coordinator, a ranger of another PA: the outgoing bytes."""
    with stored.file.open("rb") as fh:
        original = fh.read()
    for person in (people.reviewer, people.coordinator_cn, people.outsider):
        answer = download(api, person, stored)
        assert answer.status_code == 200, person
        assert answer["X-Metadata-Stripped"] == "1"
        assert answer["Content-Type"] == "image/jpeg"
        assert_stripped(original, answer.content)
        body = api.get(f"/api/v1/media/{stored.pk}/").json()
        assert body["exif_latitude"] is None and body["exif_longitude"] is None


def test_the_copy_for_the_partner_node_is_stripped(stored):
    """observations.camera.outgoing and exchange.media: what the sync and exports send."""
    with stored.file.open("rb") as fh:
        original = fh.read()
    assert_stripped(original, outgoing_bytes(stored, for_partner=True))
    thumbnail = partner_media_bytes(stored, media_level="thumbnails")
    assert Image.open(io.BytesIO(thumbnail)).size == (400, 300)
    assert not Image.open(io.BytesIO(thumbnail)).getexif()
    assert partner_media_bytes(stored, media_level="none") is None


def test_png_and_tiff_copies_are_stripped_too():
    for fmt, content_type in (("PNG", "image/png"), ("TIFF", "image/tiff")):
        original = photo(fmt=fmt, size=(320, 240))
        assert exif_of(original)[2]
        copy = strip_metadata(original, content_type)
        assert not exif_of(copy)[2], fmt
        assert b"MAKERNOTE" not in copy
        assert Image.open(io.BytesIO(copy)).tobytes() == Image.open(io.BytesIO(original)).tobytes()


def test_xmp_and_comments_leave_too():
    """GPS may hide in XMP; a ranger's comment may name the place."""
    img = Image.new("RGB", (64, 48), (10, 20, 30))
    out = io.BytesIO()
    xmp = b'<x:xmpmeta><rdf:Description exif:GPSLatitude="44,57.05N"/></x:xmpmeta>'
    img.save(out, "JPEG", xmp=xmp, comment=b"trail by the old birch, 44.9508 132.4515")
    copy = strip_metadata(out.getvalue(), "image/jpeg")
    assert b"GPSLatitude" not in copy and b"birch" not in copy
    assert Image.open(io.BytesIO(copy)).size == (64, 48)


# --- photos showing people ---------------------------------------------------------------


@pytest.fixture
def people_photo(api, ranger, station):
    """A photo of poachers' snowmobile, flagged at upload as showing people."""
    verify(station)
    answer = upload(api, station, photo(seed=5), has_people=True)
    assert answer.status_code == 201 and answer.json()["has_people"] is True
    media_ingest(media_id=answer.json()["id"])
    return Media.objects.get(pk=answer.json()["id"])


def test_a_photo_of_people_stays_inside_the_pa(api, people, people_photo):
    """The PA's people and Russia's coordinator see it; nobody else, nor any export."""
    for person in (people.ranger_ru, people.manager_ru, people.coordinator_ru):
        assert download(api, person, people_photo, "thumbnail").status_code == 200
    for person in (people.reviewer, people.coordinator_cn, people.outsider):
        assert download(api, person, people_photo, "thumbnail").status_code == 404
        assert download(api, person, people_photo, "file").status_code == 404
        api.force_authenticate(person)
        assert api.get(f"/api/v1/media/{people_photo.pk}/").status_code == 404
        listed = api.get("/api/v1/media/").json()["results"]
        assert str(people_photo.pk) not in [m["id"] for m in listed]
    with pytest.raises(MediaWithheld):
        outgoing_bytes(people_photo, for_partner=True)
    assert partner_media_bytes(people_photo, media_level="full") is None
    assert partner_media_bytes(people_photo, media_level="thumbnails") is None


def test_only_a_coordinator_of_the_country_releases_it(api, people, people_photo):
    api.force_authenticate(people.ranger_ru)
    refused = api.post(f"/api/v1/media/{people_photo.pk}/release/")
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    api.force_authenticate(people.coordinator_cn)
    assert api.post(f"/api/v1/media/{people_photo.pk}/release/").status_code == 404

    api.force_authenticate(people.coordinator_ru)
    released = api.post(f"/api/v1/media/{people_photo.pk}/release/")
    assert released.status_code == 200 and released.json()["released"] is True
    people_photo.refresh_from_db()
    assert people_photo.released_by == people.coordinator_ru

    answer = download(api, people.reviewer, people_photo, "file")
    assert answer.status_code == 200 and answer["X-Metadata-Stripped"] == "1"
    assert outgoing_bytes(people_photo, for_partner=True)


def test_a_ranger_flags_a_photo_after_the_upload(api, people, stored):
    api.force_authenticate(people.ranger_ru)
    answer = api.post(f"/api/v1/media/{stored.pk}/people/", {"has_people": True}, format="json")
    assert answer.status_code == 200 and answer.json()["has_people"] is True
    assert download(api, people.reviewer, stored, "preview").status_code == 404
    api.force_authenticate(people.reviewer)
    refused = api.post(f"/api/v1/media/{stored.pk}/people/", {"has_people": False}, format="json")
    assert refused.status_code == 404


def test_a_coordinator_releases_from_the_classification_page(client, people, people_photo):
    """The page offers the release to Russia's coordinator, not to the ranger."""
    url = f"/en/camera/sequences/{people_photo.sequence_id}/"
    client.force_login(people.ranger_ru)
    assert "Release for sharing" not in client.get(url).content.decode()
    client.force_login(people.coordinator_ru)
    assert "Release for sharing" in client.get(url).content.decode()
    answer = client.post(
        f"/en/camera/media/{people_photo.pk}/people/", {"action": "release", "next": url}
    )
    assert answer.status_code == 302 and answer["Location"] == url
    people_photo.refresh_from_db()
    assert people_photo.released_by == people.coordinator_ru
