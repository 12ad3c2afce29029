"""Reading every byte an audience gets, the way an attacker would, for secrets.

``leaks(data)`` opens what it is given as what it is (a zip's members one by one, an
XLSX's cells, a PDF's text, a photo's EXIF) and answers which secrets it found;
``formulas(data)`` finds spreadsheet cells that would run as formulas."""

from __future__ import annotations

import csv
import io
import json
import zipfile

from PIL import Image

from .attack_world import SECRETS

DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r")


def texts(data: bytes, name: str = "") -> list[tuple[str, str]]:
    """(where, text) of everything readable inside ``data``."""
    out: list[tuple[str, str]] = []
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.namelist():
                for where, text in texts(archive.read(member), member):
                    out.append((f"{name}!{where}" if name else where, text))
        return out
    if data[:5] == b"%PDF-":
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        out.append((name or "pdf", "\n".join(page.extract_text() or "" for page in reader.pages)))
        return out
    if data[:3] == b"\xff\xd8\xff" or data[:8] == b"\x89PNG\r\n\x1a\n":
        out.append((name or "image", _image_metadata(data)))
        out.append((name or "image bytes", data.decode("latin-1")))
        return out
    out.append((name or "body", data.decode("utf-8", errors="replace")))
    return out


def _image_metadata(data: bytes) -> str:
    """What the photo tells about itself: its EXIF (GPS IFD included) as text."""
    image = Image.open(io.BytesIO(data))
    exif = image.getexif()
    parts = [f"{tag}={value!r}" for tag, value in exif.items()]
    gps = exif.get_ifd(0x8825)
    if gps:
        parts.append(f"GPS={dict(gps)!r} lat={_gps_decimal(gps)}")
    for ifd in (0x8769,):
        parts.extend(f"{tag}={value!r}" for tag, value in exif.get_ifd(ifd).items())
    return " ".join(parts)


def _gps_decimal(gps) -> str:
    try:
        d, m, s = (float(v) for v in gps[2])
        return f"{d + m / 60 + s / 3600:.6f} GPS-IFD-PRESENT"
    except (KeyError, TypeError, ValueError):
        return "GPS-IFD-PRESENT"


def leaks(data: bytes | str, *, extra: dict | None = None) -> list[str]:
    """The names of the secrets found in ``data`` (and where)."""
    if isinstance(data, str):
        data = data.encode()
    patterns = {**SECRETS, **(extra or {})}
    found = []
    for where, text in texts(data):
        if "GPS-IFD-PRESENT" in text:
            found.append(f"EXIF GPS in {where}")
        for secret, pattern in patterns.items():
            if pattern.search(text):
                found.append(f"{secret} in {where}")
    return found


def formulas(data: bytes, name: str = "") -> list[str]:
    """Cells of a CSV or XLSX that a spreadsheet would run as formulas."""
    found = []
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.namelist()
        if "xl/workbook.xml" in members:
            from openpyxl import load_workbook

            book = load_workbook(io.BytesIO(data))
            for sheet in book.worksheets:
                for row in sheet.iter_rows():
                    for cell in row:
                        if cell.data_type == "f" or (
                            isinstance(cell.value, str) and cell.value.startswith(DANGEROUS_FIRST)
                        ):
                            found.append(f"{name} {sheet.title}!{cell.coordinate}: {cell.value!r}")
        return found
    text = data.decode("utf-8-sig", errors="replace")
    if name.endswith(".csv") or "," in text.split("\n", 1)[0]:
        for row in csv.reader(io.StringIO(text)):
            for cell in row:
                if cell.startswith(DANGEROUS_FIRST) and not _is_number(cell):
                    found.append(f"{name}: {cell!r}")
    return found


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def json_or_none(data: bytes):
    try:
        return json.loads(data)
    except ValueError:
        return None
