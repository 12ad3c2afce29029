# ruff: noqa: F811 - the fixtures come from test_camera_kit
"""Photos between two real nodes: described in the feed, fetched by their hash, once.

The story: Anna (ranger_ru) uploads two camera-trap photos of KH-07 at Khankaisky, each
classified as a tiger and verified by the manager. One of them also shows a poacher's
face, so it is marked as showing people. Our agreement with China shares full images.
The Chinese node (another process) pulls from us and fetches the photos by hash: it gets
the first one, without the camera's GPS or maker notes, and never a byte of the second.
"""

import datetime as dt
import io
import random

import pytest
import requests
from PIL import Image

from exchange.models import Node, SentPage
from exchange.partners.agreements import agreement_save
from exchange.signing import sign_request
from observations.access import access_for
from observations.camera.classify import Seen, sequence_classify
from observations.camera.people import media_flag_people
from observations.models import Media, Observation, Species
from observations.records.services import record_submit, record_verify

from ..observations.test_camera_kit import (
    make_deployment,
    photo,
    upload_all,
    verify,
    wait_until_ingested,
)

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]

GPS_IFD, EXIF_IFD, MAKER_NOTE = 0x8825, 0x8769, 0x927C


def share_with_china(people, media_level="full"):
    agreement_save(
        partner=Node.objects.get(code="CN"),
        user=people.coordinator_ru,
        species=list(Species.objects.filter(jointly_monitored=True)),
        protected_areas=[],
        statuses=["verified"],
        embargo_days=0,
        precision={"Panthera tigris altaica": "10km"},
        media_level=media_level,
        licence="CC-BY-4.0",
    )


def tiger_photos(api, people, khankaisky) -> list[Media]:
    """Two photos an hour apart (two sequences), each classified as a tiger and verified."""
    station = verify(make_deployment(people.ranger_ru, khankaisky))
    api.force_authenticate(people.ranger_ru)
    start = dt.datetime(2024, 1, 15, 6, 30)
    # New pixels each time: the Chinese node lives through the whole session, and a photo
    # it already holds under another id is refused as a duplicate.
    seed = random.randrange(10**6)
    ids = upload_all(
        api,
        station,
        [photo(start, seed=seed), photo(start + dt.timedelta(hours=1), seed=seed + 1)],
    )
    photos = wait_until_ingested(ids)
    ranger, manager = access_for(people.ranger_ru), access_for(people.manager_ru)
    for media in photos:
        [made] = sequence_classify(
            access=ranger,
            user=people.ranger_ru,
            sequence=media.sequence,
            verdict="animals",
            seen=[Seen(species="Panthera tigris altaica")],
        )
        record_submit(access=ranger, user=people.ranger_ru, record=made.observation)
        obs = Observation.objects.get(pk=made.observation_id)
        record_verify(access=manager, user=people.manager_ru, record=obs)
    return [Media.objects.get(pk=m.pk) for m in photos]


def cn_get(two_nodes, path):
    return two_nodes.api("coordinator_cn", "GET", path)


def test_a_photo_crosses_once_by_hash_stripped_and_a_photo_of_people_never(
    two_nodes, api, people, khankaisky, live_server, settings, node_keys
):
    share_with_china(people)
    shared, faces = tiger_photos(api, people, khankaisky)
    media_flag_people(
        access=access_for(people.manager_ru), user=people.manager_ru, media=faces, has_people=True
    )

    out = two_nodes.manage("sync_now", "RU")
    assert "photos 1" in out, out

    # The Chinese node holds the first photo: described, and its bytes fetched.
    there = cn_get(two_nodes, f"/api/v1/media/{shared.pk}/")
    assert there.status_code == 200, there.text
    assert there.json()["status"] == "ready"
    full = cn_get(two_nodes, f"/api/v1/media/{shared.pk}/file/")
    assert full.status_code == 200
    exif = Image.open(io.BytesIO(full.content)).getexif()
    assert not exif.get_ifd(GPS_IFD) and MAKER_NOTE not in exif.get_ifd(EXIF_IFD)
    assert b"RCNX-0042" not in full.content and b"MAKERNOTE" not in full.content
    with shared.file.open("rb") as fh:
        original = fh.read()
    assert (
        Image.open(io.BytesIO(full.content)).tobytes() == Image.open(io.BytesIO(original)).tobytes()
    )
    assert cn_get(two_nodes, f"/api/v1/media/{shared.pk}/thumbnail/").status_code == 200

    # The photo of people: not described, not stored there, not fetchable by its hash.
    assert cn_get(two_nodes, f"/api/v1/media/{faces.pk}/").status_code == 404
    sent = [item for page in SentPage.objects.filter(partner__code="CN") for item in page.items]
    assert f"upsert:media:{shared.pk}" in sent
    assert not [item for item in sent if str(faces.pk) in item]
    ours = settings.EXCHANGE_PRIVATE_KEY
    settings.NODE_CODE, settings.EXCHANGE_PRIVATE_KEY = "CN", node_keys["CN"].private
    for variant in ("thumbnail", "original"):
        path = f"/api/v1/exchange/media/{faces.sha256}/{variant}/"
        asked = requests.get(live_server.url + path, headers=sign_request("GET", path), timeout=10)
        assert asked.status_code == 404 and asked.json()["code"] == "not_found"
    settings.NODE_CODE, settings.EXCHANGE_PRIVATE_KEY = "RU", ours

    # A second sync fetches nothing again: each file crosses the border once.
    again = two_nodes.manage("sync_now", "RU")
    assert "photos 0" in again, again


def test_a_photo_marked_as_showing_people_later_is_withdrawn_from_the_partner(
    two_nodes, api, people, khankaisky
):
    share_with_china(people)
    shared, _other = tiger_photos(api, people, khankaisky)
    two_nodes.manage("sync_now", "RU")
    assert cn_get(two_nodes, f"/api/v1/media/{shared.pk}/").status_code == 200

    media_flag_people(
        access=access_for(people.manager_ru), user=people.manager_ru, media=shared, has_people=True
    )
    out = two_nodes.manage("sync_now", "RU")
    assert "withdrawn 1" in out, out
    assert cn_get(two_nodes, f"/api/v1/media/{shared.pk}/").status_code == 404


def test_thumbnails_only_means_the_full_image_is_never_fetched(two_nodes, api, people, khankaisky):
    share_with_china(people, media_level="thumbnails")
    shared, _other = tiger_photos(api, people, khankaisky)
    out = two_nodes.manage("sync_now", "RU")
    assert "photos 2" in out, out
    assert cn_get(two_nodes, f"/api/v1/media/{shared.pk}/thumbnail/").status_code == 200
    assert cn_get(two_nodes, f"/api/v1/media/{shared.pk}/file/").status_code == 404
