"""The import pages: Anna (ranger of Khankaisky) downloads the template, previews her file,
imports it, and follows a large import's progress; the reviewer finds no upload form."""

import io
import uuid

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from observations.models import ImportJob, Observation

pytestmark = pytest.mark.django_db

ROWS = (
    "species,observed_at,latitude,longitude,count,evidence\n"
    "Grus japonensis,2024-05-31 14:30,44.95,132.45,2,sighting\n"
    "Antigone vipio,2024-05-31 15:00,44.90,132.40,1,call\n"
    "Grus japonensis,2024-05-31 16:00,44.90,200,1,sighting\n"
)


@pytest.fixture
def anna(client, people, khankaisky):
    client.force_login(people.ranger_ru)
    return people.ranger_ru


def csv_upload(text=ROWS):
    return SimpleUploadedFile("cranes.csv", text.encode(), content_type="text/csv")


def test_the_upload_page_offers_the_rangers_pa_and_the_templates(client, anna):
    """Khankaisky is preselected; templates in three languages; the columns explained."""
    page = client.get("/en/imports/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in html
    assert '<option value="RU-KHANKAISKY" selected>' in html
    assert "/en/imports/template-ru.xlsx" in html
    assert "/en/imports/template-zh.csv" in html
    assert "scientificName" in html


def test_the_page_speaks_russian(client, anna):
    """Under /ru/ the column names of the Russian template are listed."""
    html = client.get("/ru/imports/").content.decode()
    assert "дата и время" in html
    assert 'lang="ru"' in html


def test_a_reviewer_sees_no_upload_form_and_cannot_post(client, people):
    """Reviewers read; the page says so and a POST is forbidden."""
    client.force_login(people.reviewer)
    html = client.get("/en/imports/").content.decode()
    assert "You may not import records" in html
    assert 'enctype="multipart/form-data"' not in html
    assert client.post("/en/imports/", {"file": csv_upload()}).status_code == 403
    assert ImportJob.objects.count() == 0


def test_a_visitor_must_log_in(client, seeds):
    assert client.get("/en/imports/").status_code == 302


def test_a_preview_then_a_confirmation(client, anna):
    """Preview: nothing stored, the errors and first rows shown, a button to import; the
    button imports the same file."""
    answer = client.post(
        "/en/imports/",
        {"file": csv_upload(), "protected_area": "RU-KHANKAISKY", "dry_run": "on"},
    )
    job = ImportJob.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == f"/en/imports/{job.pk}/"
    assert Observation.objects.count() == 0
    html = client.get(answer["Location"]).content.decode()
    assert "Preview of an import" in html
    assert "Longitude must be between -180 and 180." in html
    assert "Antigone vipio" in html
    assert "Import 2 records now" in html

    confirmed = client.post(f"/en/imports/{job.pk}/confirm/")
    new = ImportJob.objects.exclude(pk=job.pk).get()
    assert confirmed["Location"] == f"/en/imports/{new.pk}/"
    assert (new.dry_run, new.created, new.invalid_rows) == (False, 2, 1)
    assert Observation.objects.count() == 2


def test_an_import_shows_its_outcome(client, anna):
    """Straight import: counts and the table of errors with row and column."""
    answer = client.post("/en/imports/", {"file": csv_upload(), "protected_area": "RU-KHANKAISKY"})
    html = client.get(answer["Location"]).content.decode()
    assert Observation.objects.count() == 2
    assert '<dd id="import-created">2</dd>' in html
    assert "<td>longitude</td>" in html
    assert "Import another file" in html


def test_an_unreadable_file_is_explained_on_the_form(client, anna):
    """An empty file: the form again with the reason, nothing stored."""
    empty = SimpleUploadedFile("empty.csv", b"", content_type="text/csv")
    answer = client.post("/en/imports/", {"file": empty, "protected_area": "RU-KHANKAISKY"})
    assert answer.status_code == 400
    assert "The file is empty." in answer.content.decode()
    assert ImportJob.objects.count() == 0


def test_a_running_import_shows_its_progress_and_polls_the_api(client, anna):
    """A job still running: a progress bar and a few lines of script polling its API."""
    job = ImportJob.objects.create(
        user=anna,
        file=ContentFile(b"x", name="big.csv"),
        filename="big.csv",
        status="running",
        total_rows=8000,
        processed_rows=2000,
    )
    html = client.get(f"/en/imports/{job.pk}/").content.decode()
    assert '<progress id="import-bar" max="100" value="25"' in html
    assert f'data-api="/api/v1/imports/{job.pk}/"' in html
    assert "fetch(" in html
    assert "http" not in html.split("<script>")[1]  # nothing loaded from elsewhere


def test_someone_elses_import_page_is_not_found(client, anna, people):
    job = ImportJob.objects.create(
        user=people.manager_ru, file=ContentFile(b"x", name="a.csv"), filename="a.csv"
    )
    assert client.get(f"/en/imports/{job.pk}/").status_code == 404
    assert client.get(f"/en/imports/{uuid.uuid4()}/").status_code == 404


@pytest.mark.parametrize(
    ("language", "first", "date"),
    [
        ("en", "id", "observed_at"),
        ("ru", "идентификатор", "дата и время"),
        ("zh", "编号", "观察时间"),
    ],
)
def test_the_csv_template_opens_right_in_excel(client, seeds, language, first, date):
    """UTF-8 with a BOM (Excel on any Windows reads it), our headers in the language."""
    answer = client.get(f"/en/imports/template-{language}.csv")
    body = answer.content
    assert answer["Content-Disposition"] == f'attachment; filename="amur-records-{language}.csv"'
    assert body.startswith(b"\xef\xbb\xbf")
    headers = body[3:].decode().strip().split(",")
    assert headers[0] == first
    assert date in headers
    assert len(headers) == 18


def test_the_xlsx_template_has_the_headers_and_a_help_sheet(client, seeds):
    """Sheet one: the Chinese headers; sheet two: what to write in each column."""
    answer = client.get("/en/imports/template-zh.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(answer.content))
    records, notes = book.worksheets
    assert [c.value for c in records[1]][:4] == ["编号", "保护地", "物种", "观察时间"]
    assert notes.max_row == 19


def test_a_filled_in_template_imports(client, anna, api):
    """The downloaded Russian XLSX template, filled in by Anna, imports."""
    book = openpyxl.load_workbook(io.BytesIO(client.get("/ru/imports/template-ru.xlsx").content))
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[1]]
    row = dict.fromkeys(headers, None)
    row.update(
        {
            "охраняемая территория": "RU-KHANKAISKY",
            "вид": "дальневосточный аист",
            "дата и время": "31.05.2024 08:15",
            "количество": 2,
            "тип регистрации": "гнездо",
            "единица учёта": "гнёзда",
        }
    )
    sheet.append([row[h] for h in headers])
    out = io.BytesIO()
    book.save(out)
    api.force_authenticate(anna)
    upload = SimpleUploadedFile("filled.xlsx", out.getvalue())
    body = api.post("/api/v1/imports/", {"file": upload}, format="multipart").json()
    assert body["created"] == 1, body["errors"]
    stored = Observation.objects.get()
    assert (stored.evidence, stored.unit, stored.count) == ("nest", "nests", 2)


def test_an_unfilled_template_is_refused_clearly(api, anna, client):
    """Uploading the template as downloaded: no rows to import."""
    api.force_authenticate(anna)
    upload = SimpleUploadedFile("t.csv", client.get("/en/imports/template-en.csv").content)
    answer = api.post(
        "/api/v1/imports/", {"file": upload, "protected_area": "RU-KHANKAISKY"}, format="multipart"
    )
    assert answer.json()["code"] == "no_rows"


def test_an_unknown_template_is_not_found(client, seeds):
    assert client.get("/en/imports/template-fr.csv").status_code == 404
