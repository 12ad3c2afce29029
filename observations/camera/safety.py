"""Is an upload a real photo? Checked by content, never by name, before anything is stored.

Accepted: one whole JPEG, PNG or TIFF image of at most CAMERA_MAX_UPLOAD_BYTES and
CAMERA_MAX_PIXELS. Refused, each with a stable code and a message in the user's language:

- ``empty_file``, ``file_too_large`` (413);
- ``not_an_image``: anything else (GIF, PDF, HTML, a renamed text file...), judged by the
  first bytes;
- ``truncated``: the file ends before the image does (a JPEG without its end marker, a PNG
  without IEND, a chunk cut short). A truncated JPEG opens in Pillow and fails only when
  decoded, and ``verify()`` passes it, so the JPEG's segments are walked here instead;
- ``decompression_bomb``: more pixels than allowed (a small file claiming 60000x60000);
  Pillow's DecompressionBombWarning is turned into this error too;
- ``polyglot``: bytes after the end of the image (a ZIP, an HTML page or a script appended
  to a valid photo), or markup hidden in the metadata segments;
- ``corrupt_image``: a header that Pillow cannot read.

The check costs a few milliseconds for a 16 MP JPEG: the segments are walked, the
entropy-coded data is skipped with one regular-expression search, nothing is decoded
(TIFF, rare from camera traps, is decoded once to find truncation). Only the JPEG, PNG and
TIFF plugins of Pillow are ever used (``formats=``), keeping rarely used decoders away.
"""

from __future__ import annotations

import io
import re
import struct
import warnings
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from ..errors import DomainError

FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "TIFF": "image/tiff"}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# A marker inside or after entropy-coded data: 0xFF followed by anything but a stuffed
# zero, a restart marker, or another fill byte.
_MARKER = re.compile(rb"\xff(?=[^\x00\xd0-\xd7\xff])")
_MARKUP = re.compile(
    rb"<\s*(?:script|html|body|iframe|object|embed|svg|form|meta)\b|<\?php|<%[=@ ]|javascript:",
    re.IGNORECASE,
)
_ZIP_END = b"PK\x05\x06"
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}

MESSAGES = {
    "empty_file": _("The file is empty."),
    "file_too_large": _("The file is larger than %(size)s MB."),
    "not_an_image": _("This is not a JPEG, PNG or TIFF photo."),
    "truncated": _("The file is cut short: the photo was not copied completely."),
    "decompression_bomb": _(
        "The image claims %(pixels)s megapixels, more than the %(limit)s allowed."
    ),
    "polyglot": _("The file holds more than a photo (data hidden after or inside the image)."),
    "corrupt_image": _("The photo cannot be read: its file is damaged."),
}


class UploadRefused(DomainError):
    """An upload that is not a real, whole photo of sane size. Nothing is stored."""


def refuse(code: str, status_code: int = 400, **params) -> UploadRefused:
    message = MESSAGES[code]
    return UploadRefused(message % params if params else message, code, status_code=status_code)


@dataclass(frozen=True)
class ImageCheck:
    format: str
    content_type: str
    width: int
    height: int


def max_bytes() -> int:
    return settings.CAMERA_MAX_UPLOAD_BYTES


def too_large() -> UploadRefused:
    return refuse("file_too_large", 413, size=max_bytes() // (1024 * 1024))


def sniff(data: bytes) -> str | None:
    """The format by the first bytes, or None."""
    if data[:3] == b"\xff\xd8\xff":
        return "JPEG"
    if data[:8] == PNG_SIGNATURE:
        return "PNG"
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"
    return None


def check_image(data: bytes) -> ImageCheck:
    """The format and size of a photo, or UploadRefused with the reason."""
    if not data:
        raise refuse("empty_file")
    if len(data) > max_bytes():
        raise too_large()
    fmt = sniff(data)
    if fmt is None:
        raise refuse("not_an_image")
    if fmt == "JPEG":
        width, height = check_jpeg(data)
    elif fmt == "PNG":
        width, height = check_png(data)
    else:
        width, height = None, None
    if width is not None:
        _check_pixels(width, height)
    width, height = _open_with_pillow(data, fmt, decode=(fmt == "TIFF"))
    if fmt == "TIFF":
        _check_tail(data)
    return ImageCheck(fmt, FORMATS[fmt], width, height)


def _check_pixels(width: int, height: int) -> None:
    limit = settings.CAMERA_MAX_PIXELS
    if width * height > limit:
        raise refuse(
            "decompression_bomb",
            pixels=f"{width * height / 1e6:.0f}",
            limit=f"{limit / 1e6:.0f}",
        )


def _open_with_pillow(data: bytes, fmt: str, *, decode: bool) -> tuple[int, int]:
    """Pillow reads the header (and, for TIFF, the pixels) with bombs as errors."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=[fmt]) as img:
                _check_pixels(img.width, img.height)
                if decode:
                    img.load()
                return img.width, img.height
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise refuse(
                "decompression_bomb",
                pixels="?",
                limit=f"{settings.CAMERA_MAX_PIXELS / 1e6:.0f}",
            ) from exc
        except UploadRefused:
            raise
        except OSError as exc:
            if "truncated" in str(exc).lower():
                raise refuse("truncated") from exc
            raise refuse("corrupt_image") from exc
        except (UnidentifiedImageError, SyntaxError, ValueError, struct.error, EOFError) as exc:
            raise refuse("corrupt_image") from exc


# --- JPEG ---------------------------------------------------------------------------


def check_jpeg(data: bytes, *, nested: bool = False) -> tuple[int, int]:
    """Walk the JPEG's segments to its end marker; return (width, height).

    Truncated: no end marker. Polyglot: anything but padding after it (a Multi-Picture
    file may carry further whole JPEGs there, which are walked too), or markup inside an
    APPn or COM segment.
    """
    size = None
    pos, end, n = 2, None, len(data)
    multi_picture = False
    while end is None:
        if pos >= n:
            raise refuse("truncated")
        if data[pos] != 0xFF:
            raise refuse("corrupt_image")
        while pos < n and data[pos] == 0xFF:  # fill bytes
            pos += 1
        if pos >= n:
            raise refuse("truncated")
        marker = data[pos]
        pos += 1
        if marker == 0xD9:
            end = pos
            break
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:
            continue  # markers without a length
        if pos + 2 > n:
            raise refuse("truncated")
        (length,) = struct.unpack(">H", data[pos : pos + 2])
        if length < 2:
            raise refuse("corrupt_image")
        segment_end = pos + length
        if segment_end > n:
            raise refuse("truncated")
        payload = data[pos + 2 : segment_end]
        if marker in _SOF:
            if len(payload) < 5:
                raise refuse("corrupt_image")
            height, width = struct.unpack(">HH", payload[1:5])
            size = (width, height)
            _check_pixels(width, height)
        elif 0xE0 <= marker <= 0xEF or marker == 0xFE:
            if _MARKUP.search(payload):
                raise refuse("polyglot")
            if marker == 0xE2 and payload.startswith(b"MPF\x00"):
                multi_picture = True
        if marker == 0xDA:  # start of scan: skip the entropy-coded data
            if size is None:
                raise refuse("corrupt_image")
            found = _MARKER.search(data, segment_end)
            if found is None:
                raise refuse("truncated")
            pos = found.start()
        else:
            pos = segment_end
    if size is None or size[0] == 0 or size[1] == 0:
        raise refuse("corrupt_image")
    trailer = data[end:]
    if trailer.strip(b"\x00\xff\r\n "):
        if not multi_picture or nested or not trailer.lstrip(b"\x00").startswith(b"\xff\xd8"):
            raise refuse("polyglot")
        _check_appended_jpegs(trailer.lstrip(b"\x00"))
    return size


def _check_appended_jpegs(data: bytes) -> None:
    """The further images of a Multi-Picture (MPF) file: each a whole JPEG, nothing else."""
    rest = data
    for _i in range(8):
        if not rest.startswith(b"\xff\xd8\xff"):
            raise refuse("polyglot")
        end = _jpeg_end(rest)
        rest = rest[end:].lstrip(b"\x00")
        if not rest.strip(b"\x00\xff\r\n "):
            return
    raise refuse("polyglot")


def _jpeg_end(data: bytes) -> int:
    """Where an embedded JPEG ends (its EOI), walking it as check_jpeg does."""
    pos, n = 2, len(data)
    while True:
        while pos < n and data[pos] == 0xFF:
            pos += 1
        if pos >= n:
            raise refuse("truncated")
        marker = data[pos]
        pos += 1
        if marker == 0xD9:
            return pos
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:
            continue
        if pos + 2 > n:
            raise refuse("truncated")
        (length,) = struct.unpack(">H", data[pos : pos + 2])
        segment_end = pos + length
        if length < 2 or segment_end > n:
            raise refuse("truncated")
        is_metadata = 0xE0 <= marker <= 0xEF or marker == 0xFE
        if is_metadata and _MARKUP.search(data, pos, segment_end):
            raise refuse("polyglot")
        if marker == 0xDA:
            found = _MARKER.search(data, segment_end)
            if found is None:
                raise refuse("truncated")
            pos = found.start()
        else:
            pos = segment_end


# --- PNG ----------------------------------------------------------------------------

_PNG_TEXT = {b"tEXt", b"zTXt", b"iTXt"}


def check_png(data: bytes) -> tuple[int, int]:
    """Walk the PNG's chunks (checking each CRC) to IEND; return (width, height)."""
    pos, n = 8, len(data)
    size = None
    while True:
        if pos + 8 > n:
            raise refuse("truncated")
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        chunk_end = pos + 12 + length
        if chunk_end > n:
            raise refuse("truncated")
        body = data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : chunk_end])
        if zlib.crc32(kind + body) != crc:
            raise refuse("corrupt_image")
        if size is None:
            if kind != b"IHDR" or length < 8:
                raise refuse("corrupt_image")
            size = struct.unpack(">II", body[:8])
            _check_pixels(*size)
        elif kind in _PNG_TEXT and _MARKUP.search(body):
            raise refuse("polyglot")
        pos = chunk_end
        if kind == b"IEND":
            break
    if data[pos:].strip(b"\x00\r\n "):
        raise refuse("polyglot")
    if size[0] == 0 or size[1] == 0:
        raise refuse("corrupt_image")
    return size


# --- TIFF ---------------------------------------------------------------------------


def _check_tail(data: bytes) -> None:
    """A TIFF's parts may lie anywhere in the file, so its end cannot be walked to; refuse
    at least a ZIP archive or markup riding along (the classic polyglots)."""
    tail = data[-66_000:]
    if _ZIP_END in tail or _MARKUP.search(data[:4096]) or _MARKUP.search(data[-4096:]):
        raise refuse("polyglot")
