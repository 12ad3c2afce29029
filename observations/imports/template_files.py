"""The import template to download, in English, Russian or Chinese: CSV (UTF-8 with a BOM,
so that Excel opens it right on any Windows) and XLSX (with a sheet explaining the columns).

Like every file this node writes for spreadsheet programs, its cells go through
observations.spreadsheet_safety (texts quoted when they could start a formula, XLSX texts
explicit string cells): the headers and help are ours today, translations change."""

from __future__ import annotations

import csv
import io

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ..spreadsheet_safety import safe_row, xlsx_row
from .headers import FIELDS, TEMPLATE_HEADERS, template_headers

COLUMN_HELP = {
    "id": _(
        "Your own id of the record: a UUID, or any code unique in the protected area. "
        "Optional; without it the row's content identifies it."
    ),
    "protected_area": _(
        "Code of the protected area, e.g. RU-KHANKAISKY. Optional when chosen for the file."
    ),
    "species": _("Scientific name, or the name in English, Russian or Chinese. Required."),
    "observed_at": _(
        "Date and time in the protected area's local time: 2024-05-31 14:30, "
        "31.05.2024 14:30 or 2024/05/31 14:30. Required."
    ),
    "latitude": _("Decimal degrees, e.g. 44.95."),
    "longitude": _("Decimal degrees, e.g. 132.45."),
    "datum": _("WGS84 (GPS; the default) or GCJ02 (Chinese map apps)."),
    "coordinate_uncertainty_m": _("Uncertainty of the position in metres."),
    "count": _("How many (1 when empty)."),
    "count_min": _("Lower bound of an estimated count."),
    "count_max": _("Upper bound of an estimated count."),
    "unit": _("individuals, nests, breeding_pairs or tracks (the species' unit when empty)."),
    "evidence": _("sighting, camera, track, scat, nest, call, kill, hair or other. Required."),
    "sex": _("male, female or unknown."),
    "age_class": _("adult, subadult, juvenile, cub or unknown."),
    "individual": _("A known individual: its UUID or catalogue code, e.g. RU T-12."),
    "event": _("UUID of the survey event (route, camera deployment) of the record."),
    "notes": _("Free text."),
}

LANGUAGES = {"en": "en", "ru": "ru", "zh": "zh-hans"}


def column_help(language: str) -> list[tuple[str, str, str]]:
    """(header in ``language``, Darwin Core-free field name, help text in the active language)."""
    return [(TEMPLATE_HEADERS[language][f], f, str(COLUMN_HELP[f])) for f in FIELDS]


def template_csv(language: str) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerow(safe_row(template_headers(language)))  # its line ends in \r\n
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def template_xlsx(language: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "records"
    sheet.append(xlsx_row(sheet, template_headers(language), font=Font(bold=True)))
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = max(14, len(column[0].value) + 2)
    sheet.freeze_panes = "A2"
    with translation.override(LANGUAGES[language]):
        notes = book.create_sheet("help")
        notes.append(xlsx_row(notes, [str(_("Column")), str(_("What to write"))]))
        for header, _field, text in column_help(language):
            notes.append(xlsx_row(notes, [header, text]))
        notes.column_dimensions["A"].width = 28
        notes.column_dimensions["B"].width = 100
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
