"""The files rangers actually have: CSV from Excel on a Russian or Chinese Windows, UTF-8 with
or without a BOM, XLSX, Darwin Core exports, and files that are broken in every way.

Anna (ranger of Khankaisky) uploads them. A readable file imports; an unreadable one gets a
clear 400 (413 when too large) with a stable code, never a 500, and stores nothing.
"""

import codecs
import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from observations.models import ImportJob, Observation

pytestmark = pytest.mark.django_db

RU_HEADER = "вид;дата и время;широта;долгота;количество;тип регистрации;примечания"
RU_ROWS = [
    "амурский тигр;31.05.2024 14:30;44,95;132,45;1;след;свежий след у кордона",
    "японский журавль;01.06.2024 06:10;44,91;132,40;2;наблюдение;пара на гнезде",
]
ZH_HEADER = "物种,观察时间,纬度,经度,数量,证据类型,备注"
ZH_ROWS = [
    "东北虎,2024/05/31 14:30,44.95,132.45,1,足迹,巡护时发现新鲜足迹",
    "丹顶鹤,2024/06/01 06:10,44.91,132.40,2,目击,湖边一对",
]


def uploaded(data: bytes, name: str = "records.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def text_file(header, rows, *, sep="\r\n") -> str:
    return sep.join([header, *rows]) + sep


@pytest.fixture
def anna(api, people, khankaisky):
    api.force_authenticate(people.ranger_ru)
    return people.ranger_ru


def post(api, data: bytes, name="records.csv", **options):
    options.setdefault("protected_area", "RU-KHANKAISKY")
    return api.post(
        "/api/v1/imports/", {"file": uploaded(data, name), **options}, format="multipart"
    )


def refused(answer, code: str, status: int = 400) -> None:
    assert answer.status_code == status, answer.content
    assert answer.json()["code"] == code
    assert answer.json()["detail"]
    assert ImportJob.objects.count() == 0
    assert Observation.objects.count() == 0


# --- encodings -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "header", "rows"),
    [
        ("utf-8", RU_HEADER, RU_ROWS),
        ("utf-8-sig", RU_HEADER, RU_ROWS),
        ("cp1251", RU_HEADER, RU_ROWS),
        ("utf-8", ZH_HEADER, ZH_ROWS),
        ("utf-8-sig", ZH_HEADER, ZH_ROWS),
        ("gb18030", ZH_HEADER, ZH_ROWS),
    ],
    ids=["ru-utf8", "ru-utf8-bom", "ru-cp1251", "zh-utf8", "zh-utf8-bom", "zh-gb18030"],
)
def test_every_encoding_excel_writes_is_read(api, anna, encoding, header, rows):
    """UTF-8 with or without BOM, and the Excel CSV of a Russian (cp1251) or Chinese
    (GB18030) Windows: headers, species names and notes all come through."""
    answer = post(api, text_file(header, rows).encode(encoding))
    assert answer.status_code == 201, answer.content
    assert answer.json()["created"] == 2, answer.json()["errors"]
    notes = set(Observation.objects.values_list("notes", flat=True))
    assert notes == {row.split(";" if ";" in row else ",")[-1] for row in rows}


def test_a_named_encoding_is_used(api, anna):
    """The uploader may say the file is cp1251."""
    answer = post(api, text_file(RU_HEADER, RU_ROWS).encode("cp1251"), encoding="cp1251")
    assert answer.json()["created"] == 2


def test_the_wrong_named_encoding_is_a_clear_error(api, anna):
    """A cp1251 file announced as UTF-8 is refused, naming the line of the first bad byte."""
    answer = post(api, text_file(RU_HEADER, RU_ROWS).encode("cp1251"), encoding="utf-8")
    refused(answer, "wrong_encoding")
    assert "line 1" in answer.json()["detail"]


def test_an_unknown_named_encoding_is_a_clear_error(api, anna):
    """Only the encodings we read may be named."""
    refused(post(api, b"species\nx\n", encoding="ebcdic"), "unknown_encoding")


def test_utf16_from_excels_unicode_text_is_read(api, anna):
    """Excel's "Unicode text" (UTF-16 with a BOM, tab-separated) imports too."""
    data = codecs.BOM_UTF16_LE + text_file(
        RU_HEADER.replace(";", "\t"), [r.replace(";", "\t") for r in RU_ROWS]
    ).encode("utf-16-le")
    assert post(api, data).json()["created"] == 2


def test_utf8_with_a_broken_byte_is_a_clear_error(api, anna):
    """A UTF-8 file with one damaged character is not taken for cp1251."""
    data = text_file(RU_HEADER, RU_ROWS * 5).encode("utf-8") + b"\xff\n"
    refused(post(api, data), "wrong_encoding")


def test_bytes_in_no_known_encoding_are_a_clear_error(api, anna):
    """Binary junk is refused, not imported as gibberish."""
    refused(post(api, bytes(range(128, 256)) * 40), "unknown_encoding")


@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_the_delimiter_is_recognised(api, anna, sep):
    """Comma, semicolon (Russian Excel) or tab."""
    header = sep.join(["species", "observed_at", "evidence", "notes"])
    row = sep.join(["Grus japonensis", "2024-05-31 14:30", "sighting", '"a, b; c"'])
    answer = post(api, text_file(header, [row]).encode())
    assert answer.json()["created"] == 1
    assert Observation.objects.get().notes == "a, b; c"


def test_a_cell_spanning_lines_is_one_row(api, anna):
    """Quoted line breaks stay in the cell; row numbers count records."""
    data = (
        b'species,observed_at,evidence,notes\n"Grus japonensis",2024-05-31 14:30,sighting,'
        b'"line one\nline two"\nGrus japonensis,2024-05-31 14:35,nothing,\n'
    )
    body = post(api, data).json()
    assert body["created"] == 1
    assert body["errors"][0]["row"] == 3
    assert Observation.objects.get().notes == "line one\nline two"


# --- headers -------------------------------------------------------------------------


def test_darwin_core_terms_are_understood(api, anna):
    """A Darwin Core occurrence export, PA in locationID, date and time in separate terms."""
    header = (
        "occurrenceID,scientificName,eventDate,eventTime,decimalLatitude,decimalLongitude,"
        "geodeticDatum,coordinateUncertaintyInMeters,individualCount,basisOfRecord,sex,"
        "lifeStage,occurrenceRemarks,locationID,vernacularName"
    )
    row = (
        "urn:catalog:KH:1,Grus japonensis,2024-05-31,14:30,44.95,132.45,EPSG:4326,30,2,"
        "HumanObservation,female,adult,two on the shore,RU-KHANKAISKY,Red-crowned Crane"
    )
    body = post(api, text_file(header, [row]).encode(), protected_area="").json()
    assert body["created"] == 1, body["errors"]
    assert body["ignored_columns"] == ["vernacularName"]
    stored = Observation.objects.get()
    assert stored.observed_at == dt.datetime(2024, 5, 31, 4, 30, tzinfo=dt.UTC)
    assert (stored.evidence, stored.sex, stored.age_class) == ("sighting", "female", "adult")
    assert (stored.count, stored.coordinate_uncertainty_m) == (2, 30)
    again = post(api, text_file(header, [row]).encode(), protected_area="").json()
    assert again["unchanged"] == 1


def test_headers_match_whatever_their_case_and_spaces(api, anna):
    """ " Species ", "OBSERVED_AT", "Тип регистрации" all match."""
    data = " Species ,OBSERVED_AT,Тип регистрации\nGrus japonensis,2024-05-31 14:30,sighting\n"
    assert post(api, data.encode()).json()["created"] == 1


def test_no_known_column_is_a_clear_error(api, anna):
    """A file of other things entirely."""
    refused(post(api, b"name,price\napple,3\n"), "no_known_columns")


def test_a_missing_required_column_is_a_clear_error(api, anna):
    """Without a species column nothing could be imported."""
    refused(post(api, b"observed_at,evidence\n2024-05-31 14:30,sighting\n"), "missing_column")


def test_two_columns_meaning_the_same_are_a_clear_error(api, anna):
    """species and scientificName in one file: which one?"""
    data = b"species,scientificName,observed_at\nx,y,2024-05-31\n"
    refused(post(api, data), "duplicate_column")


def test_a_file_without_pa_column_needs_a_pa_chosen(api, anna):
    """Rows naming no PA need the PA chosen for the file."""
    data = b"species,observed_at,evidence\nGrus japonensis,2024-05-31 14:30,sighting\n"
    refused(post(api, data, protected_area=""), "protected_area_required")


# --- broken files --------------------------------------------------------------------


def test_an_empty_file_is_a_clear_error(api, anna):
    refused(post(api, b""), "empty_file")


def test_a_file_of_blank_lines_is_a_clear_error(api, anna):
    refused(post(api, b"\r\n\r\n  \n"), "empty_file")


def test_a_header_without_rows_is_a_clear_error(api, anna):
    """The template itself, uploaded unfilled."""
    refused(post(api, b"species,observed_at,evidence\n,,\n"), "no_rows")


def test_malformed_csv_is_a_clear_error_and_stores_nothing(api, anna):
    """An unclosed quote would swallow the rest of the file: refused whole."""
    data = (
        b"species,observed_at,evidence,notes\nGrus japonensis,2024-05-31 14:30,sighting,ok\n"
        b'Grus japonensis,2024-05-31 14:35,sighting,"unclosed\nGrus japonensis,2024-05-31,'
        b"sighting,x\n"
    )
    answer = post(api, data)
    refused(answer, "malformed_csv")
    assert "line" in answer.json()["detail"]


def test_a_stray_quote_is_a_clear_error(api, anna):
    data = b'species,observed_at,evidence\n"Grus" japonensis,2024-05-31 14:30,sighting\n'
    refused(post(api, data), "malformed_csv")


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(api, anna, settings):
    """A 50 MB upload answers 413 and leaves nothing behind."""
    row = b"Grus japonensis,2024-05-31 14:30,sighting," + b"x" * 200 + b"\n"
    data = b"species,observed_at,evidence,notes\n" + row * (50 * 1024 * 1024 // len(row))
    assert len(data) > 49 * 1024 * 1024
    refused(post(api, data), "file_too_large", status=413)


def test_a_row_with_a_thousand_columns_is_a_clear_error(api, anna):
    """IMPORT_MAX_COLUMNS (100) columns at most: the file is refused, naming the row."""
    wide = "Grus japonensis,2024-05-31 14:35,sighting" + ",x" * 1000
    data = text_file(
        "species,observed_at,evidence", ["Grus japonensis,2024-05-31 14:30,sighting", wide]
    )
    answer = post(api, data.encode())
    refused(answer, "too_many_columns")
    assert "Row 3" in answer.json()["detail"]


def test_a_header_with_a_thousand_columns_is_a_clear_error(api, anna):
    header = "species,observed_at,evidence," + ",".join(f"c{i}" for i in range(1000))
    data = text_file(header, ["Grus japonensis,2024-05-31,sighting"]).encode()
    refused(post(api, data), "too_many_columns")


def test_a_giant_cell_is_a_clear_error(api, anna):
    """A single cell of 200,000 characters is not a field record."""
    data = b'species,observed_at,evidence,notes\nx,y,z,"' + b"a" * 120_000 + b'"\n'
    answer = post(api, data)
    refused(answer, "cell_too_large")
    assert "Row 2" in answer.json()["detail"]


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "photo.csv", "not_text"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "old.xls", "xls"),
        (b"PK\x03\x04" + b"garbage" * 10, "broken.xlsx", "bad_xlsx"),
        (b"species,observed_at\n", "named.xlsx", "bad_xlsx"),
    ],
    ids=["png", "xls", "broken-zip", "csv-named-xlsx"],
)
def test_files_of_the_wrong_kind_are_clear_errors(api, anna, data, name, code):
    refused(post(api, data, name=name), code)


def test_a_zip_that_is_not_a_workbook_is_a_clear_error(api, anna):
    """A valid zip without a workbook inside."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hello")
    refused(post(api, out.getvalue(), name="x.xlsx"), "bad_xlsx")


@pytest.mark.parametrize(
    "data",
    [
        b"\x00\x01\x02",
        b'"',
        b'species\n"',
        b",,,\n,,,\n",
        b"species,observed_at,evidence\n" + b",\n" * 50,
        "вид\n".encode("utf-16-le"),
        b"species;observed_at;evidence\r\nGrus japonensis;2024-05-31;sighting;" + b";" * 2000,
        b"species,observed_at,evidence\n\x1a\x1b\x1c,2024,\n",
        b"=cmd|' /C calc'!A0\n",
    ],
)
def test_bad_input_never_gives_a_500(api, anna, data):
    """Whatever arrives, the answer is a clear 4xx or an import with its row errors."""
    answer = post(api, data)
    assert answer.status_code < 500
    body = answer.json()
    assert body.get("detail") or body.get("errors") is not None


# --- XLSX ----------------------------------------------------------------------------


def workbook(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_workbook_imports_with_its_own_dates_and_numbers(api, anna):
    """Date cells, number cells and text cells are read as they are."""
    data = workbook(
        [
            ["species", "observed_at", "latitude", "longitude", "count", "evidence", "id"],
            ["Grus japonensis", dt.datetime(2024, 5, 31, 14, 30), 44.95, 132.45, 2, "sighting", 17],
            ["амурский тигр", "31.05.2024 15:00", 44.9, 132.5, 1.0, "след", 18],
            [None, None, None, None, None, None, None],
        ]
    )
    body = post(api, data, name="records.xlsx").json()
    assert body["created"] == 2, body["errors"]
    crane = Observation.objects.get(species__scientific_name="Grus japonensis")
    assert crane.observed_at == dt.datetime(2024, 5, 31, 4, 30, tzinfo=dt.UTC)
    assert crane.count == 2
    assert post(api, data, name="records.xlsx").json()["unchanged"] == 2


def test_formula_cells_in_a_workbook_are_refused(api, anna):
    """A formula is not a value: its row is refused with a clear message."""
    data = workbook(
        [
            ["species", "observed_at", "count", "evidence", "notes"],
            ["Grus japonensis", "2024-05-31 14:30", 1, "sighting", "fine"],
            ["Grus japonensis", "2024-05-31 14:40", "=1+1", "sighting", "sum"],
            ["Grus japonensis", "2024-05-31 14:50", 1, "sighting", '=HYPERLINK("http://x")'],
        ]
    )
    body = post(api, data, name="records.xlsx").json()
    assert body["created"] == 1
    assert [(e["row"], e["column"], e["code"]) for e in body["errors"]] == [
        (3, "count", "formula"),
        (4, "notes", "formula"),
    ]
    assert "Formulas" in body["errors"][0]["message"]


def test_a_workbook_row_with_a_thousand_columns_is_a_clear_error(api, anna):
    data = workbook(
        [["species", "observed_at", "evidence"], ["Grus japonensis", "2024-05-31", "sighting"]]
        + [["x"] * 1000]
    )
    refused(post(api, data, name="wide.xlsx"), "too_many_columns")


def test_an_empty_workbook_is_a_clear_error(api, anna):
    refused(post(api, workbook([]), name="empty.xlsx"), "empty_file")
