"""Large files are imported by a real Celery worker (never eager mode), with progress.

Anna (ranger of Khankaisky) uploads a season of camera-trap records: more rows than
IMPORT_ASYNC_ROWS, so the upload answers 202 at once and a worker does the import while her
page polls ``GET /api/v1/imports/{id}/``. A task delivered twice, or interrupted and run
again, creates nothing twice.
"""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from observations.imports import job_run, services
from observations.imports.tasks import import_rows
from observations.models import ChangeEntry, ImportJob, Observation

from ..waiting import wait_for_answer

HEADER = "id,species,observed_at,latitude,longitude,count,evidence"


def season(rows: int, *, bad_rows=()) -> SimpleUploadedFile:
    start = dt.datetime(2023, 11, 1, 18, 0)
    lines = [HEADER]
    for i in range(rows):
        when = (start + dt.timedelta(minutes=17 * i)).strftime("%d.%m.%Y %H:%M")
        latitude = "n/a" if i in bad_rows else f"{44.7 + (i % 50) / 100:.2f}"
        lines.append(f"CT-{i:05d},Panthera tigris altaica,{when},{latitude},132.45,1,camera")
    data = ("\n".join(lines) + "\n").encode()
    return SimpleUploadedFile("camera-traps.csv", data, content_type="text/csv")


def wait_until_finished(api, url: str, timeout: float = 180) -> tuple[dict, list[int]]:
    body, seen = wait_for_answer(api, url, timeout=timeout)
    return body, [each["processed_rows"] for each in seen]


@pytest.fixture
def anna(api, people, khankaisky):
    api.force_authenticate(people.ranger_ru)
    return people.ranger_ru


@pytest.mark.celery
def test_a_file_over_five_thousand_rows_is_imported_by_a_worker(celery_worker, api, anna):
    """202 at once; the worker imports all 6,000 rows; progress only ever grows."""
    answer = api.post(
        "/api/v1/imports/",
        {"file": season(6000), "protected_area": "RU-KHANKAISKY"},
        format="multipart",
    )
    assert answer.status_code == 202
    assert answer.json()["status"] in ("pending", "running", "done")
    assert answer.json()["total_rows"] == 6000
    assert answer["Location"] == answer.json()["url"]
    body, progress = wait_until_finished(api, answer.json()["url"])
    assert body["status"] == "done", body["detail"]
    assert (body["created"], body["processed_rows"], body["percent"]) == (6000, 6000, 100)
    assert progress == sorted(progress)
    assert Observation.objects.count() == 6000
    assert Observation.history.filter(history_change_reason="import").count() == 6000
    assert ChangeEntry.objects.filter(kind="observation").count() == 6000

    # The task delivered again (acks_late after a lost worker) leaves everything as it was.
    again = import_rows.delay(body["id"]).get(timeout=60)
    assert again["status"] == "done"
    assert ImportJob.objects.get(pk=body["id"]).created == 6000
    assert Observation.objects.count() == 6000

    # And the whole file uploaded again creates nothing.
    second = api.post(
        "/api/v1/imports/",
        {"file": season(6000), "protected_area": "RU-KHANKAISKY"},
        format="multipart",
    ).json()
    body, _progress = wait_until_finished(api, second["url"])
    assert (body["created"], body["unchanged"]) == (0, 6000)
    assert Observation.objects.count() == 6000
    assert ChangeEntry.objects.filter(kind="observation").count() == 6000


@pytest.mark.celery
def test_all_or_nothing_in_the_background_keeps_nothing_when_a_row_is_bad(
    celery_worker, api, anna, settings
):
    """The worker checks the whole file first; one bad row and nothing is stored."""
    settings.IMPORT_ASYNC_ROWS = 100
    answer = api.post(
        "/api/v1/imports/",
        {
            "file": season(300, bad_rows={250}),
            "protected_area": "RU-KHANKAISKY",
            "all_or_nothing": "true",
        },
        format="multipart",
    )
    assert answer.status_code == 202
    body, _progress = wait_until_finished(api, answer.json()["url"])
    assert (body["status"], body["created"], body["invalid_rows"]) == ("done", 0, 1)
    assert body["errors"][0]["row"] == 252
    assert Observation.objects.count() == 0


@pytest.mark.django_db
def test_an_interrupted_job_resumes_after_its_last_committed_chunk(
    anna, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """A job whose worker died after 40 of 100 rows carries on at row 41."""
    settings.IMPORT_ASYNC_ROWS = 10
    for name in ("READ_ROWS", "CHUNK_ROWS", "MAX_CHUNK_ROWS"):
        monkeypatch.setattr(job_run, name, 20)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        job = services.import_job_create(
            user=anna, upload=season(100), protected_area="RU-KHANKAISKY"
        )
    assert len(queued) == 1  # the task is enqueued when the upload commits
    assert job.status == "pending"
    ImportJob.objects.filter(pk=job.pk).update(status="running", processed_rows=40, created=40)
    job = services.import_job_run(job_id=job.pk)
    assert (job.status, job.created, job.processed_rows) == ("done", 100, 100)
    assert Observation.objects.count() == 60  # rows 1-40 belonged to the lost run
    assert services.import_job_run(job_id=job.pk).created == 100


@pytest.mark.django_db
def test_a_job_that_fails_says_so_and_keeps_nothing_half_done(anna, settings, monkeypatch):
    """An unexpected failure while writing rolls back its chunk and marks the job failed."""
    from observations.imports import writing

    def broken(self, rows):
        raise RuntimeError("disk full")

    monkeypatch.setattr(writing.Writer, "start", broken)
    job = services.import_job_create(user=anna, upload=season(30), protected_area="RU-KHANKAISKY")
    assert job.status == "failed"
    assert job.detail
    assert job.created == 0
    assert Observation.objects.count() == 0
    assert Observation.history.count() == 0


@pytest.mark.django_db
def test_a_failure_midway_keeps_the_finished_chunks_whole_and_nothing_of_the_failed_one(
    anna, monkeypatch
):
    """Chunk 1 (10 rows) is committed with its progress; chunk 2 fails after its rows were
    written: they are rolled back with their history, and the job says it failed."""
    for name in ("READ_ROWS", "CHUNK_ROWS", "MAX_CHUNK_ROWS"):
        monkeypatch.setattr(job_run, name, 10)
    original = job_run._Run._tally
    calls = []

    def count_then_fail(self, rows):
        calls.append(len(rows))
        if len(calls) == 2:
            raise RuntimeError("worker lost")
        return original(self, rows)

    monkeypatch.setattr(job_run._Run, "_tally", count_then_fail)
    job = services.import_job_create(user=anna, upload=season(30), protected_area="RU-KHANKAISKY")
    assert job.status == "failed"
    assert (job.created, job.processed_rows) == (10, 10)
    assert Observation.objects.count() == 10
    assert Observation.history.count() == 10


@pytest.mark.django_db(transaction=True)
def test_outside_any_transaction_a_failure_midway_also_keeps_whole_chunks(
    anna, monkeypatch, khankaisky
):
    """As a worker runs it (no outer transaction; on PostgreSQL the writer's thread then
    commits each chunk itself): chunk 1 is kept with its progress, chunk 2 not at all."""
    from observations.imports import writing

    for name in ("READ_ROWS", "CHUNK_ROWS", "MAX_CHUNK_ROWS"):
        monkeypatch.setattr(job_run, name, 10)
    calls = []

    def failing(original):
        def write(self, *args):
            calls.append(1)
            if len(calls) == 2:
                raise RuntimeError("disk full")
            return original(self, *args)

        return write

    monkeypatch.setattr(writing.Writer, "_copy_rows", failing(writing.Writer._copy_rows))
    monkeypatch.setattr(writing.Writer, "_bulk_create", failing(writing.Writer._bulk_create))
    job = services.import_job_create(user=anna, upload=season(30), protected_area="RU-KHANKAISKY")
    job.refresh_from_db()
    assert job.status == "failed"
    assert (job.created, job.processed_rows) == (10, 10)
    assert Observation.objects.count() == 10
    assert Observation.history.count() == 10
    assert ChangeEntry.objects.filter(kind="observation").count() == 10


def test_the_import_task_is_built_for_redelivery():
    """Late acknowledgement, bounded retries, soft and hard time limits."""
    assert import_rows.acks_late is True
    assert import_rows.max_retries == 3
    assert 0 < import_rows.soft_time_limit < import_rows.time_limit
