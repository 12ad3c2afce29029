"""Downloading a version: CSV, XLSX and a Darwin Core Archive, built by a real Celery worker
through the export machinery from the version's frozen rows, with its citation and
checksum.

outsider (an invited reviewer from Bastak) downloads version 1 of "Khanka tigers and
cranes" after the records have changed: the files hold the rows as published.
"""

import csv
import io

import pytest
from django.test import Client
from dwca.read import DwCAReader
from openpyxl import load_workbook

from exchange.exports.dwca.columns import DWC, OCCURRENCE_ROW
from exchange.models import DatasetRow, ExportJob
from observations.models import Observation

from ..waiting import wait_for_answer, wait_for_job
from .dataset_stories import client, fresh, make_dataset, publish_version

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.celery]


@pytest.fixture
def version(celery_worker, people, khankaisky, xingkaihu):
    dataset, records = make_dataset(people, khankaisky, xingkaihu)
    version = publish_version(people, dataset)
    Observation.objects.filter(pk=records["ru_cranes"].pk).update(count=99)  # after publishing
    return version


def download(person, version, fmt) -> tuple[dict, bytes]:
    api = client(person)
    url = f"/api/v1/datasets/{version.dataset_id}/versions/{version.number}/downloads/"
    answer = api.post(url, {"format": fmt}, format="json")
    assert answer.status_code == 202, answer.json()
    job, _seen = wait_for_answer(api, answer["Location"], timeout=120)
    assert job["status"] == "done", job
    data = api.get(job["download"])
    assert data.status_code == 200
    return job, b"".join(data.streaming_content)


def snapshot(version) -> dict:
    return {str(r.record_id): r for r in DatasetRow.objects.filter(version=version)}


def test_a_csv_holds_the_rows_as_published(people, version):
    job, data = download(people.outsider, version, "csv")
    assert job["filename"].endswith(f"-v1-{version.checksum[:12]}.csv")
    assert job["page"].startswith("/") and job["total_rows"] == 5
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    frozen = snapshot(version)
    assert {r["Record id"] for r in rows} == set(frozen)
    for row in rows:
        was = frozen[row["Record id"]]
        assert float(row["Latitude"]) == was.latitude
        assert float(row["Longitude"]) == was.longitude
        assert int(row["Count"]) == was.count
    assert not any(r["Count"] == "99" for r in rows)


def test_an_xlsx_carries_the_citation_and_the_checksum(people, version, tmp_path):
    _job, data = download(people.outsider, version, "xlsx")
    path = tmp_path / "v1.xlsx"
    path.write_bytes(data)
    book = load_workbook(path, read_only=True)
    assert book.sheetnames == ["Records", "Citation"]
    records = list(book["Records"].iter_rows(values_only=True))
    assert len(records) == 1 + 5
    about = dict(book["Citation"].iter_rows(values_only=True))
    assert about["Citation"] == version.citation
    assert about["Checksum (SHA-256)"] == version.checksum
    assert about["Rows"] == "5" and about["Version"] == "1"
    assert about["Description (Russian)"].startswith("Совместный")


def test_a_darwin_core_archive_of_the_version(people, version, tmp_path):
    job, data = download(people.reviewer, version, "dwca")
    assert job["filename"].endswith(".zip")
    path = tmp_path / "v1.zip"
    path.write_bytes(data)
    frozen = snapshot(version)
    with DwCAReader(str(path)) as archive:
        assert archive.descriptor.core.type == OCCURRENCE_ROW
        rows = {row.id: row.data for row in archive}
        assert set(rows) == set(frozen)
        for key, row in rows.items():
            was = frozen[key]
            assert float(row[DWC + "decimalLatitude"]) == was.latitude
            assert row[DWC + "datasetID"] == str(version.pk)
            assert row[DWC + "scientificName"] == was.scientific_name
            generalised = was.location_precision != "exact"
            assert bool(row[DWC + "dataGeneralizations"]) == generalised
        eml = archive.metadata
        text = archive.open_included_file("eml.xml").read()
    assert version.citation in text and version.checksum in text
    assert eml is not None


def test_the_same_file_is_not_built_twice_and_a_bad_format_is_refused(people, version):
    first, _data = download(people.outsider, version, "csv")
    again, _data = download(people.outsider, version, "csv")
    assert first["id"] == again["id"]
    api = client(people.outsider)
    url = f"/api/v1/datasets/{version.dataset_id}/versions/1/downloads/"
    bad = api.post(url, {"format": "pdf"}, format="json")
    assert bad.status_code == 400 and bad.json()["code"] == "unknown_format"


def test_the_download_pages(people, version):
    browser = Client()
    browser.force_login(fresh(people.outsider))
    url = f"/en/exchange/datasets/{version.dataset_id}/v/1/download/"
    answer = browser.post(url, {"format": "csv"})
    assert answer.status_code == 302
    job = ExportJob.objects.get(user=people.outsider, dataset_version=version)
    wait_for_job(job, timeout=60)
    page = browser.get(answer["Location"]).content.decode()
    assert version.checksum in page and "download-file" in page
    file = browser.get(f"/en/exchange/datasets/downloads/{job.pk}/file/")
    assert file.status_code == 200 and b"".join(file.streaming_content)
    other = Client()
    other.force_login(fresh(people.reviewer))  # not her download
    assert other.get(f"/en/exchange/datasets/downloads/{job.pk}/file/").status_code == 404
    bad = browser.post(url, {"format": "pdf"})
    assert bad.status_code == 400


def test_a_removed_reviewer_can_no_longer_fetch_her_file(people, version):
    job, _data = download(people.outsider, version, "csv")
    version.dataset.reviewers.filter(user=people.outsider).delete()
    answer = client(people.outsider).get(job["download"])
    assert answer.status_code == 404
