"""The camera-trap stories' props: real photos made by Pillow (with EXIF time, camera and
GPS), a deployment at Khankaisky, and a wait for the real Celery worker.

Imported by the test_camera_* modules; holds no tests itself.
"""

from __future__ import annotations

import datetime as dt
import io
import zlib

import pytest
from PIL import Image, TiffImagePlugin

from observations.access import access_for
from observations.camera.deployments import deployment_create
from observations.models import Media, RecordStatus

from ..waiting import wait_until

KHANKA = (44.95, 132.45)
# Where the camera really stands: what must never leave in a photo's EXIF.
SECRET_GPS = ((44.0, 57.0, 3.0), (132.0, 27.0, 5.5))


def photo(
    when: dt.datetime | str | None = "2024:01:15 06:30:00",
    *,
    size=(1600, 1200),
    colour=(120, 80, 40),
    gps=True,
    make="Reconyx",
    model="HF2X",
    fmt="JPEG",
    seed: int = 0,
) -> bytes:
    """A photo as a camera trap writes it: EXIF time (camera's local time), make, model,
    GPS and a maker note. ``seed`` changes the pixels, so that two photos differ."""
    img = Image.new("RGB", size, colour)
    img.putpixel((seed % size[0], (seed // size[0]) % size[1]), (255, 255, 255))
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = make, model
    sub = exif.get_ifd(0x8769)
    if when is not None:
        sub[0x9003] = when if isinstance(when, str) else when.strftime("%Y:%m:%d %H:%M:%S")
    sub[0x927C] = b"MAKERNOTE serial=RCNX-0042 lat=44.9508"
    if gps:
        g = exif.get_ifd(0x8825)
        g[1], g[2], g[3], g[4] = "N", SECRET_GPS[0], "E", SECRET_GPS[1]
    out = io.BytesIO()
    if fmt == "TIFF":  # Pillow writes a TIFF's sub-IFDs only from a tag directory
        tags = TiffImagePlugin.ImageFileDirectory_v2()
        for tag, value in exif.items():
            if tag not in (0x8769, 0x8825):
                tags[tag] = value
        tags[0x8769] = dict(sub)
        if gps:
            tags[0x8825] = dict(exif.get_ifd(0x8825))
        img.save(out, "TIFF", tiffinfo=tags)
    else:
        img.save(out, fmt, exif=exif, **({"quality": 90} if fmt == "JPEG" else {}))
    return out.getvalue()


def burst(start: dt.datetime, offsets_s, **kwargs) -> list[bytes]:
    """Photos taken ``offsets_s`` seconds after ``start`` (local camera time)."""
    return [
        photo(start + dt.timedelta(seconds=s), seed=i + 1, **kwargs)
        for i, s in enumerate(offsets_s)
    ]


def png_bomb(width=20_000, height=20_000) -> bytes:
    """A small PNG whose header claims 400 megapixels (its IDAT is a tiny placeholder)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        import struct

        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    import struct

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def jpeg_claiming(width: int, height: int) -> bytes:
    """A small valid JPEG whose frame header is patched to claim ``width`` x ``height``."""
    data = bytearray(photo(gps=False))
    pos = 2
    while True:
        marker, length = data[pos + 1], int.from_bytes(data[pos + 2 : pos + 4], "big")
        if marker in (0xC0, 0xC1, 0xC2):
            data[pos + 5 : pos + 9] = height.to_bytes(2, "big") + width.to_bytes(2, "big")
            return bytes(data)
        pos += 2 + length


def make_deployment(user, pa, **overrides):
    values = {
        "protected_area": pa,
        "station": "KH-07",
        "started_at": dt.datetime(2024, 1, 10, 12, 0),
        "ended_at": dt.datetime(2024, 2, 9, 12, 0),
        "latitude": KHANKA[0],
        "longitude": KHANKA[1],
        "camera_make": "Reconyx",
        "camera_model": "HF2X",
        "camera_serial": "RCNX-0042",
        "camera_height_m": 0.6,
        "bait": False,
    }
    values.update(overrides)
    deployment, _created = deployment_create(access=access_for(user), user=user, values=values)
    return deployment


def verify(deployment):
    """The deployment's event verified (so that it is shared beyond the PA)."""
    event = deployment.event
    event.status = RecordStatus.VERIFIED
    event.save()
    return deployment


def upload_all(api, deployment, photos) -> list[str]:
    """Upload a card's photos; the worker starts once they are all stored (on SQLite's
    shared in-memory test database, two writers at once fail with "table is locked")."""
    from django.db import transaction

    ids = []
    with transaction.atomic():
        for i, data in enumerate(photos):
            answer = upload(api, deployment, data, name=f"IMG_{i:04d}.JPG")
            assert answer.status_code == 201, answer.json()
            ids.append(answer.json()["id"])
    return ids


def upload(api, deployment, data: bytes, name="IMG_0001.JPG", **extra):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return api.post(
        "/api/v1/media/",
        {
            "file": SimpleUploadedFile(name, data, content_type="image/jpeg"),
            "deployment": str(deployment.pk),
            **extra,
        },
        format="multipart",
    )


def wait_until_ingested(ids, timeout: float = 60) -> list[Media]:
    """Poll the database until the worker has processed every photo."""
    from django.db import OperationalError

    def ingested():
        found = list(Media.objects.filter(pk__in=ids).order_by("taken_at", "id"))
        if len(found) == len(ids) and all(m.status != Media.Status.PENDING for m in found):
            return found

    return wait_until(
        ingested,
        timeout=timeout,
        ignore=(OperationalError,),  # SQLite's shared in-memory test database, busy
        message="the worker to ingest the photos",
    )


def stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    from pathlib import Path

    root = Path(root)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def ranger(api, people, khankaisky):
    """Anna, ranger of Khankaisky, logged in to the API."""
    api.force_authenticate(people.ranger_ru)
    return people.ranger_ru


@pytest.fixture
def station(people, khankaisky):
    """Khankaisky's camera KH-07, set up by ranger_ru for a month in January 2024."""
    return make_deployment(people.ranger_ru, khankaisky)
