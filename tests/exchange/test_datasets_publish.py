"""Publishing a shared dataset: a version is a frozen copy of what the query selects, with
its places generalised, its row count, checksum and citation; later edits of the records
never change it, and later versions add and remove records.

coordinator_ru publishes "Khanka tigers and cranes" (dataset_stories): Khankaisky's three
records and Xingkaihu's two received from the Chinese node.
"""

import datetime as dt
import hashlib
import json
import uuid

import pytest

from exchange.datasets import checksum as checksums
from exchange.models import DatasetRow, DatasetVersion
from observations.disclosure.grid import generalise
from observations.models import Observation, Species

from ..waiting import wait_until
from .dataset_stories import TITLE, client, make_dataset, publish_version, rows_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def khanka(people, khankaisky, xingkaihu):
    return make_dataset(people, khankaisky, xingkaihu)


def all_rows(person, dataset, number=1) -> list[dict]:
    answer = client(person).get(rows_url(dataset, number, "?limit=1000"))
    assert answer.status_code == 200, answer.json()
    return answer.json()["results"]


def recomputed_checksum(rows: list[dict]) -> str:
    """The README's recipe, written again from the rows the API gives."""

    def utc(text):
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(dt.UTC)
        return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    digest = hashlib.sha256(b"amur-dataset-rows/1\n")
    digest.update((json.dumps(list(checksums.FIELDS), separators=(",", ":")) + "\n").encode())
    for row in sorted(rows, key=lambda r: r["record_id"]):
        values = [utc(row[f]) if f == "observed_at" else row[f] for f in checksums.FIELDS]
        line = json.dumps(values, ensure_ascii=False, separators=(",", ":")) + "\n"
        digest.update(line.encode())
    return digest.hexdigest()


def frozen(version) -> list[tuple]:
    return list(
        DatasetRow.objects.filter(version=version)
        .order_by("record_id")
        .values_list(*checksums.FIELDS)
    )


# --- a version --------------------------------------------------------------------------


def test_a_version_freezes_what_the_query_selects_with_count_checksum_and_citation(people, khanka):
    dataset, records = khanka
    answer = client(people.coordinator_ru).post(
        f"/api/v1/datasets/{dataset.pk}/publish/", {"note": "first cut"}, format="json"
    )
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert (body["number"], body["status"], body["row_count"]) == (1, "published", 5)
    expected = {str(records[name].pk) for name in records if name != "route"}
    assert {r["record_id"] for r in all_rows(people.reviewer, dataset)} == expected
    assert [c["code"] for c in body["contributors"]] == ["CN-XINGKAIHU", "RU-KHANKAISKY"]
    assert len(body["checksum"]) == 64
    citation = body["citation"]
    for part in (
        "Xingkaihu National Nature Reserve",
        "Khankaisky",
        TITLE,
        "Version 1",
        "CC-BY-4.0",
        body["checksum"],
    ):
        assert part in citation, part
    assert body["description_ru"].startswith("Совместный") and body["description_zh"]


def test_the_checksum_is_sha256_of_the_canonical_rows_and_anyone_can_recompute_it(people, khanka):
    dataset, _records = khanka
    version = publish_version(people, dataset)
    rows = all_rows(people.outsider, dataset)
    assert recomputed_checksum(rows) == version.checksum
    assert checksums.version_checksum(version) == version.checksum


def test_places_are_frozen_generalised_as_each_species_allows(people, khanka):
    """Tigers at 10 km, cranes at 1 km: exact places never enter the snapshot."""
    dataset, records = khanka
    version = publish_version(people, dataset)
    for name in ("ru_tiger", "ru_cranes", "cn_tiger", "cn_cranes"):
        record = records[name]
        row = DatasetRow.objects.get(version=version, record_id=record.pk)
        pa = record.protected_area
        place = generalise(
            record.latitude,
            record.longitude,
            precision=record.species.sensitivity,
            uncertainty_m=record.coordinate_uncertainty_m,
            pa_centroid=(pa.centroid_lat, pa.centroid_lon),
        )
        assert (row.latitude, row.longitude) == (place.latitude, place.longitude), name
        assert row.coordinate_uncertainty_m == place.uncertainty_m, name
        assert row.location_precision == record.species.sensitivity, name
    snapshot = json.dumps(list(DatasetRow.objects.filter(version=version).values()), default=str)
    for exact in ("44.9876543", "132.4567891", "45.2345678", "132.6789012", "44.98765"):
        assert exact not in snapshot


def test_a_coarser_dataset_precision_coarsens_every_species_never_the_other_way(
    people, khankaisky, xingkaihu
):
    dataset, records = make_dataset(people, khankaisky, xingkaihu, precision="10km")
    version = publish_version(people, dataset)
    precisions = set(
        DatasetRow.objects.filter(version=version).values_list("location_precision", flat=True)
    )
    assert precisions == {"10km"}
    crane = DatasetRow.objects.get(version=version, record_id=records["ru_cranes"].pk)
    assert (crane.latitude, crane.longitude) == (44.95, 132.55)


# --- frozen -----------------------------------------------------------------------------


def test_a_published_version_never_changes_when_records_change_later(people, khanka):
    dataset, records = khanka
    version = publish_version(people, dataset)
    rows_before = frozen(version)
    api_before = all_rows(people.reviewer, dataset)

    Observation.objects.filter(pk=records["ru_cranes"].pk).update(count=40, notes="recount")
    Observation.objects.filter(pk=records["ru_tiger"].pk).update(latitude=44.5, longitude=131.9)
    Observation.objects.filter(pk=records["ru_waiting"].pk).update(
        status="rejected", rejection_reason="blurred"
    )
    Observation.objects.filter(pk=records["cn_cranes"].pk).delete()  # withdrawn by its owner
    Species.objects.filter(scientific_name="Grus japonensis").update(sensitivity="10km")

    version.refresh_from_db()
    assert frozen(version) == rows_before
    assert all_rows(people.reviewer, dataset) == api_before
    assert checksums.version_checksum(version) == version.checksum
    assert recomputed_checksum(all_rows(people.reviewer, dataset)) == version.checksum
    assert version.row_count == 5

    newer = publish_version(people, dataset, note="after the recount")
    assert newer.number == 2 and newer.row_count == 3
    assert newer.checksum != version.checksum
    assert frozen(version) == rows_before  # still


def test_later_versions_add_and_leave_out_records_and_old_ones_stay_readable(
    people, khanka, khankaisky
):
    dataset, records = khanka
    first = publish_version(people, dataset)
    crane = Species.objects.get(scientific_name="Grus japonensis")
    late = Observation.objects.create(
        protected_area=khankaisky,
        species=crane,
        observed_at=dt.datetime(2024, 6, 1, 4, 0, tzinfo=dt.UTC),
        latitude=44.9,
        longitude=132.4,
        count=6,
        evidence="sighting",
        status="verified",
        created_by=people.ranger_ru,
    )
    api = client(people.coordinator_ru)
    left_out = str(records["cn_cranes"].pk)
    patched = api.patch(
        f"/api/v1/datasets/{dataset.pk}/", {"excluded_records": [left_out]}, format="json"
    )
    assert patched.status_code == 200, patched.json()
    second = publish_version(people, dataset)
    second_ids = {r["record_id"] for r in all_rows(people.reviewer, dataset, 2)}
    assert str(late.pk) in second_ids and left_out not in second_ids
    first_ids = {r["record_id"] for r in all_rows(people.reviewer, dataset, 1)}
    assert left_out in first_ids and str(late.pk) not in first_ids
    assert (first.row_count, second.row_count) == (5, 5)
    assert second.excluded_records == [left_out] and first.excluded_records == []


def test_records_received_from_the_partner_can_be_left_out(people, khankaisky, xingkaihu):
    dataset, _records = make_dataset(people, khankaisky, xingkaihu, include_received=False)
    version = publish_version(people, dataset)
    assert set(
        DatasetRow.objects.filter(version=version).values_list("origin_node", flat=True)
    ) == {"RU"}
    assert version.row_count == 3


# --- refused ----------------------------------------------------------------------------


def test_an_empty_query_is_refused_and_publishes_nothing(people, khanka):
    dataset, _records = khanka
    api = client(people.coordinator_ru)
    api.patch(
        f"/api/v1/datasets/{dataset.pk}/",
        {"query": {"species": ["Panthera pardus orientalis"]}},
        format="json",
    )
    answer = api.post(f"/api/v1/datasets/{dataset.pk}/publish/", {}, format="json")
    assert answer.status_code == 400
    assert answer.json()["code"] == "empty_dataset"
    assert "nothing to publish" in answer.json()["detail"]
    assert not DatasetVersion.objects.exists()


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"title": ""}, "title_required"),
        ({"title": "x", "licence": "all rights reserved"}, "unknown_licence"),
        ({"title": "x", "precision": "100m"}, "unknown_precision"),
        ({"title": "x", "query": {"species": ["Panthera leo"]}}, "unknown_species"),
        ({"title": "x", "query": {"colour": "red"}}, "unknown_filter"),
        ({"title": "x", "query": {"status": ["draft"]}}, "bad_status"),
        ({"title": "x", "query": {"observed_after": "spring"}}, "bad_date"),
        ({"title": "x", "excluded_records": ["not-a-uuid"]}, "bad_excluded_records"),
        ({"title": "x", "excluded_records": "everything"}, "bad_excluded_records"),
    ],
)
def test_a_bad_definition_is_refused_with_a_clear_code(people, seeds, body, code):
    answer = client(people.coordinator_ru).post("/api/v1/datasets/", body, format="json")
    assert answer.status_code == 400, answer.json()
    assert answer.json()["code"] == code
    assert answer.json()["detail"]


def test_publishing_an_unknown_dataset_answers_404(people, seeds):
    answer = client(people.coordinator_ru).post(f"/api/v1/datasets/{uuid.uuid4()}/publish/")
    assert answer.status_code == 404
    assert answer.json()["code"] == "unknown_dataset"


# --- a big version: a worker freezes it --------------------------------------------------


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_big_version_is_frozen_by_a_worker(
    people, khankaisky, xingkaihu, celery_worker, settings
):
    settings.DATASET_PUBLISH_ASYNC_ROWS = 2
    dataset, _records = make_dataset(people, khankaisky, xingkaihu)
    api = client(people.coordinator_ru)
    answer = api.post(f"/api/v1/datasets/{dataset.pk}/publish/", {}, format="json")
    assert answer.status_code == 202, answer.json()
    assert answer.json()["status"] == "building"
    body = wait_until(
        lambda: (seen := api.get(answer["Location"]).json())["status"] != "building" and seen,
        timeout=60,
        message="the version to be built",
    )
    assert body["status"] == "published", body
    assert body["row_count"] == 5
    version = DatasetVersion.objects.get(pk=body["id"])
    assert checksums.version_checksum(version) == body["checksum"]


def test_a_worker_that_finds_nothing_to_freeze_marks_the_version_failed(people, khanka, settings):
    """The records went away between the request and the worker: the version says so."""
    from exchange.datasets.publish import version_build

    settings.DATASET_PUBLISH_ASYNC_ROWS = 2
    dataset, _records = khanka
    version = publish_version(people, dataset)  # on commit a worker would start: not here
    assert version.status == "building"
    Observation.objects.all().delete()
    built = version_build(version_id=version.pk)
    assert built.status == "failed" and "nothing to publish" in built.error
    assert not DatasetRow.objects.filter(version=version).exists()


def test_building_a_published_version_again_changes_nothing(people, khanka):
    from exchange.datasets.publish import version_build

    dataset, _records = khanka
    version = publish_version(people, dataset)
    rows = frozen(version)
    again = version_build(version_id=version.pk)
    assert (again.status, again.checksum) == ("published", version.checksum)
    assert frozen(version) == rows
