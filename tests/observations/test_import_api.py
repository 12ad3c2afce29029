"""File import through the API: Anna (ranger of Khankaisky) uploads her field app's CSV.

Bad rows come back with their row, column and message; good rows are kept; the same file
uploaded twice creates nothing the second time; a preview stores nothing; all-or-nothing
keeps nothing when one row is bad; only those who may record in a PA import into it.
"""

import datetime as dt
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import trans_real

from observations.models import ImportJob, Observation

pytestmark = pytest.mark.django_db

HEADER = "id,species,observed_at,latitude,longitude,count,evidence,notes"
GOOD = [
    "KH-1,Grus japonensis,2024-05-31 14:30,44.95,132.45,2,sighting,pair on the lake shore",
    "KH-2,даурский журавль,31.05.2024 06:10,44.91,132.40,1,call,",
    "KH-3,东北虎,2024/06/01 22:05,44.90,132.50,1,track,fresh tracks",
]


def csv_file(*rows, header=HEADER, name="field-app.csv", encoding="utf-8"):
    text = "\n".join([header, *rows]) + "\n"
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def upload(api, file, **options):
    return api.post("/api/v1/imports/", {"file": file, **options}, format="multipart")


@pytest.fixture
def anna(api, people, khankaisky):
    """Anna is ranger_ru: a ranger of Khankaisky Nature Reserve."""
    api.force_authenticate(people.ranger_ru)
    return people.ranger_ru


def test_good_rows_are_created_and_a_bad_row_is_reported_with_row_and_column(api, anna):
    """Three good rows become records; the bad one is listed as {row, column, message}."""
    bad = "KH-4,Grus japonensis,2024-06-02 07:00,north,132.45,1,sighting,"
    answer = upload(api, csv_file(*GOOD, bad), protected_area="RU-KHANKAISKY")
    assert answer.status_code == 201
    body = answer.json()
    assert body["status"] == "done"
    assert body["created"] == 3
    assert body["unchanged"] == 0
    assert body["invalid_rows"] == 1
    assert [(e["row"], e["column"], e["code"]) for e in body["errors"]] == [
        (5, "latitude", "not_a_number")
    ]
    assert "decimal degrees" in body["errors"][0]["message"]
    assert Observation.objects.count() == 3


def test_the_uploaded_file_is_kept_under_an_unguessable_name(api, anna):
    """The file holds exact locations: its stored name is random, its own name is kept apart."""
    body = upload(api, csv_file(*GOOD), protected_area="RU-KHANKAISKY").json()
    job = ImportJob.objects.get(pk=body["id"])
    assert body["filename"] == job.filename == "field-app.csv"
    assert job.file.name.startswith("imports/")
    assert "field-app" not in job.file.name
    assert len(job.file.name) == len("imports/") + 32 + len(".csv")


def test_records_are_drafts_of_the_importer_in_utc(api, anna, khankaisky):
    """Records are drafts from "import", by Anna, of this node; local times become UTC."""
    upload(api, csv_file(*GOOD), protected_area="RU-KHANKAISKY")
    crane = Observation.objects.get(notes="pair on the lake shore")
    assert crane.status == "draft"
    assert crane.source == "import"
    assert crane.created_by == anna
    assert crane.origin_node == "RU"
    assert crane.observer_code.startswith("RU-")
    assert crane.protected_area == khankaisky
    assert crane.count == 2
    # Khankaisky keeps Vladivostok time (UTC+10).
    assert crane.observed_at == dt.datetime(2024, 5, 31, 4, 30, tzinfo=dt.UTC)
    tiger = Observation.objects.get(notes="fresh tracks")
    assert tiger.species.scientific_name == "Panthera tigris altaica"
    assert tiger.observed_at == dt.datetime(2024, 6, 1, 12, 5, tzinfo=dt.UTC)


def test_each_record_has_its_audit_history_entry(api, anna):
    """The history says who created each record, when, and that it came from an import."""
    upload(api, csv_file(*GOOD), protected_area="RU-KHANKAISKY")
    history = Observation.history.all()
    assert history.count() == 3
    assert {(h.history_type, h.history_change_reason, h.history_user_id) for h in history} == {
        ("+", "import", anna.pk)
    }
    assert {h.id for h in history} == set(Observation.objects.values_list("id", flat=True))


def test_each_new_record_gets_its_change_feed_entry(api, anna):
    """Partner nodes learn of imported records from the change feed, like of any other."""
    from observations.models import ChangeEntry

    upload(api, csv_file(*GOOD), protected_area="RU-KHANKAISKY")
    entries = ChangeEntry.objects.filter(kind="observation", action="upsert")
    assert set(entries.values_list("record_id", flat=True)) == set(
        Observation.objects.values_list("id", flat=True)
    )
    upload(api, csv_file(*GOOD), protected_area="RU-KHANKAISKY")
    assert entries.count() == 3  # the re-upload changed nothing, so it says nothing


def test_the_same_file_uploaded_twice_creates_nothing_the_second_time(api, anna):
    """The second upload finds every row stored already: all unchanged."""
    first = upload(api, csv_file(*GOOD), protected_area="RU-KHANKAISKY").json()
    second = upload(api, csv_file(*GOOD), protected_area="RU-KHANKAISKY").json()
    assert (first["created"], first["unchanged"]) == (3, 0)
    assert (second["created"], second["unchanged"]) == (0, 3)
    assert Observation.objects.count() == 3
    assert Observation.history.count() == 3


def test_rows_without_an_id_are_recognised_by_their_content(api, anna):
    """No id column: the same rows again are unchanged, a changed row is a new record."""
    header = "species,observed_at,latitude,longitude,count,evidence"
    rows = ["Grus japonensis,2024-05-31 14:30,44.95,132.45,2,sighting"]
    upload(api, csv_file(*rows, header=header), protected_area="RU-KHANKAISKY")
    again = upload(api, csv_file(*rows, header=header), protected_area="RU-KHANKAISKY").json()
    changed = ["Grus japonensis,2024-05-31 14:30,44.95,132.45,3,sighting"]
    other = upload(api, csv_file(*changed, header=header), protected_area="RU-KHANKAISKY").json()
    assert (again["created"], again["unchanged"]) == (0, 1)
    assert (other["created"], other["unchanged"]) == (1, 0)
    assert Observation.objects.count() == 2


def test_a_uuid_in_the_id_column_is_the_records_id(api, anna):
    """A field app's own UUID is kept as the record's id."""
    own = uuid.uuid4()
    row = f"{own},Grus japonensis,2024-05-31 14:30,44.95,132.45,2,sighting,"
    upload(api, csv_file(row), protected_area="RU-KHANKAISKY")
    assert Observation.objects.get().pk == own


def test_a_changed_row_under_a_known_id_is_a_conflict(api, anna):
    """KH-1 said two cranes; a file saying three under KH-1 is refused for that row."""
    upload(api, csv_file(*GOOD), protected_area="RU-KHANKAISKY")
    changed = GOOD[0].replace(",2,sighting", ",3,sighting")
    body = upload(api, csv_file(changed, *GOOD[1:]), protected_area="RU-KHANKAISKY").json()
    assert body["created"] == 0
    assert body["unchanged"] == 2
    assert [(e["row"], e["column"], e["code"]) for e in body["errors"]] == [
        (2, "id", "id_conflict")
    ]
    assert Observation.objects.get(notes="pair on the lake shore").count == 2


def test_a_colleague_uploading_the_same_file_creates_no_duplicates(api, anna, people):
    """Boris (manager of Khankaisky) uploads Anna's file: her drafts are not his to see, so
    each row says it was imported by someone else, and no tiger is counted twice."""
    upload(api, csv_file(*GOOD), protected_area="RU-KHANKAISKY")
    api.force_authenticate(people.manager_ru)
    body = upload(api, csv_file(*GOOD), protected_area="RU-KHANKAISKY").json()
    assert body["created"] == 0
    assert {e["code"] for e in body["errors"]} == {"stored_by_someone_else"}
    assert Observation.objects.count() == 3


def test_rows_repeated_within_a_file(api, anna):
    """A row repeated as it is counts once; the same id with other content is an error."""
    changed = GOOD[0].replace(",2,sighting", ",5,sighting")
    body = upload(api, csv_file(GOOD[0], GOOD[0], changed), protected_area="RU-KHANKAISKY").json()
    assert (body["created"], body["unchanged"], body["invalid_rows"]) == (1, 1, 1)
    assert body["errors"][0]["row"] == 4
    assert "Row 2" in body["errors"][0]["message"]


def test_all_or_nothing_keeps_no_row_when_one_is_bad(api, anna):
    """With all_or_nothing, one bad row means nothing is stored, and the answer says why."""
    bad = "KH-4,Grus japonensis,2024-06-02 07:00,44.9,132.45,1,nest?,"
    body = upload(
        api, csv_file(*GOOD, bad), protected_area="RU-KHANKAISKY", all_or_nothing="true"
    ).json()
    assert body["created"] == 0
    assert body["invalid_rows"] == 1
    assert body["errors"][0]["column"] == "evidence"
    assert "Nothing was stored" in body["detail"]
    assert Observation.objects.count() == 0
    assert Observation.history.count() == 0


def test_all_or_nothing_keeps_every_row_when_all_are_good(api, anna):
    """A clean file is stored whole."""
    body = upload(
        api, csv_file(*GOOD), protected_area="RU-KHANKAISKY", all_or_nothing="true"
    ).json()
    assert (body["created"], body["error_count"]) == (3, 0)
    assert Observation.objects.count() == 3


def test_a_preview_stores_nothing_and_shows_what_would_happen(api, anna):
    """dry_run answers 200 with what would be created, the first rows, and the errors."""
    upload(api, csv_file(GOOD[0]), protected_area="RU-KHANKAISKY")
    bad = "KH-4,Felis silvestris,2024-06-02 07:00,44.9,132.45,1,sighting,"
    answer = upload(api, csv_file(*GOOD, bad), protected_area="RU-KHANKAISKY", dry_run="true")
    assert answer.status_code == 200
    body = answer.json()
    assert body["dry_run"] is True
    assert (body["created"], body["unchanged"], body["invalid_rows"]) == (2, 1, 1)
    assert [p["outcome"] for p in body["preview"]] == ["unchanged", "created", "created", "error"]
    assert body["preview"][1]["species"] == "Antigone vipio"
    assert body["errors"][0]["code"] == "unknown_species"
    assert Observation.objects.count() == 1


def test_a_confirmed_preview_imports_the_same_file(api, anna):
    """After the preview, confirm imports the stored file for real."""
    preview = upload(api, csv_file(*GOOD), protected_area="RU-KHANKAISKY", dry_run="true").json()
    answer = api.post(f"/api/v1/imports/{preview['id']}/confirm/")
    assert answer.status_code == 201
    assert answer.json()["created"] == 3
    assert answer.json()["dry_run"] is False
    assert Observation.objects.count() == 3


def test_a_reviewer_cannot_import(api, people):
    """Reviewers read; an import is refused with 403 and leaves no trace."""
    api.force_authenticate(people.reviewer)
    answer = upload(api, csv_file(*GOOD), protected_area="RU-KHANKAISKY")
    assert answer.status_code == 403
    assert answer.json()["code"] == "forbidden"
    assert ImportJob.objects.count() == 0
    assert Observation.objects.count() == 0


def test_an_anonymous_visitor_cannot_import(api, seeds):
    """No account, no import."""
    assert upload(api, csv_file(*GOOD)).status_code in (401, 403)


def test_a_ranger_cannot_choose_another_pa_for_the_file(api, people):
    """The outsider (ranger of Bastak) may not put a file into Khankaisky."""
    api.force_authenticate(people.outsider)
    answer = upload(api, csv_file(*GOOD), protected_area="RU-KHANKAISKY")
    assert answer.status_code == 400
    assert answer.json()["code"] == "not_your_protected_area"
    assert answer.json()["field"] == "protected_area"
    assert Observation.objects.count() == 0


def test_rows_naming_a_pa_the_ranger_may_not_record_in_are_refused(api, anna):
    """Rows for Bastak (not Anna's) or Xingkaihu (the other country's node) are refused,
    her own PA's row is kept."""
    header = "protected_area,species,observed_at,evidence"
    rows = [
        "RU-KHANKAISKY,Grus japonensis,2024-05-31 14:30,sighting",
        "RU-BASTAK,Grus japonensis,2024-05-31 14:30,sighting",
        "CN-XINGKAIHU,Grus japonensis,2024-05-31 14:30,sighting",
    ]
    body = upload(api, csv_file(*rows, header=header)).json()
    assert body["created"] == 1
    assert [(e["row"], e["code"]) for e in body["errors"]] == [
        (3, "not_your_protected_area"),
        (4, "not_your_protected_area"),
    ]
    assert {e["column"] for e in body["errors"]} == {"protected_area"}


def test_an_unknown_pa_for_the_file_is_refused(api, anna):
    """A PA code nobody knows is a clear 400 on the field."""
    answer = upload(api, csv_file(*GOOD), protected_area="RU-ATLANTIS")
    assert answer.status_code == 400
    assert answer.json()["field"] == "protected_area"


def test_someone_elses_import_is_not_found_but_the_admin_sees_it(api, anna, people):
    """Another ranger's job is a 404 (its existence does not leak); the admin may look."""
    job = upload(api, csv_file(*GOOD), protected_area="RU-KHANKAISKY").json()
    assert api.get(f"/api/v1/imports/{job['id']}/").status_code == 200
    api.force_authenticate(people.outsider)
    assert api.get(f"/api/v1/imports/{job['id']}/").status_code == 404
    assert api.get("/api/v1/imports/").json()["results"] == []
    api.force_authenticate(people.admin)
    assert api.get(f"/api/v1/imports/{job['id']}/").json()["created"] == 3


def test_a_running_import_reports_its_progress(api, anna):
    """GET on a job under way: status, rows read of how many, percent."""
    from django.core.files.base import ContentFile

    job = ImportJob.objects.create(
        user=anna,
        file=ContentFile(b"x", name="big.csv"),
        filename="big.csv",
        status="running",
        total_rows=8000,
        processed_rows=2000,
        created=1990,
        invalid_rows=10,
    )
    body = api.get(f"/api/v1/imports/{job.pk}/").json()
    assert (body["status"], body["processed_rows"], body["total_rows"]) == ("running", 2000, 8000)
    assert (body["percent"], body["created"], body["invalid_rows"]) == (25, 1990, 10)
    assert body["finished_at"] is None


def test_stored_errors_are_capped_with_the_total_count(api, anna):
    """A file of 1,200 bad rows keeps the first 1,000 errors and says there were 1,200."""
    rows = [f"X-{i},Grus japonensis,2024-05-31 14:30,abc,132.45,1,sighting," for i in range(1200)]
    body = upload(api, csv_file(*rows), protected_area="RU-KHANKAISKY").json()
    assert body["error_count"] == 1200
    assert len(body["errors"]) == 1000
    assert body["errors_truncated"] is True
    assert body["errors"][-1]["row"] == 1001


def _rows(n, first=0):
    start = dt.datetime(2024, 5, 1, 6, 0)
    return [
        f"Q-{i},Grus japonensis,{(start + dt.timedelta(minutes=i)).isoformat()},"
        f"44.9,132.4,1,sighting,"
        for i in range(first, first + n)
    ]


def test_the_number_of_queries_does_not_grow_with_the_rows(
    api, anna, django_assert_max_num_queries
):
    """Ten times the rows cost no query per row: at most one more per 15 rows (SQLite writes
    in batches of a few dozen rows; PostgreSQL's COPY is one statement per chunk)."""
    with django_assert_max_num_queries(40) as small:
        answer = upload(api, csv_file(*_rows(30)), protected_area="RU-KHANKAISKY")
    assert answer.json()["created"] == 30
    bound = len(small.captured_queries) + 300 // 15
    with django_assert_max_num_queries(bound):
        answer = upload(api, csv_file(*_rows(300, first=100)), protected_area="RU-KHANKAISKY")
    assert answer.json()["created"] == 300
    with django_assert_max_num_queries(bound):
        answer = upload(api, csv_file(*_rows(300, first=100)), protected_area="RU-KHANKAISKY")
    assert answer.json()["unchanged"] == 300


@pytest.fixture
def russian_words():
    """A few Russian translations put into the catalog for the test (the shipped catalog
    gets them from `make makemessages`): proves that the messages are looked up in the
    user's language when the answer is made."""
    words = {
        "Latitude must be a number in decimal degrees, e.g. 44.95.": (
            "Широта должна быть числом в десятичных градусах, например 44.95."
        ),
        "Unknown species: %(value)s.": "Неизвестный вид: %(value)s.",
        "The file is empty.": "Файл пуст.",
    }
    catalog = trans_real.translation("ru")._catalog
    for msgid, text in words.items():
        catalog[msgid] = text
    yield words
    for msgid in words:
        catalog._catalogs[0].pop(msgid, None)


def test_errors_are_in_the_users_language(api, anna, russian_words):
    """With Accept-Language ru, row errors and file errors come back in Russian."""
    rows = [
        "R-1,Grus japonensis,2024-05-31 14:30,север,132.45,1,sighting,",
        "R-2,Felis silvestris,2024-05-31 14:30,44.9,132.45,1,sighting,",
    ]
    body = api.post(
        "/api/v1/imports/",
        {"file": csv_file(*rows), "protected_area": "RU-KHANKAISKY"},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="ru",
    ).json()
    assert [e["message"] for e in body["errors"]] == [
        "Широта должна быть числом в десятичных градусах, например 44.95.",
        "Неизвестный вид: Felis silvestris.",
    ]
    empty = SimpleUploadedFile("empty.csv", b"", content_type="text/csv")
    answer = api.post(
        "/api/v1/imports/",
        {"file": empty, "protected_area": "RU-KHANKAISKY"},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert answer.status_code == 400
    assert answer.json()["detail"] == "Файл пуст."
