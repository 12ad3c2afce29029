# ruff: noqa: F401, F811 - the fixtures come from test_camera_kit
"""Uploading camera-trap photos: ``POST /api/v1/media/``.

Anna (ranger_ru) empties the card of Khankaisky's camera KH-07. Real photos are stored as
received; the same photo sent twice is stored once. Anything that is not one whole, sane
JPEG/PNG/TIFF is refused with a clear code, and leaves neither a row nor a file behind.
"""

import hashlib

import pytest

from observations.models import Media

from .test_camera_kit import (
    jpeg_claiming,
    photo,
    png_bomb,
    ranger,
    station,
    stored_files,
    upload,
)

pytestmark = pytest.mark.django_db


def test_a_photo_is_stored_as_received(api, ranger, station, settings):
    """201; the original's bytes and SHA-256 are kept, the ingest is pending."""
    data = photo()
    answer = upload(api, station, data)
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    media = Media.objects.get(pk=body["id"])
    assert body["sha256"] == hashlib.sha256(data).hexdigest() == media.sha256
    assert (body["width"], body["height"], body["content_type"]) == (1600, 1200, "image/jpeg")
    assert body["original_name"] == "IMG_0001.JPG"
    with media.file.open("rb") as fh:
        assert fh.read() == data
    assert media.file.name.startswith(f"camera/originals/{media.sha256[:2]}/")
    assert media.created_by == ranger and media.deployment == station


def test_the_same_photo_twice_is_a_no_op(api, ranger, station, settings):
    """The second upload answers 200 with the stored photo and stores nothing new."""
    data = photo()
    first = upload(api, station, data, name="a.jpg").json()
    files = stored_files(settings)
    second = upload(api, station, data, name="renamed.jpg")
    assert second.status_code == 200
    assert second.json()["id"] == first["id"]
    assert Media.objects.count() == 1
    assert stored_files(settings) == files


def test_the_same_photo_again_queues_an_ingest_that_was_lost(
    api, ranger, station, monkeypatch, django_capture_on_commit_callbacks
):
    """The first upload's task was never queued (its answer or its process was lost): the
    ranger's retry queues it again, so the photo does not stay pending for ever; a photo
    already ingested is not queued twice."""
    from observations.camera import ingest

    queued = []
    monkeypatch.setattr(ingest, "_enqueue_ingest", queued.append)
    data = photo()
    first = upload(api, station, data).json()  # its on_commit never runs in this test
    assert Media.objects.get(pk=first["id"]).status == Media.Status.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        assert upload(api, station, data).status_code == 200
    assert queued == [first["id"]]
    Media.objects.filter(pk=first["id"]).update(status=Media.Status.READY)
    with django_capture_on_commit_callbacks(execute=True):
        assert upload(api, station, data).status_code == 200
    assert queued == [first["id"]]


def test_a_field_app_may_send_its_own_id(api, ranger, station):
    """A re-send with the same id and bytes is fine; the same id with other bytes is not."""
    media_id = "5b0f3c5e-2a7e-4b9a-9f6e-1c2d3e4f5a6b"
    assert upload(api, station, photo(), id=media_id).status_code == 201
    assert upload(api, station, photo(), id=media_id).status_code == 200
    other = upload(api, station, photo(seed=7), id=media_id)
    assert other.status_code == 409 and other.json()["code"] == "id_conflict"


def _truncated():
    data = photo(size=(800, 600))
    return data[: len(data) // 2]


def _polyglot_zip():
    import io
    import zipfile

    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("payload.html", "<script>alert(1)</script>")
    return photo() + archive.getvalue()


def _script_in_comment():
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 64)).save(out, "JPEG", comment=b"<script>alert(document.cookie)</script>")
    return out.getvalue()


BAD_UPLOADS = {
    "a text file named .jpg": (b"just some notes from the field\n" * 50, 400, "not_an_image"),
    "a GIF": (b"GIF89a" + b"\x00" * 200, 400, "not_an_image"),
    "an HTML page named .jpg": (b"<html><script>alert(1)</script></html>", 400, "not_an_image"),
    "an empty file": (b"", 400, "empty_file"),
    "a truncated JPEG": (_truncated(), 400, "truncated"),
    "a JPEG claiming 100 megapixels": (jpeg_claiming(10_000, 10_000), 400, "decompression_bomb"),
    "a JPEG claiming 60000x60000": (jpeg_claiming(60_000, 60_000), 400, "decompression_bomb"),
    "a PNG claiming 400 megapixels": (png_bomb(), 400, "decompression_bomb"),
    "a JPEG with a ZIP appended": (_polyglot_zip(), 400, "polyglot"),
    "a JPEG with HTML appended": (photo() + b"<html><body>hi</body></html>", 400, "polyglot"),
    "a JPEG with a script in its comment": (_script_in_comment(), 400, "polyglot"),
}


@pytest.mark.parametrize("case", list(BAD_UPLOADS))
def test_a_bad_upload_is_refused_and_leaves_nothing(api, ranger, station, settings, case):
    """A clear code and message; no row, no file."""
    data, status, code = BAD_UPLOADS[case]
    answer = upload(api, station, data, name="IMG_0002.JPG")
    assert answer.status_code == status, answer.json()
    assert answer.json()["code"] == code
    assert answer.json()["detail"]
    assert Media.objects.count() == 0
    assert stored_files(settings) == []


def test_a_file_over_the_size_limit_is_refused(api, ranger, station, settings):
    """413 file_too_large, nothing stored."""
    settings.CAMERA_MAX_UPLOAD_BYTES = 20_000
    answer = upload(api, station, photo(size=(1600, 1200), colour=(10, 200, 90)) + b"\x00" * 30_000)
    assert answer.status_code == 413
    assert answer.json()["code"] == "file_too_large"
    assert "MB" in answer.json()["detail"]
    assert Media.objects.count() == 0 and stored_files(settings) == []


def test_png_and_tiff_photos_are_accepted(api, ranger, station):
    """By content: a PNG and a TIFF, whatever their names say."""
    png = upload(api, station, photo(fmt="PNG", size=(320, 240)), name="x.jpg")
    tiff = upload(api, station, photo(fmt="TIFF", size=(320, 240)), name="y.dat")
    assert png.status_code == 201 and png.json()["content_type"] == "image/png"
    assert tiff.status_code == 201 and tiff.json()["content_type"] == "image/tiff"


def test_a_truncated_tiff_is_refused(api, ranger, station, settings):
    data = photo(fmt="TIFF", size=(320, 240), gps=False)
    answer = upload(api, station, data[: len(data) // 3])
    assert answer.status_code == 400
    assert answer.json()["code"] in ("truncated", "corrupt_image")
    assert Media.objects.count() == 0 and stored_files(settings) == []


def test_only_the_pas_people_may_upload(api, people, station):
    """The outsider (ranger of Bastak) does not see the deployment; the reviewer may not
    write at all."""
    api.force_authenticate(people.outsider)
    assert upload(api, station, photo()).status_code == 404
    api.force_authenticate(people.reviewer)
    assert upload(api, station, photo()).status_code == 403
    api.force_authenticate(people.manager_ru)  # a colleague of the same PA may
    assert upload(api, station, photo()).status_code == 201


def test_the_page_takes_files_without_javascript(client, people, station, settings):
    """The plain form: each file on its own; a bad one is named, the good ones kept."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(people.ranger_ru)
    files = [
        SimpleUploadedFile("a.jpg", photo(seed=1)),
        SimpleUploadedFile("notes.jpg", b"not a photo at all"),
        SimpleUploadedFile("b.jpg", photo(seed=2)),
    ]
    answer = client.post(f"/en/camera/deployments/{station.pk}/upload/", {"files": files})
    assert answer.status_code == 302
    page = client.get(answer["Location"]).content.decode()
    assert "2 photos stored." in page
    assert "notes.jpg: This is not a JPEG, PNG or TIFF photo." in page
    assert Media.objects.count() == 2


def test_the_station_page_offers_the_upload_to_the_pas_people_only(client, people, station):
    from observations.models import RecordStatus

    url = f"/en/camera/deployments/{station.pk}/"
    client.force_login(people.ranger_ru)
    assert 'id="dropzone"' in client.get(url).content.decode()
    event = station.event
    event.status = RecordStatus.VERIFIED
    event.save()
    client.force_login(people.reviewer)
    page = client.get(url).content.decode()
    assert 'id="dropzone"' not in page and "KH-07" in page
    # The exact place and the camera stay with the PA's people: others see the 10 km cell.
    assert "RCNX-0042" not in page and "generalised" in page
    client.force_login(people.outsider)
    assert client.get(url).status_code == 200  # verified: others read it, generalised
    event.status = RecordStatus.DRAFT
    event.save()
    assert client.get(url).status_code == 404
