"""Reading an uploaded file into a header and rows of cells: CSV in the encodings met in the
field, or XLSX. Anything that makes the whole file unreadable raises ``ImportRefused``
with a message for the person who uploaded it; problems of single cells are left to the rows.

Encodings: a byte-order mark wins; then strict UTF-8; then charset_normalizer, restricted
to the two encodings Excel uses when it saves "CSV" on a Russian (cp1251) or Chinese
(GB18030, a superset of GBK and GB2312) Windows. The uploader may also name the encoding.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ..errors import DomainError

ENCODINGS = {
    "utf-8": "utf-8",
    "utf8": "utf-8",
    "utf-8-sig": "utf-8-sig",
    "cp1251": "cp1251",
    "windows-1251": "cp1251",
    "gb18030": "gb18030",
    "gbk": "gb18030",
    "gb2312": "gb18030",
}
DETECTED = ["cp1251", "gb18030"]
DELIMITERS = [",", ";", "\t"]
XLSX_MAX_UNPACKED = 400 * 1024 * 1024  # a zip bomb is refused before it is unpacked
CELL_MAX_CHARS = 100_000  # a field record's cell is never this long


class ImportRefused(DomainError):
    """The file as a whole cannot be imported; nothing is stored."""

    def __init__(self, message, code: str, *, status_code: int = 400, field: str = "file"):
        super().__init__(message, code, field=field, status_code=status_code)


def max_columns() -> int:
    return getattr(settings, "IMPORT_MAX_COLUMNS", 100)


def _too_many_columns(row_number: int, count: int) -> ImportRefused:
    return ImportRefused(
        _("Row %(row)s has %(count)s columns; at most %(max)s are allowed.")
        % {"row": row_number, "count": count, "max": max_columns()},
        "too_many_columns",
    )


@dataclass
class Sheet:
    """The header and the rows of one file. ``rows()`` may be called more than once."""

    headers: list[str]
    _rows: object = field(repr=False)  # a callable returning an iterator of cell lists
    estimated_rows: int | None = None
    encoding: str = ""

    def rows(self) -> Iterator[tuple[int, list]]:
        """(row number as a spreadsheet shows it, cells) of every row that is not blank.

        The header is row 1; a CSV record spanning lines counts as one row.
        """
        limit = max_columns()
        for number, cells in enumerate(self._rows(), start=2):
            while cells and (cells[-1] is None or cells[-1] == ""):
                cells.pop()
            if not cells:
                continue
            if len(cells) > limit:
                raise _too_many_columns(number, len(cells))
            if _blank(cells):
                continue
            yield number, cells

    def count(self) -> int:
        """Reads the whole file once: its number of rows, and every file-level problem."""
        return sum(1 for _row in self.rows())


def _blank(cells: list) -> bool:
    try:
        return not "".join(cells).strip()  # a CSV row: all text
    except TypeError:  # a workbook row: numbers, dates
        return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def open_sheet(data: bytes, *, filename: str = "", encoding: str = "") -> Sheet:
    """The file's sheet, or ImportRefused saying why it cannot be read."""
    if not data or not data.strip():
        raise ImportRefused(_("The file is empty."), "empty_file")
    if data[:4] == b"PK\x03\x04":
        return _xlsx_sheet(data)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportRefused(
            _("Old Excel files (.xls) cannot be read: save the sheet as .xlsx or CSV."), "xls"
        )
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise ImportRefused(_("The file is not a valid XLSX workbook."), "bad_xlsx")
    return _csv_sheet(data, encoding)


# --- CSV -------------------------------------------------------------------------


def decode(data: bytes, encoding: str = "") -> tuple[str, str]:
    """The text of the file and the encoding it was read in."""
    if encoding:
        codec = ENCODINGS.get(encoding.strip().lower())
        if codec is None:
            raise ImportRefused(
                _("Unknown encoding %(value)s: use UTF-8, cp1251 or GB18030.")
                % {"value": encoding[:20]},
                "unknown_encoding",
                field="encoding",
            )
        if codec == "utf-8" and data.startswith(codecs.BOM_UTF8):
            codec = "utf-8-sig"
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError as exc:
            raise ImportRefused(
                _("The file is not in the encoding %(encoding)s (a bad byte near line %(line)s).")
                % {"encoding": encoding, "line": data[: exc.start].count(b"\n") + 1},
                "wrong_encoding",
            ) from exc
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data, "utf-8-sig"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if _mostly_utf8(data):
            raise ImportRefused(
                _(
                    "The file is UTF-8 but has broken characters near line %(line)s: "
                    "save it again as UTF-8."
                )
                % {"line": data[: exc.start].count(b"\n") + 1},
                "wrong_encoding",
            ) from exc
    if b"\x00" in data:
        raise ImportRefused(_NOT_TEXT, "not_text")
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=DETECTED).best()
    if best is None:
        raise ImportRefused(
            _(
                "The file's encoding could not be recognised: save it as CSV UTF-8 "
                "(or choose its encoding)."
            ),
            "unknown_encoding",
        )
    return str(best), best.encoding


_NOT_TEXT = _("This is not a CSV or XLSX file.")


def _strict(data: bytes, codec: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise ImportRefused(
            _("The file is not in the encoding %(encoding)s (a bad byte near line %(line)s).")
            % {"encoding": codec, "line": data[: exc.start].count(b"\n") + 1},
            "wrong_encoding",
        ) from exc


def _mostly_utf8(data: bytes) -> bool:
    """UTF-8 with a few broken bytes (a cut or mixed file), not another encoding."""
    text = data.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    good = len(text) - len(text.encode("ascii", errors="ignore")) - broken
    return good >= 10 * broken


def sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_sheet(data: bytes, encoding: str) -> Sheet:
    text, used = decode(data, encoding)
    if "\x00" in text:
        raise ImportRefused(_NOT_TEXT, "not_text")
    text = text.lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = sniff_delimiter(first_line)

    def records():
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        try:
            yield from reader
        except csv.Error as exc:  # an unclosed quote, a stray quote, a cell over 128 KB
            raise ImportRefused(
                _("The file is not valid CSV near line %(line)s: %(problem)s.")
                % {"line": reader.line_num, "problem": exc},
                "malformed_csv",
            ) from exc

    rows = records()
    header = next(rows, None)
    rows.close()
    if header is None:
        raise ImportRefused(_("The file is empty."), "empty_file")
    if len(header) > max_columns():
        raise _too_many_columns(1, len(header))

    def data_rows():
        it = records()
        next(it, None)
        for number, cells in enumerate(it, start=2):
            # The csv module's own limit is process-wide state that other code may raise.
            if sum(map(len, cells)) > CELL_MAX_CHARS and max(map(len, cells)) > CELL_MAX_CHARS:
                raise ImportRefused(
                    _("Row %(row)s has a cell of more than %(max)s characters.")
                    % {"row": number, "max": f"{CELL_MAX_CHARS:,}"},
                    "cell_too_large",
                )
            yield cells

    return Sheet(headers=[h.strip() for h in header], _rows=data_rows, encoding=used)


# --- XLSX ------------------------------------------------------------------------


class FormulaCell:
    """A cell holding a formula: refused (the file's figures must be values, and a formula
    is also how a spreadsheet is made to run commands)."""

    __slots__ = ("text",)

    def __init__(self, text):
        self.text = str(text)


def _header_text(value) -> str:
    if value is None:
        return ""
    return (value.text if isinstance(value, FormulaCell) else str(value)).strip()


def _xlsx_sheet(data: bytes) -> Sheet:
    import openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise ImportRefused(_("The file is not a valid XLSX workbook."), "bad_xlsx") from exc
    if unpacked > XLSX_MAX_UNPACKED:
        raise ImportRefused(_("The workbook is too large once unpacked."), "file_too_large")

    def open_sheet_rows():
        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
            sheet = book.worksheets[0]
        except Exception as exc:  # openpyxl raises many kinds on a damaged file
            raise ImportRefused(_("The file is not a valid XLSX workbook."), "bad_xlsx") from exc
        return book, sheet

    book, sheet = open_sheet_rows()
    estimated = sheet.max_row
    book.close()

    def cells_of(row) -> list:
        out = []
        for cell in row:
            value = cell.value
            if value is not None and getattr(cell, "data_type", None) == "f":
                value = FormulaCell(value)
            out.append(value)
        return out

    def rows_with_header():
        book, sheet = open_sheet_rows()
        try:
            for row in sheet.iter_rows():
                yield cells_of(row)
        except ImportRefused:
            raise
        except Exception as exc:
            raise ImportRefused(
                _("The workbook could not be read: %(problem)s.") % {"problem": exc}, "bad_xlsx"
            ) from exc
        finally:
            book.close()

    rows = rows_with_header()
    header = next(rows, None)
    rows.close()
    while header and header[-1] in (None, ""):
        header.pop()
    if not header:
        raise ImportRefused(_("The file is empty."), "empty_file")
    if len(header) > max_columns():
        raise _too_many_columns(1, len(header))

    def data_rows():
        it = rows_with_header()
        next(it, None)
        return it

    return Sheet(
        headers=[_header_text(h) for h in header],
        _rows=data_rows,
        estimated_rows=(estimated - 1) if estimated else None,
        encoding="xlsx",
    )
