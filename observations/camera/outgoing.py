"""Copies of camera-trap photos that leave this node's inner circle: one way out.

A photo's EXIF may hold where the camera stands (GPS) and maker notes in which some cameras
hide GPS, serial numbers and settings; its XMP and IPTC blocks may repeat the place. Every
copy for someone who does not oversee the photo's PA (a download by a user of lower rank, a
Camtrap DP export, the sync to a partner node) is made by ``outgoing_bytes``, which keeps
the pixels as they are and rewrites the metadata:

- JPEG: the segments are copied except APP1 (EXIF, XMP), APP13 (IPTC/Photoshop), COM and
  the makers' own APP3-APP12/APP15 segments, and a new EXIF block carrying only a whitelist
  of harmless tags (time, make, model, orientation, exposure) is written in their place. No
  pixel is decoded or re-encoded.
- PNG: the chunks are copied except eXIf and the text chunks (tEXt, zTXt, iTXt: XMP).
- TIFF: its metadata is the file's own structure, so it is re-encoded (pixels kept
  uncompressed) with the same whitelist.

Photos flagged as showing people leave only once a coordinator has released them
(``MediaWithheld`` otherwise). It lives in the lower app because its downloads and Camtrap
DP exports need it as much as the sync does; what a partner receives under its agreement's
media level is exchange.media's.
"""

from __future__ import annotations

import io
import re
import struct

from django.utils.translation import gettext_lazy as _
from PIL import Image, TiffImagePlugin

from ..disclosure import PartnerAudience
from ..disclosure.policy import photo_shown
from ..errors import DomainError

# Tags that say nothing about where the camera is: kept in outgoing copies.
SAFE_IFD0 = {
    0x010F,  # Make
    0x0110,  # Model
    0x0112,  # Orientation
    0x011A,  # XResolution
    0x011B,  # YResolution
    0x0128,  # ResolutionUnit
    0x0132,  # DateTime
    0x0213,  # YCbCrPositioning
}
SAFE_EXIF = {
    0x829A,  # ExposureTime
    0x829D,  # FNumber
    0x8822,  # ExposureProgram
    0x8827,  # ISOSpeedRatings
    0x9000,  # ExifVersion
    0x9003,  # DateTimeOriginal
    0x9004,  # DateTimeDigitized
    0x9010,  # OffsetTime
    0x9011,  # OffsetTimeOriginal
    0x9012,  # OffsetTimeDigitized
    0x9207,  # MeteringMode
    0x9209,  # Flash
    0x920A,  # FocalLength
    0xA001,  # ColorSpace
    0xA002,  # PixelXDimension
    0xA003,  # PixelYDimension
    0xA402,  # ExposureMode
    0xA403,  # WhiteBalance
}
IFD_EXIF = 0x8769
# JPEG segments copied as they are: JFIF/JFXX (APP0), ICC profiles and MPF (APP2), Adobe's
# colour transform (APP14), and everything that is not metadata (tables, frame, scans).
_DROPPED_APP = {0xE1, 0xED, 0xFE} | set(range(0xE3, 0xED)) | {0xEF}
_MARKER = re.compile(rb"\xff(?=[^\x00\xd0-\xd7\xff])")
_PNG_DROPPED = {b"eXIf", b"tEXt", b"zTXt", b"iTXt", b"tIME"}


class MediaWithheld(DomainError):
    status_code = 404


def withheld_error() -> MediaWithheld:
    return MediaWithheld(
        _(
            "This photo shows people and stays in its protected area until a coordinator "
            "releases it."
        ),
        "withheld",
    )


def clean_exif(exif: Image.Exif) -> Image.Exif:
    """A new EXIF block with only the whitelisted tags (no GPS IFD, no maker notes)."""
    out = Image.Exif()
    for tag, value in exif.items():
        if tag in SAFE_IFD0:
            out[tag] = value
    sub = exif.get_ifd(IFD_EXIF)
    kept = {tag: value for tag, value in sub.items() if tag in SAFE_EXIF}
    if kept:
        target = out.get_ifd(IFD_EXIF)
        target.update(kept)
    return out


def _exif_segment(payload: bytes) -> bytes | None:
    exif = Image.Exif()
    try:
        exif.load(payload)
        cleaned = clean_exif(exif)
        body = cleaned.tobytes()
    except Exception:  # an unreadable EXIF block is simply dropped
        return None
    if not body.startswith(b"Exif\x00\x00"):
        body = b"Exif\x00\x00" + body
    if len(body) + 2 > 0xFFFF:
        return None
    return b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body


def strip_jpeg(data: bytes) -> bytes:
    """The JPEG with its metadata rewritten and its entropy-coded data copied untouched."""
    out = [b"\xff\xd8"]
    pos, n = 2, len(data)
    exif_done = False
    while pos < n:
        while pos < n and data[pos] == 0xFF:
            pos += 1
        if pos >= n:
            break
        marker = data[pos]
        pos += 1
        if marker == 0xD9:
            break
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:
            out.append(bytes((0xFF, marker)))
            continue
        (length,) = struct.unpack(">H", data[pos : pos + 2])
        segment = data[pos - 2 : pos + length]
        payload = data[pos + 2 : pos + length]
        if marker == 0xDA:
            # The scan header and its entropy-coded data: pixels, copied as they are.
            found = _MARKER.search(data, pos + length)
            scan_end = found.start() if found else n
            out.append(data[pos - 2 : scan_end])
            pos = scan_end
            continue
        if marker == 0xE2 and payload.startswith(b"MPF\x00"):
            pass  # further images after this one are not copied, so neither is their index
        elif marker == 0xE1 and payload.startswith(b"Exif\x00\x00") and not exif_done:
            cleaned = _exif_segment(payload[6:])
            if cleaned:
                out.append(cleaned)
            exif_done = True
        elif marker not in _DROPPED_APP:
            out.append(segment)
        pos += length
    out.append(b"\xff\xd9")
    return b"".join(out)


def strip_png(data: bytes) -> bytes:
    out = [data[:8]]
    pos, n = 8, len(data)
    while pos + 8 <= n:
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        end = pos + 12 + length
        if kind not in _PNG_DROPPED:
            out.append(data[pos:end])
        pos = end
        if kind == b"IEND":
            break
    return b"".join(out)


def strip_tiff(data: bytes) -> bytes:
    """Re-encoded losslessly from a bare copy of the pixels: Pillow would otherwise carry
    the original's XMP, IPTC and Photoshop blocks over."""
    with Image.open(io.BytesIO(data), formats=["TIFF"]) as img:
        img.load()
        exif = clean_exif(img.getexif())
        bare = Image.frombytes(img.mode, img.size, img.tobytes())
    tags = TiffImagePlugin.ImageFileDirectory_v2()
    for tag, value in exif.items():
        tags[tag] = value
    sub = exif.get_ifd(IFD_EXIF)
    if sub:
        tags[IFD_EXIF] = dict(sub)
    out = io.BytesIO()
    bare.save(out, "TIFF", tiffinfo=tags)  # uncompressed: libtiff cannot write sub-IFDs
    return out.getvalue()


def strip_metadata(data: bytes, content_type: str) -> bytes:
    """The photo without GPS, maker notes, XMP, IPTC and comments."""
    if content_type == "image/jpeg":
        return strip_jpeg(data)
    if content_type == "image/png":
        return strip_png(data)
    if content_type == "image/tiff":
        return strip_tiff(data)
    raise ValueError(f"not a photo type: {content_type}")


def outgoing_bytes(media, *, for_partner: bool) -> bytes:
    """The copy of a photo that may leave: metadata stripped; refused if withheld.

    ``for_partner``: the copy crosses the border (sync, exports); a download by a local
    user who does not oversee the PA passes False. Both are stripped alike; a photo
    showing people is withheld from both.
    """
    # The disclosure policy's question, as a partner is asked it (exchange.media.may_leave):
    # people in the photo keep it inside its PA until a coordinator releases it.
    if not photo_shown(PartnerAudience(), media):
        raise withheld_error()
    with media.file.open("rb") as fh:
        data = fh.read()
    return strip_metadata(data, media.content_type)
