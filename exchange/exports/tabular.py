"""CSV, XLSX and GeoJSON: the rows streamed from the database into the file.

Rows come from a server-side cursor (``QuerySet.iterator``) with their places already
generalised by the database (exchange.exports.query), so memory stays flat however many
rows; each builder writes one row at a time. Headers of CSV and XLSX are in the user's
language (the task renders inside the job's language); GeoJSON properties keep their
stable English keys.

CSV and XLSX are opened in spreadsheet programs: every cell, headers included, goes
through observations.spreadsheet_safety on the way out (a text starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return gets a leading quote; in XLSX every text is an
explicit string cell), so that no stored text can become a formula. GeoJSON is not a
spreadsheet and keeps the values as they are.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import json
import uuid

from openpyxl import Workbook
from openpyxl.styles import Font

from observations.spreadsheet_safety import safe_cell, safe_row, xlsx_row

CHUNK = 5000
XLSX_MAX_ROWS = 1_048_575  # a worksheet's rows, less the header


def rows(qs):
    return qs.iterator(chunk_size=CHUNK)


def _text(value):
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    return value


def write_csv(path, headers, source, progress) -> int:
    """UTF-8 with a byte-order mark, so that spreadsheet programs read Cyrillic and Chinese."""
    written = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(safe_row(str(h) for h in headers))
        for row in source:
            # The rule on the values as they come (a number stays a number), then the text.
            writer.writerow([_text(safe_cell(v)) for v in row])
            written += 1
            progress.advance()
    return written


def _xlsx_value(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None)  # Excel has no time zones
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def write_xlsx(
    path, headers, source, progress, *, sheet_title: str, about=None, about_title: str = ""
) -> int:
    """openpyxl's write-only mode: rows go to a temporary file, not into memory. More rows
    than a worksheet holds continue on the next sheet. ``about`` (label, value) lines go
    on one more sheet, ``about_title`` (a shared dataset's citation and checksum)."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    written, sheet, in_sheet = 0, None, XLSX_MAX_ROWS

    def new_sheet(number: int):
        title = sheet_title[:28] if number == 1 else f"{sheet_title[:24]} ({number})"
        ws = workbook.create_sheet(title=title)
        ws.freeze_panes = "A2"
        ws.append(xlsx_row(ws, [str(text) for text in headers], font=bold))
        return ws

    sheets = 0
    for row in source:
        if in_sheet >= XLSX_MAX_ROWS:
            sheets += 1
            sheet, in_sheet = new_sheet(sheets), 0
        sheet.append(xlsx_row(sheet, [_xlsx_value(v) for v in row]))
        in_sheet += 1
        written += 1
        progress.advance()
    if sheet is None:
        new_sheet(1)
    if about:
        info = workbook.create_sheet(title=(about_title or "About")[:31])
        for label, value in about:
            info.append([*xlsx_row(info, [str(label)], font=bold), *xlsx_row(info, [value])])
    workbook.save(path)
    return written


def _json_default(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    raise TypeError(type(value))


def write_geojson(path, keys, source, progress, *, name: str) -> int:
    """A FeatureCollection written feature by feature; a record without a place has a null
    geometry. Coordinates are [longitude, latitude] (RFC 7946)."""
    lat_at, lon_at = keys.index("latitude"), keys.index("longitude")
    id_at = keys.index("id")
    properties = [(i, k) for i, k in enumerate(keys) if k not in ("latitude", "longitude")]
    written = 0
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(json.dumps({"type": "FeatureCollection", "name": name})[:-1])
        fh.write(', "features": [\n')
        for row in source:
            lat, lon = row[lat_at], row[lon_at]
            feature = {
                "type": "Feature",
                "id": str(row[id_at]),
                "geometry": None
                if lat is None or lon is None
                else {"type": "Point", "coordinates": [lon, lat]},
                "properties": {k: row[i] for i, k in properties},
            }
            if written:
                fh.write(",\n")
            fh.write(json.dumps(feature, ensure_ascii=False, default=_json_default))
            written += 1
            progress.advance()
        fh.write("\n]}\n")
    return written
