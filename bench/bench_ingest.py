"""Camera-trap photo ingest of 500 16 MP JPEGs on one worker process, against two baselines
measured in the same run on the same photos:

- Pillow's full decode of each photo (``Image.open`` + ``load()``);
- Pillow's reduced-size decode alone (``draft`` to the preview's size + ``load()``): the
  floor, since the entropy decoding of the whole file is paid at any scale.

Ingest is the real service code, run photo by photo as the one worker would (no broker
involved): ``media_ingest``, what the ``observations.ingest_media`` task runs: the stored
original read and its SHA-256 checked, EXIF read, one 1/4-scale decode serving a ~1,150 px
preview and a 400 px thumbnail, both written, the row updated, the photo placed in its
sequence. The photos are first uploaded through ``media_upload`` (SHA-256, the safety
check, stored as received: the web process's part), timed apart and printed for
information.

Target: ingest per photo at most 0.8x the full decode.

Works on the configured database, in a scratch copy made for the run (PostgreSQL:
``<name>_bench_ingest``, dropped at the end; SQLite: in memory), and a temporary
MEDIA_ROOT. The 500 photos are made in a temporary folder: 8 distinct 4608x3456 scenes,
each file with its own EXIF (time, camera, GPS, maker note), so 500 different files
(500 SHA-256s) that cost what real photos cost to decode.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

from django.db import connection

PHOTOS = int(os.environ.get("BENCH_INGEST_PHOTOS", "500"))
SIZE = (4608, 3456)  # 16 MP
SCENES = 8
TARGET = 0.8


def run() -> None:
    from django.test.utils import override_settings

    test = connection.settings_dict["TEST"]
    if connection.vendor == "postgresql":
        test["NAME"] = f"{connection.settings_dict['NAME']}_bench_ingest"
    original = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        with (
            tempfile.TemporaryDirectory() as media,
            tempfile.TemporaryDirectory() as folder,
            override_settings(MEDIA_ROOT=media, CELERY_TASK_ALWAYS_EAGER=False),
        ):
            _measure(Path(folder))
    finally:
        connection.creation.destroy_test_db(original, verbosity=0)


def _scene(seed: int) -> bytes:
    """A 16 MP JPEG (quality 90) with a natural image's spectrum: noise in octaves, the
    coarse ones strongest (1/f, like leaves, grass and bark), plus a little sensor grain;
    5-8 MB like a camera trap's photo."""
    from PIL import Image

    rng = random.Random(seed)
    width, height = SIZE
    img = None
    for divisor, weight in ((64, 1.0), (16, 0.6), (4, 0.35), (1, 0.12)):
        noise = Image.effect_noise((width // divisor, height // divisor), 64).convert("RGB")
        if divisor > 1:
            noise = noise.resize(SIZE, Image.Resampling.BICUBIC)
        img = noise if img is None else Image.blend(img, noise, weight / (1 + weight))
    tint = Image.new("RGB", SIZE, (60 + rng.randrange(40), 80 + rng.randrange(40), 40))
    img = Image.blend(img, tint, 0.3)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=90)
    return out.getvalue()


def _exif_segment(index: int, when: dt.datetime) -> bytes:
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Reconyx", "HF2X"
    sub = exif.get_ifd(0x8769)
    sub[0x9003] = when.strftime("%Y:%m:%d %H:%M:%S")
    sub[0xA420] = f"BENCH-{index:06d}"  # ImageUniqueID: every file differs
    sub[0x927C] = b"MAKERNOTE " + os.urandom(64)
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (44.0, 57.0, 3.0), "E", (132.0, 27.0, 5.5)
    body = b"Exif\x00\x00" + exif.tobytes()
    return b"\xff\xe1" + (len(body) + 2).to_bytes(2, "big") + body


def _make_photos(folder: Path) -> list[Path]:
    """500 files: bursts of 5 photos 2 s apart, bursts 10 minutes apart."""
    scenes = [_scene(seed) for seed in range(SCENES)]
    start = dt.datetime(2024, 1, 15, 6, 0, 0)
    paths = []
    for i in range(PHOTOS):
        when = start + dt.timedelta(minutes=10 * (i // 5), seconds=2 * (i % 5))
        scene = scenes[i % SCENES]
        data = scene[:2] + _exif_segment(i, when) + scene[2:]
        path = folder / f"RCNX{i:05d}.JPG"
        path.write_bytes(data)
        paths.append(path)
    return paths


def _full_decode(path: Path) -> None:
    from PIL import Image

    with Image.open(io.BytesIO(path.read_bytes())) as img:
        img.load()


def _draft_decode(path: Path) -> None:
    from PIL import Image

    from observations.camera.images import _fit

    with Image.open(io.BytesIO(path.read_bytes())) as img:
        img.draft("RGB", _fit(img.size, 1150))
        img.load()


def _timed(paths, work) -> list[float]:
    times = []
    for path in paths:
        started = time.perf_counter()
        work(path)
        times.append(time.perf_counter() - started)
    return times


def _measure(folder: Path) -> None:
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile

    from observations import access as access_module
    from observations.camera import ingest
    from observations.camera.deployments import deployment_create
    from observations.models import Media, Membership, ProtectedArea, Role, Sequence
    from observations.seeds import load_seeds

    load = os.getloadavg()[0]
    started = time.perf_counter()
    paths = _make_photos(folder)
    sizes = [p.stat().st_size for p in paths]
    print(
        f"photos: {len(paths)} JPEGs of {SIZE[0]}x{SIZE[1]} ({SIZE[0] * SIZE[1] / 1e6:.1f} MP), "
        f"{statistics.mean(sizes) / 1e6:.1f} MB on average, made in "
        f"{time.perf_counter() - started:.0f} s"
    )

    load_seeds()
    pa = ProtectedArea.objects.get(code="RU-KHANKAISKY")
    user = get_user_model().objects.create_user("bench_ranger")
    Membership.objects.create(user=user, role=Role.RANGER, protected_area=pa)
    access = access_module.access_for(user)
    deployment, _ = deployment_create(
        access=access,
        user=user,
        values={
            "protected_area": pa,
            "station": "KH-BENCH",
            "started_at": dt.datetime(2024, 1, 10, 12, 0),
            "ended_at": dt.datetime(2024, 2, 9, 12, 0),
            "latitude": 44.95,
            "longitude": 132.45,
        },
    )
    queued: list[str] = []
    ingest._enqueue_ingest = queued.append  # the one worker is this process

    # Warm the caches (files, libjpeg) once, outside the measurement.
    _timed(paths[:5], _full_decode)

    # The upload (the web process): read, SHA-256, safety check, stored as received.
    media_ids, upload_times = [], []
    for path in paths:
        started = time.perf_counter()
        media, _created = ingest.media_upload(
            access=access,
            user=user,
            deployment=deployment,
            upload=SimpleUploadedFile(path.name, path.read_bytes(), content_type="image/jpeg"),
        )
        upload_times.append(time.perf_counter() - started)
        media_ids.append(media.pk)
    # The ingest (the worker): what the observations.ingest_media task runs, photo by photo,
    # each photo's two baselines measured just before it (a busy machine then slows all three
    # alike).
    full, draft, ingest_times = [], [], []
    for path, media_id in zip(paths, media_ids, strict=True):
        full += _timed([path], _full_decode)
        draft += _timed([path], _draft_decode)
        started = time.perf_counter()
        ingest.media_ingest(media_id=media_id)
        ingest_times.append(time.perf_counter() - started)
    ready = Media.objects.filter(status=Media.Status.READY).count()
    sequences = Sequence.objects.filter(deployment=deployment).count()
    assert ready == len(paths) and len(queued) == len(paths), (ready, len(queued))
    assert sequences == len(paths) // 5, sequences

    def per_s(times):
        return len(times) / sum(times)

    def ms(times):
        return 1000 * statistics.median(times)

    ratio = statistics.median(ingest_times) / statistics.median(full)
    print(f"load average (1 min) at start: {load:.2f}, at end: {os.getloadavg()[0]:.2f}")
    print(
        f"Pillow full decode:            {per_s(full):6.2f} photos/s "
        f"(median {ms(full):.0f} ms/photo)"
    )
    print(
        f"Pillow reduced (draft) decode: {per_s(draft):6.2f} photos/s "
        f"(median {ms(draft):.0f} ms/photo) - the floor"
    )
    print(
        f"ingest (real service code):    {per_s(ingest_times):6.2f} photos/s "
        f"(median {ms(ingest_times):.0f} ms/photo: read, SHA-256, EXIF, one reduced decode, "
        f"preview and thumbnail written, sequence)"
    )
    print(
        f"  for information, the upload before it (web process: SHA-256, safety check, "
        f"stored as received): median {ms(upload_times):.0f} ms/photo"
    )
    print(f"  {ready} photos ready in {sequences} sequences")
    floor = statistics.median(ingest_times) / statistics.median(draft)
    print(f"  ingest / draft decode: {floor:.2f}x")
    verdict = "OK" if ratio <= TARGET else "TOO SLOW"
    print(f"ratio ingest/full decode (medians): {ratio:.2f}x (target: at most {TARGET}x) {verdict}")
