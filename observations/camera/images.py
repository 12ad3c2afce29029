"""The pixel and EXIF work of the ingest, without the database: what bench_ingest measures.

``process_image`` makes, from the bytes of one photo: its SHA-256, what its EXIF says
(time, camera, GPS, orientation) and two JPEGs, a ~1,150 px preview and a 400 px thumbnail,
from ONE reduced-size decode. A JPEG is decoded by libjpeg at 1/2, 1/4 or 1/8 scale
(``Image.draft``): for a 16 MP photo (4608x3456) the 1/4 scale gives 1152x864, the preview
as it is, and the thumbnail is a cheap resize of it. The full 16 MP image is never decoded
(that costs about 1.6x more; entropy decoding is the floor either way, PERFORMANCE.md).
The copies carry no EXIF at all: they can go anywhere.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass

from PIL import Image

from .safety import FORMATS

TAG_ORIENTATION = 0x0112
TAG_MAKE, TAG_MODEL, TAG_DATETIME = 0x010F, 0x0110, 0x0132
IFD_EXIF, IFD_GPS = 0x8769, 0x8825
TAG_DATETIME_ORIGINAL, TAG_DATETIME_DIGITIZED = 0x9003, 0x9004
TAG_OFFSET_ORIGINAL = 0x9011
TAG_BODY_SERIAL = 0xA431
JPEG_QUALITY = 82

_TRANSPOSE = {
    2: (Image.Transpose.FLIP_LEFT_RIGHT,),
    3: (Image.Transpose.ROTATE_180,),
    4: (Image.Transpose.FLIP_TOP_BOTTOM,),
    5: (Image.Transpose.TRANSPOSE,),
    6: (Image.Transpose.ROTATE_270,),
    7: (Image.Transpose.TRANSVERSE,),
    8: (Image.Transpose.ROTATE_90,),
}


@dataclass
class ExifFacts:
    taken_at: dt.datetime | None = None  # naive unless the EXIF gives its offset
    make: str = ""
    model: str = ""
    serial: str = ""
    latitude: float | None = None
    longitude: float | None = None
    orientation: int = 1


@dataclass
class Processed:
    sha256: str
    format: str
    content_type: str
    width: int
    height: int
    exif: ExifFacts
    preview: bytes
    thumbnail: bytes
    decoded_size: tuple[int, int]


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _text(value) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return str(value or "").replace("\x00", "").strip()[:100]


def parse_exif_time(value, offset=None) -> dt.datetime | None:
    """EXIF's "YYYY:MM:DD HH:MM:SS" (local camera time), with "+09:00" if the camera said."""
    text = _text(value)
    try:
        when = dt.datetime.strptime(text[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    offset = _text(offset)
    if offset:
        try:
            sign = -1 if offset[0] == "-" else 1
            hours, minutes = offset.lstrip("+-").split(":")
            zone = dt.timezone(sign * dt.timedelta(hours=int(hours), minutes=int(minutes)))
            when = when.replace(tzinfo=zone)
        except (ValueError, IndexError):
            pass
    return when


def _degrees(value, ref) -> float | None:
    try:
        d, m, s = (float(v) for v in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    degrees = d + m / 60 + s / 3600
    return -degrees if _text(ref).upper() in ("S", "W") else degrees


def read_exif(img: Image.Image) -> ExifFacts:
    """What a camera trap writes: time, make, model, serial, GPS, orientation. Reads the
    metadata only; no pixel is decoded."""
    facts = ExifFacts()
    try:
        exif = img.getexif()
    except Exception:  # a damaged EXIF block must not stop the photo
        return facts
    sub = exif.get_ifd(IFD_EXIF)
    facts.taken_at = parse_exif_time(
        sub.get(TAG_DATETIME_ORIGINAL) or sub.get(TAG_DATETIME_DIGITIZED) or exif.get(TAG_DATETIME),
        sub.get(TAG_OFFSET_ORIGINAL),
    )
    facts.make, facts.model = _text(exif.get(TAG_MAKE)), _text(exif.get(TAG_MODEL))
    facts.serial = _text(sub.get(TAG_BODY_SERIAL))
    gps = exif.get_ifd(IFD_GPS)
    if gps:
        lat, lon = _degrees(gps.get(2), gps.get(1)), _degrees(gps.get(4), gps.get(3))
        if lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180:
            facts.latitude, facts.longitude = round(lat, 7), round(lon, 7)
    try:
        facts.orientation = int(exif.get(TAG_ORIENTATION) or 1)
    except (TypeError, ValueError):
        facts.orientation = 1
    return facts


def _fit(size: tuple[int, int], long_side: int) -> tuple[int, int]:
    width, height = size
    if width >= height:
        return long_side, max(1, round(height * long_side / width))
    return max(1, round(width * long_side / height)), long_side


def _jpeg(img: Image.Image) -> bytes:
    out = io.BytesIO()
    img.save(out, "JPEG", quality=JPEG_QUALITY)
    return out.getvalue()


def reduced_decode(img: Image.Image, long_side: int) -> Image.Image:
    """Decode at the smallest scale at least ``long_side`` px long (JPEG: libjpeg's DCT
    scaling; other formats: a full decode, then ``reduce``)."""
    if img.format == "JPEG":
        # The requested box keeps the photo's aspect, so that both sides allow the same scale.
        img.draft("RGB", _fit(img.size, long_side))
    img.load()
    if img.format != "JPEG":
        factor = max(1, min(img.size) // max(1, min(_fit(img.size, long_side))))
        if factor > 1:
            img = img.reduce(factor)
    if img.mode != "RGB":
        img = img.convert("RGB")
    return img


def process_image(
    data: bytes, *, preview_px: int = 1150, thumbnail_px: int = 400, fmt: str | None = None
) -> Processed:
    """Hash, EXIF and both copies of one photo (see the module's docstring)."""
    digest = sha256_of(data)
    with Image.open(io.BytesIO(data), formats=[fmt] if fmt else list(FORMATS)) as img:
        width, height, fmt = img.width, img.height, img.format
        exif = read_exif(img)
        decoded = reduced_decode(img, preview_px)
    decoded_size = decoded.size
    for step in _TRANSPOSE.get(exif.orientation, ()):
        decoded = decoded.transpose(step)
    preview = decoded
    if max(decoded.size) > preview_px * 1.1:  # e.g. 20 MP: 1/4 scale gives 1296 px
        preview = decoded.resize(_fit(decoded.size, preview_px), Image.Resampling.BILINEAR)
    # A box reduce by a whole factor first (cheap), then bilinear to the exact size.
    factor = max(1, max(preview.size) // thumbnail_px)
    small = preview.reduce(factor) if factor > 1 else preview
    thumbnail = small.resize(_fit(preview.size, thumbnail_px), Image.Resampling.BILINEAR)
    return Processed(
        sha256=digest,
        format=fmt,
        content_type=FORMATS[fmt],
        width=width,
        height=height,
        exif=exif,
        preview=_jpeg(preview),
        thumbnail=_jpeg(thumbnail),
        decoded_size=decoded_size,
    )
