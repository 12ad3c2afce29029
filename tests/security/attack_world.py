"""The world the attack suite attacks: secrets filed the way rangers file them.

Ivan Petrov, ranger of Khankaisky, files a tiger and a leopard at distinctive
coordinates, through the API, with notes that repeat the coordinates (decimal and
degrees-minutes-seconds) and his own full name; a crane whose notes are a spreadsheet
formula; a camera station at the tiger's place with a camera serial number; a photo of
the tiger whose EXIF holds GPS and the serial; and a photo classified as people. The
PA's manager verifies the records, so that they are shared as widely as anything is.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field

from PIL import Image
from rest_framework.test import APIClient

from observations.access import access_for
from observations.camera.classify import Seen, sequence_classify
from observations.camera.deployments import deployment_create
from observations.camera.ingest import media_ingest
from observations.models import Media, Observation, RecordStatus
from observations.records.services import record_submit, record_verify

TIGER = (44.963817, 132.418263)
LEOPARD = (44.927351, 132.471936)
SERIAL = "ZX81-77731"
NAME = ("Ivan", "Petrov")
FORMULA = '=HYPERLINK("http://evil.example","x")'

# What must never leave to an audience that does not oversee Khankaisky. Digits of the
# exact places in any rendering (decimal point or comma, six or four decimals, the
# seconds of the DMS form), the ranger's name, the camera's serial number.
SECRETS = {
    "tiger latitude": re.compile(r"44[.,]9638|963817"),
    "tiger longitude": re.compile(r"132[.,]4182|418263"),
    "tiger DMS": re.compile(r"57['′]\s?49|25['′]\s?05"),
    "leopard latitude": re.compile(r"44[.,]9273|927351"),
    "leopard longitude": re.compile(r"132[.,]4719|471936"),
    "name": re.compile(r"Petrov|Петров", re.IGNORECASE),
    "serial": re.compile(re.escape(SERIAL)),
}


def _dms(value: float) -> str:
    degrees = int(value)
    minutes_full = (value - degrees) * 60
    minutes = int(minutes_full)
    return f"{degrees}°{minutes:02d}'{(minutes_full - minutes) * 60:04.1f}\""


NOTE = (
    f"seen by {NAME[0]} {NAME[1]} at {TIGER[0]} {TIGER[1]} near the hut, "
    f"{_dms(TIGER[0])}N {_dms(TIGER[1])}E, camera {SERIAL}"
)
LEOPARD_NOTE = f"{NAME[1]} {NAME[0]}: 北纬{LEOPARD[0]} 东经{LEOPARD[1]}, лёжка у ручья"


def api_as(person) -> APIClient:
    api = APIClient()
    if person is not None:
        api.force_authenticate(person)
    return api


def exif_photo(when: str, *, seed: int, gps=TIGER) -> bytes:
    """A JPEG as a trail camera writes it: GPS of the station, the serial number in the
    EXIF body serial tag, the maker and a maker note that repeats it."""
    img = Image.new("RGB", (800, 600), (90 + seed, 70, 40))
    img.putpixel((seed, seed), (255, 255, 255))
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Reconyx", "HF2X"
    sub = exif.get_ifd(0x8769)
    sub[0x9003] = when
    sub[0xA431] = SERIAL  # BodySerialNumber
    sub[0x927C] = f"MAKERNOTE serial={SERIAL} lat={gps[0]}".encode()
    g = exif.get_ifd(0x8825)

    def dms(v):
        d = int(v)
        m = int((v - d) * 60)
        return (float(d), float(m), round(((v - d) * 60 - m) * 60, 2))

    g[1], g[2], g[3], g[4] = "N", dms(gps[0]), "E", dms(gps[1])
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif, quality=85)
    return out.getvalue()


@dataclass
class World:
    tiger: Observation
    leopard: Observation
    crane: Observation
    deployment: object
    tiger_photo: Media
    people_photo: Media
    ids: dict = field(default_factory=dict)


def _file(api, **values):
    answer = api.post("/api/v1/observations/", values, format="json")
    assert answer.status_code == 201, answer.json()
    return Observation.objects.get(pk=answer.json()["id"])


def _verify(people, record):
    record_submit(access=access_for(people.ranger_ru), user=people.ranger_ru, record=record)
    record.refresh_from_db()
    record_verify(access=access_for(people.manager_ru), user=people.manager_ru, record=record)
    record.refresh_from_db()
    return record


def build(people, khankaisky) -> World:
    ranger = people.ranger_ru
    ranger.first_name, ranger.last_name = NAME
    ranger.save()
    api = api_as(ranger)
    common = {"protected_area": khankaisky.code, "coordinate_uncertainty_m": 8}
    tiger = _file(
        api,
        species="Panthera tigris altaica",
        observed_at="2025-01-15T23:10:00Z",
        latitude=TIGER[0],
        longitude=TIGER[1],
        evidence="track",
        notes=NOTE,
        **common,
    )
    leopard = _file(
        api,
        species="Panthera pardus orientalis",
        observed_at="2025-01-16T23:10:00Z",
        latitude=LEOPARD[0],
        longitude=LEOPARD[1],
        evidence="scat",
        notes=LEOPARD_NOTE,
        **common,
    )
    crane = _file(
        api,
        species="Grus japonensis",
        observed_at="2025-05-01T06:00:00Z",
        latitude=44.9012,
        longitude=132.5012,
        evidence="sighting",
        count=2,
        notes=FORMULA,
        **common,
    )
    for record in (tiger, leopard, crane):
        _verify(people, record)

    deployment, _ = deployment_create(
        access=access_for(ranger),
        user=ranger,
        values={
            "protected_area": khankaisky,
            "station": "KH-77",
            "started_at": dt.datetime(2025, 1, 10, 12, 0),
            "ended_at": dt.datetime(2025, 2, 9, 12, 0),
            "latitude": TIGER[0],
            "longitude": TIGER[1],
            "camera_make": "Reconyx",
            "camera_model": "HF2X",
            "camera_serial": SERIAL,
            "camera_height_m": 0.6,
            "bait": False,
            "notes": f"strapped to the oak at {TIGER[0]}, {TIGER[1]} by {NAME[0]} {NAME[1]}",
        },
    )
    event = deployment.event
    event.status = RecordStatus.VERIFIED
    event.save()

    photos = {}
    for name, when, seed in (
        ("tiger", "2025:01:15 06:30:00", 1),
        ("people", "2025:01:20 14:00:00", 2),
    ):
        answer = api.post(
            "/api/v1/media/",
            {
                "file": _upload(f"RCNX_{SERIAL}_{name}.JPG", exif_photo(when, seed=seed)),
                "deployment": str(deployment.pk),
            },
            format="multipart",
        )
        assert answer.status_code == 201, answer.json()
        photos[name] = media_ingest(media_id=answer.json()["id"])
    [made] = sequence_classify(
        access=access_for(ranger),
        user=ranger,
        sequence=photos["tiger"].sequence,
        verdict="animals",
        seen=[Seen(species="Panthera tigris altaica")],
    )
    _verify(people, made.observation)
    sequence_classify(
        access=access_for(ranger),
        user=ranger,
        sequence=photos["people"].sequence,
        verdict="people",
        seen=[],
    )
    tiger_photo = Media.objects.get(pk=photos["tiger"].pk)
    people_photo = Media.objects.get(pk=photos["people"].pk)
    assert people_photo.has_people and people_photo.withheld
    return World(tiger, leopard, crane, deployment, tiger_photo, people_photo)


def _upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="image/jpeg")
