"""Comparing two versions: exactly the records added, removed and changed, as a table (the
API and the page) and as a CSV download.

Between version 1 and 2 of "Khanka tigers and cranes": a new crane record is filed
(added); the Chinese node withdraws its tiger (removed); the crane pair is recounted,
the waiting record verified and the tiger's count corrected (changed); the tiger's notes
are corrected too, but a tiger's notes are withheld from a dataset (its place is
generalised), and the crane flock's point moves by 50 m, inside its 1 km cell: the
published rows cannot show either (not changed); the rest stays as it was.
"""

import csv
import datetime as dt
import io

import pytest
from django.test import Client

from exchange.datasets import definition
from observations.access import access_for
from observations.models import Observation, Species

from .dataset_stories import client, fresh, make_dataset, publish_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_versions(people, khankaisky, xingkaihu):
    dataset, records = make_dataset(people, khankaisky, xingkaihu)
    publish_version(people, dataset)
    late = Observation.objects.create(
        protected_area=khankaisky,
        species=Species.objects.get(scientific_name="Grus japonensis"),
        observed_at=dt.datetime(2024, 6, 1, 4, 0, tzinfo=dt.UTC),
        latitude=44.9,
        longitude=132.4,
        count=6,
        evidence="sighting",
        status="verified",
        created_by=people.ranger_ru,
    )
    Observation.objects.filter(pk=records["cn_tiger"].pk).delete()
    Observation.objects.filter(pk=records["ru_cranes"].pk).update(count=3, count_min=2)
    Observation.objects.filter(pk=records["ru_waiting"].pk).update(status="verified")
    Observation.objects.filter(pk=records["ru_tiger"].pk).update(
        count=2, notes="fresh tracks, west"
    )
    Observation.objects.filter(pk=records["cn_cranes"].pk).update(latitude=45.1239)
    publish_version(people, dataset, note="recount")
    records["late"] = late
    return dataset, records


def pk(records, name) -> str:
    return str(records[name].pk)


def test_the_comparison_lists_exactly_the_added_removed_and_changed_records(people, two_versions):
    dataset, records = two_versions
    answer = client(people.reviewer).get(f"/api/v1/datasets/{dataset.pk}/compare/?from=1&to=2")
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["counts"] == {"added": 1, "removed": 1, "changed": 3}
    assert [r["record_id"] for r in body["added"]] == [pk(records, "late")]
    assert [r["record_id"] for r in body["removed"]] == [pk(records, "cn_tiger")]
    changed = {c["record_id"]: c for c in body["changed"]}
    assert {k: v["fields"] for k, v in changed.items()} == {
        pk(records, "ru_cranes"): ["count", "count_min"],
        pk(records, "ru_waiting"): ["status"],
        pk(records, "ru_tiger"): ["count"],
    }
    cranes = changed[pk(records, "ru_cranes")]
    assert cranes["before"] == {"count": 2, "count_min": None}
    assert cranes["after"] == {"count": 3, "count_min": 2}


def test_the_comparison_backwards_swaps_added_and_removed(people, two_versions):
    dataset, records = two_versions
    body = client(people.reviewer).get(f"/api/v1/datasets/{dataset.pk}/compare/?from=2&to=1")
    body = body.json()
    assert body["counts"] == {"added": 1, "removed": 1, "changed": 3}
    assert [r["record_id"] for r in body["added"]] == [pk(records, "cn_tiger")]
    assert [r["record_id"] for r in body["removed"]] == [pk(records, "late")]


def test_the_download_holds_the_same_differences(people, two_versions):
    dataset, records = two_versions
    answer = client(people.outsider).get(f"/api/v1/datasets/{dataset.pk}/compare/csv/?from=1&to=2")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/csv")
    text = b"".join(answer.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {(r["Change"], r["record_id"]) for r in rows} == {
        ("added", pk(records, "late")),
        ("removed", pk(records, "cn_tiger")),
        ("changed", pk(records, "ru_cranes")),
        ("changed", pk(records, "ru_waiting")),
        ("changed", pk(records, "ru_tiger")),
    }
    cranes = next(r for r in rows if r["record_id"] == pk(records, "ru_cranes"))
    assert cranes["Changed fields"] == "count count_min"
    assert (cranes["count"], cranes["count (before)"]) == ("3", "2")
    assert (cranes["status"], cranes["status (before)"]) == ("verified", "")
    removed = next(r for r in rows if r["Change"] == "removed")
    assert removed["scientific_name"] == "Panthera tigris altaica"


def test_the_compare_page_shows_the_counts_and_the_changes(people, two_versions):
    dataset, records = two_versions
    browser = Client()
    browser.force_login(fresh(people.reviewer))
    page = browser.get(f"/en/exchange/datasets/{dataset.pk}/compare/?from=1&to=2")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="count-added">1<' in html and 'id="count-changed">3<' in html
    assert f'data-record="{records["late"].pk}"' in html
    assert f'data-record="{records["cn_tiger"].pk}"' in html
    csv_page = browser.get(f"/en/exchange/datasets/{dataset.pk}/compare/csv/?from=1&to=2")
    assert csv_page.status_code == 200


@pytest.fixture
def other_dataset_version(people, two_versions):
    coordinator = fresh(people.coordinator_ru)
    other = definition.dataset_create(
        access=access_for(coordinator),
        user=coordinator,
        values={"title": "Tigers", "query": {"species": ["Panthera tigris altaica"]}},
    )
    return publish_version(people, other)


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ("?from=1&to={other}", 400, "different_datasets"),
        ("?from=2&to=2", 400, "same_version"),
        ("?from=1&to=9", 404, "unknown_version"),
        ("?from=1&to=banana", 404, "unknown_version"),
        ("?from=1", 400, "versions_required"),
        ("", 400, "versions_required"),
        ("?from=1&to=2&limit=0", 400, "bad_limit"),
        ("?from=1&to=2&limit=many", 400, "bad_limit"),
    ],
)
def test_a_bad_comparison_is_a_clear_4xx(
    people, two_versions, other_dataset_version, query, status, code
):
    dataset, _records = two_versions
    query = query.format(other=other_dataset_version.pk)
    answer = client(people.coordinator_ru).get(f"/api/v1/datasets/{dataset.pk}/compare/{query}")
    assert answer.status_code == status, answer.content
    assert answer.json()["code"] == code and answer.json()["detail"]
    if code == "different_datasets":  # a reviewer of this dataset only: no such version
        mine = client(people.reviewer).get(f"/api/v1/datasets/{dataset.pk}/compare/{query}")
        assert mine.status_code == 404 and mine.json()["code"] == "unknown_version"
    if code != "bad_limit":
        browser = Client()
        browser.force_login(fresh(people.coordinator_ru))
        page = browser.get(f"/en/exchange/datasets/{dataset.pk}/compare/{query}")
        assert page.status_code == status


def test_a_version_of_the_same_dataset_may_be_named_by_its_id(people, two_versions):
    dataset, _records = two_versions
    first = dataset.versions.get(number=1)
    answer = client(people.reviewer).get(
        f"/api/v1/datasets/{dataset.pk}/compare/?from={first.pk}&to=2"
    )
    assert answer.status_code == 200 and answer.json()["from"] == 1


def test_comparing_costs_a_bounded_number_of_queries(
    people, two_versions, django_assert_max_num_queries
):
    dataset, _records = two_versions
    api = client(people.reviewer)
    api.get(f"/api/v1/datasets/{dataset.pk}/")
    with django_assert_max_num_queries(12):
        assert api.get(f"/api/v1/datasets/{dataset.pk}/compare/?from=1&to=2").status_code == 200


def test_a_version_of_another_dataset_is_no_version_of_this_one(
    people, two_versions, other_dataset_version
):
    dataset, _records = two_versions
    url = f"/api/v1/datasets/{dataset.pk}/versions/{other_dataset_version.pk}/"
    answer = client(people.coordinator_ru).get(url)
    assert answer.status_code == 404 and answer.json()["code"] == "unknown_version"
