"""One write path: a record imported from a file is stored as the records service stores one
record (its defaults, its history row, its change-feed entry), and a re-sent row is judged as
the API judges a re-sent record.

ranger_ru files a crane at Khankaisky through the API, then imports a file with the same
crane under another id, and files the same id again with the same or other content.
"""

import datetime as dt
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from observations.imports import services
from observations.models import ChangeEntry, Observation
from observations.records.services import observer_code

pytestmark = pytest.mark.django_db

WHEN = (timezone.now() - dt.timedelta(days=2)).replace(microsecond=0, second=0)
HEADER = "id,protected_area,species,observed_at,latitude,longitude,count,evidence"


def crane(**overrides) -> dict:
    body = {
        "protected_area": "RU-KHANKAISKY",
        "species": "Grus japonensis",
        "observed_at": WHEN.isoformat(),
        "latitude": 44.951234,
        "longitude": 132.451234,
        "count": 4,
        "evidence": "sighting",
    }
    body.update(overrides)
    return body


def as_file(*records: tuple[uuid.UUID, dict]) -> SimpleUploadedFile:
    lines = [HEADER]
    for record_id, body in records:
        cells = [str(record_id)] + [str(body[name]) for name in HEADER.split(",")[1:]]
        lines.append(",".join(cells))
    return SimpleUploadedFile("cranes.csv", ("\n".join(lines) + "\n").encode(), "text/csv")


def trace(record_id) -> tuple[list, list]:
    """What the write left besides the record: its history rows and feed entries."""
    history = list(
        Observation.history.filter(id=record_id)
        .order_by("history_id")
        .values_list(
            "history_type",
            "history_user_id",
            "created_by_id",
            "updated_by_id",
            "status",
            "origin_node",
            "observer_code",
        )
    )
    feed = list(
        ChangeEntry.objects.filter(record_id=record_id)
        .order_by("seq")
        .values_list("kind", "action", "partner_code")
    )
    return history, feed


@pytest.fixture
def ranger(api, people, khankaisky):
    api.force_authenticate(people.ranger_ru)
    return people.ranger_ru


def test_an_imported_record_has_the_history_and_feed_entry_of_a_record_filed_by_the_api(
    api, ranger
):
    filed = api.post("/api/v1/observations/", crane(), format="json")
    assert filed.status_code == 201, filed.json()
    imported_id = uuid.uuid4()
    job = services.import_job_create(user=ranger, upload=as_file((imported_id, crane())))
    assert (job.status, job.created) == ("done", 1), job.errors

    by_api, by_import = trace(filed.json()["id"]), trace(imported_id)
    assert by_import == by_api
    assert by_import[0][0][:2] == ("+", ranger.pk)
    assert by_import[1] == [("observation", "upsert", None)]
    made = Observation.objects.get(pk=filed.json()["id"])
    imported = Observation.objects.get(pk=imported_id)
    assert (imported.source, made.source) == ("import", "api")
    assert Observation.history.get(id=imported_id).history_change_reason == "import"


def test_a_re_sent_row_is_judged_as_the_api_judges_a_re_sent_record(api, ranger):
    record_id = uuid.uuid4()
    filed = api.post("/api/v1/observations/", {**crane(), "id": str(record_id)}, format="json")
    assert filed.status_code == 201, filed.json()

    # The same content: not a conflict, nothing written (as the API answers a re-send).
    same = services.import_job_create(user=ranger, upload=as_file((record_id, crane())))
    assert (same.created, same.unchanged, same.error_count) == (0, 1, 0)
    again = api.post("/api/v1/observations/", {**crane(), "id": str(record_id)}, format="json")
    assert again.status_code in (200, 201)
    assert again.json()["id"] == str(record_id)

    # Other content: a conflict, for the import as for the API.
    other = services.import_job_create(user=ranger, upload=as_file((record_id, crane(count=5))))
    assert (other.created, other.invalid_rows) == (0, 1)
    assert other.errors[0]["code"] == "id_conflict"
    answer = api.post(
        "/api/v1/observations/", {**crane(count=5), "id": str(record_id)}, format="json"
    )
    assert answer.status_code == 409
    assert answer.json()["code"] == "id_conflict"
    code = observer_code(ranger)
    assert trace(record_id) == (
        [("+", ranger.pk, ranger.pk, ranger.pk, "draft", "RU", code)],
        [("observation", "upsert", None)],
    )


def test_a_bulk_write_leaves_out_an_id_stored_meanwhile_and_writes_the_rest_once(
    people, khankaisky
):
    """The careful way of the bulk form (an id stored by another writer since the file was
    checked): the stored record is left as it is, the new one gets its record, its one
    history row and its one feed entry."""
    from django.db import transaction

    from observations.models import Species
    from observations.records.bulk import ObservationBatch, observations_bulk_create

    ranger = people.ranger_ru
    crane_species = Species.objects.get(scientific_name="Grus japonensis")
    cleaned = {
        "protected_area": khankaisky,
        "species": crane_species,
        "event": None,
        "observed_at": WHEN,
        "latitude": 44.951234,
        "longitude": 132.451234,
        "coordinate_uncertainty_m": None,
        "count": 4,
        "count_min": None,
        "count_max": None,
        "unit": "individuals",
        "sex": "unknown",
        "age_class": "unknown",
        "evidence": "sighting",
        "individual": None,
        "notes": "",
    }
    batch = ObservationBatch(user=ranger, now=timezone.now(), source="import", reason="import")
    stored, new = uuid.uuid4(), uuid.uuid4()
    with transaction.atomic():
        assert observations_bulk_create(batch, [batch.row(stored, cleaned)]) == {stored}
    with transaction.atomic():
        created = observations_bulk_create(
            batch, [batch.row(stored, {**cleaned, "count": 9}), batch.row(new, cleaned)]
        )
    assert created == {new}
    assert Observation.objects.get(pk=stored).count == 4
    assert Observation.history.filter(id=stored).count() == 1
    assert Observation.history.filter(id=new).count() == 1
    assert ChangeEntry.objects.filter(record_id=new).count() == 1
    assert ChangeEntry.objects.filter(record_id=stored).count() == 1
