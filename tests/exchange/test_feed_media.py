# ruff: noqa: F401, F811 - the fixtures come from test_camera_kit
"""Photos in the change feed: which photos the Russian node describes to China, and how.

A photo is described only while it is evidence for a record the partner receives, the
agreement lets photos go, and it is not withheld as showing people. The description holds
no place, no camera serial and no file name; the bytes are fetched apart, by hash.
"""

import json

import pytest

from exchange.feed import feed_page
from exchange.media_sync import partner_photo
from exchange.models import Node
from exchange.partners.agreements import agreement_save
from observations.access import access_for
from observations.camera.classify import Seen, sequence_classify
from observations.camera.ingest import media_ingest
from observations.camera.people import media_flag_people, media_release
from observations.errors import NotFound
from observations.models import Media, Observation, Species
from observations.records.services import record_submit, record_verify

from ..observations.test_camera_kit import photo, ranger, station, upload, verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner(seeds):
    return Node.objects.create(code="CN", base_url="http://127.0.0.1:9", public_key="x")


def agree(partner, people, media_level):
    agreement_save(
        partner=partner,
        user=people.coordinator_ru,
        species=list(Species.objects.filter(jointly_monitored=True)),
        protected_areas=[],
        statuses=["verified"],
        embargo_days=0,
        precision={"Panthera tigris altaica": "10km"},
        media_level=media_level,
        licence="CC-BY-4.0",
    )


@pytest.fixture
def tiger_photo(api, people, ranger, station):
    """One ingested photo of KH-07, classified as a tiger; its record is submitted only."""
    verify(station)
    answer = upload(api, station, photo())
    media = media_ingest(media_id=answer.json()["id"])
    [made] = sequence_classify(
        access=access_for(people.ranger_ru),
        user=people.ranger_ru,
        sequence=media.sequence,
        verdict="animals",
        seen=[Seen(species="Panthera tigris altaica")],
    )
    record_submit(
        access=access_for(people.ranger_ru), user=people.ranger_ru, record=made.observation
    )
    return Media.objects.get(pk=media.pk)


def verify_record(people, media):
    obs = Observation.objects.get(classification__sequence__media=media)
    record_verify(access=access_for(people.manager_ru), user=people.manager_ru, record=obs)
    return obs


def photos_in(page) -> list[dict]:
    return [i for i in page["items"] if i["kind"] == "media"]


def test_a_photo_waits_for_its_record_to_be_verified(partner, people, tiger_photo):
    agree(partner, people, "full")
    assert photos_in(feed_page(partner, after=0, limit=1000)) == []
    obs = verify_record(people, tiger_photo)
    [item] = photos_in(feed_page(partner, after=0, limit=1000))
    data = item["data"]
    assert item["id"] == str(tiger_photo.pk) and item["action"] == "upsert"
    assert data["sha256"] == tiger_photo.sha256 and data["observations"] == [str(obs.pk)]
    assert data["level"] == "full" and data["variants"] == ["thumbnail", "preview", "original"]
    text = json.dumps(data)
    for secret in ("RCNX-0042", "IMG_0001", "exif", "44.95", "132.45"):
        assert secret not in text


def test_no_photo_leaves_when_the_agreement_says_none(partner, people, tiger_photo):
    agree(partner, people, "none")
    verify_record(people, tiger_photo)
    assert photos_in(feed_page(partner, after=0, limit=1000)) == []


def test_thumbnails_only_lets_the_partner_fetch_the_thumbnail_alone(partner, people, tiger_photo):
    agree(partner, people, "thumbnails")
    verify_record(people, tiger_photo)
    feed_page(partner, after=0, limit=1000)
    data, content_type = partner_photo(partner, tiger_photo.sha256, "thumbnail")
    assert content_type == "image/jpeg" and data[:3] == b"\xff\xd8\xff"
    for variant in ("preview", "original"):
        with pytest.raises(NotFound):
            partner_photo(partner, tiger_photo.sha256, variant)


def test_a_photo_is_served_only_after_the_feed_described_it(partner, people, tiger_photo):
    agree(partner, people, "full")
    verify_record(people, tiger_photo)
    with pytest.raises(NotFound):  # the partner cannot guess hashes ahead of the feed
        partner_photo(partner, tiger_photo.sha256, "original")
    feed_page(partner, after=0, limit=1000)
    data, _type = partner_photo(partner, tiger_photo.sha256, "original")
    assert b"RCNX-0042" not in data and b"MAKERNOTE" not in data


def test_a_photo_of_people_is_withdrawn_and_comes_back_once_released(partner, people, tiger_photo):
    agree(partner, people, "full")
    verify_record(people, tiger_photo)
    first = feed_page(partner, after=0, limit=1000)
    manager = access_for(people.manager_ru)
    media_flag_people(access=manager, user=people.manager_ru, media=tiger_photo, has_people=True)
    later = feed_page(partner, after=first["until"], limit=1000)
    assert [(i["action"], i["id"]) for i in photos_in(later)] == [("delete", str(tiger_photo.pk))]
    with pytest.raises(NotFound):
        partner_photo(partner, tiger_photo.sha256, "thumbnail")

    media_release(
        access=access_for(people.coordinator_ru),
        user=people.coordinator_ru,
        media=Media.objects.get(pk=tiger_photo.pk),
    )
    again = feed_page(partner, after=later["until"], limit=1000)
    assert [i["action"] for i in photos_in(again)] == ["upsert"]
