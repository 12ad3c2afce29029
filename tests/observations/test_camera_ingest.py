# ruff: noqa: F401, F811 - the fixtures come from test_camera_kit
"""The ingest: a real Celery worker reads each photo's EXIF, makes its thumbnail and
preview from one reduced-size decode, and groups the photos into sequences.

Anna (ranger_ru) uploads a card from Khankaisky's KH-07 (Asia/Vladivostok, UTC+10): a
burst of a tiger at dawn, a lone photo an hour later, and a second burst.
"""

import datetime as dt
import io

import pytest
from PIL import Image

from observations.camera.images import process_image
from observations.camera.ingest import media_ingest
from observations.camera.sequences import group_times
from observations.camera.tasks import ingest_media
from observations.models import Media, Sequence

from .test_camera_kit import (
    burst,
    photo,
    ranger,
    station,
    upload,
    upload_all,
    wait_until_ingested,
)

DAWN = dt.datetime(2024, 1, 15, 6, 30, 0)  # local camera time at Khanka (UTC+10)


@pytest.mark.celery
def test_the_worker_reads_exif_and_makes_both_copies(celery_worker, api, ranger, station):
    """EXIF time in the PA's zone, camera and GPS read; a 400 px thumbnail and a ~1,150 px
    preview, neither carrying EXIF."""
    answer = upload(api, station, photo(DAWN))
    assert answer.status_code == 201
    (media,) = wait_until_ingested([answer.json()["id"]])
    assert media.status == "ready", media.error
    assert media.taken_at == dt.datetime(2024, 1, 14, 20, 30, tzinfo=dt.UTC)
    assert (media.camera_make, media.camera_model) == ("Reconyx", "HF2X")
    assert media.exif_latitude == pytest.approx(44 + 57 / 60 + 3 / 3600)
    assert media.exif_longitude == pytest.approx(132 + 27 / 60 + 5.5 / 3600)
    with media.thumbnail.open("rb") as fh:
        thumb = Image.open(io.BytesIO(fh.read()))
    with media.preview.open("rb") as fh:
        preview = Image.open(io.BytesIO(fh.read()))
    assert thumb.size == (400, 300)
    assert preview.size == (1150, 862)
    assert not thumb.getexif() and not preview.getexif()

    body = api.get(f"/api/v1/media/{media.pk}/").json()
    assert body["status"] == "ready" and body["taken_at"] == "2024-01-14T20:30:00Z"
    assert api.get(body["thumbnail_url"])["Content-Type"] == "image/jpeg"


def test_a_16_mp_photo_is_decoded_once_at_a_quarter_of_its_size():
    """4608x3456: libjpeg decodes at 1/4 (1152x864), which is the preview; never in full."""
    data = photo(DAWN, size=(4608, 3456))
    done = process_image(data, preview_px=1150, thumbnail_px=400)
    assert done.decoded_size == (1152, 864)
    assert Image.open(io.BytesIO(done.preview)).size == (1152, 864)
    assert Image.open(io.BytesIO(done.thumbnail)).size == (400, 300)
    assert (done.width, done.height) == (4608, 3456)


def test_a_portrait_photo_keeps_its_orientation():
    data = photo(DAWN, size=(1200, 1600))
    done = process_image(data, preview_px=1150, thumbnail_px=400)
    assert Image.open(io.BytesIO(done.thumbnail)).size == (300, 400)


@pytest.mark.celery
def test_photos_are_grouped_into_sequences(celery_worker, api, ranger, station, settings):
    """Gaps under CAMERA_SEQUENCE_GAP_S (60 s) make one burst; uploaded out of order too."""
    settings.CAMERA_SEQUENCE_GAP_S = 60
    first = burst(DAWN, [0, 2, 4, 50])  # one burst: every gap under a minute
    lone = burst(DAWN + dt.timedelta(hours=1), [0])
    second = burst(DAWN + dt.timedelta(hours=2), [0, 30])
    # Out of order: the burst's last photo before its first ones, the bursts mixed.
    ids = upload_all(
        api, station, [first[3], second[1], lone[0], first[0], second[0], first[2], first[1]]
    )
    media = wait_until_ingested(ids)
    assert all(m.status == "ready" for m in media)
    sequences = list(Sequence.objects.filter(deployment=station).order_by("started_at"))
    assert [s.media_count for s in sequences] == [4, 1, 2]
    assert sequences[0].started_at == dt.datetime(2024, 1, 14, 20, 30, tzinfo=dt.UTC)
    assert sequences[0].ended_at == dt.datetime(2024, 1, 14, 20, 30, 50, tzinfo=dt.UTC)
    assert all(s.state == "unclassified" for s in sequences)

    listed = api.get(f"/api/v1/deployments/{station.pk}/sequences/").json()["results"]
    assert [len(s["media"]) for s in listed] == [4, 1, 2]
    detail = api.get(f"/api/v1/deployments/{station.pk}/").json()
    assert (detail["media_count"], detail["sequence_count"]) == (7, 3)
    assert detail["unclassified_sequences"] == 3


@pytest.mark.celery
def test_the_task_run_twice_changes_nothing(celery_worker, api, ranger, station):
    """acks_late: a redelivered task finds the photo ready and leaves it as it is."""
    answer = upload(api, station, photo(DAWN))
    (media,) = wait_until_ingested([answer.json()["id"]])
    again = ingest_media.delay(str(media.pk)).get(timeout=30)
    assert again == {"id": str(media.pk), "status": "ready", "sequence": str(media.sequence_id)}
    assert Sequence.objects.count() == 1 and Media.objects.get().thumbnail == media.thumbnail


@pytest.mark.django_db
def test_a_photo_without_exif_time_is_a_sequence_of_its_own(ranger, api, station):
    """No time, no burst: the photo is kept, alone, for a person to look at."""
    ids = [upload(api, station, photo(None, seed=s)).json()["id"] for s in (1, 2)]
    for media_id in ids:
        media_ingest(media_id=media_id)
    assert [m.taken_at for m in Media.objects.all()] == [None, None]
    assert Sequence.objects.count() == 2


@pytest.mark.django_db
def test_a_bridging_photo_merges_two_sequences(ranger, api, station, settings):
    """Photos at 0 s and 80 s are two sequences until one at 40 s arrives."""
    settings.CAMERA_SEQUENCE_GAP_S = 60
    photos = burst(DAWN, [0, 80, 40])
    ids = [upload(api, station, data).json()["id"] for data in photos]
    media_ingest(media_id=ids[0])
    media_ingest(media_id=ids[1])
    assert Sequence.objects.count() == 2
    media_ingest(media_id=ids[2])
    (sequence,) = Sequence.objects.all()
    assert sequence.media_count == 3


def test_group_times_is_the_same_rule_on_a_list():
    t0 = dt.datetime(2024, 1, 1)
    times = [t0 + dt.timedelta(seconds=s) for s in (0, 10, 69, 200, 259, 320)]
    assert group_times(times, dt.timedelta(seconds=60)) == [0, 0, 0, 1, 1, 2]
