"""Reviewing a shared dataset: browse with filters, summary tables, the map's generalised
places, comments and flags, and the flags' way to the record's PA manager and back.

outsider (a ranger of Bastak, invited) and reviewer look at version 1 of "Khanka tigers
and cranes"; manager_ru answers the flags on Khankaisky's records from his flag inbox.
"""

import datetime as dt

import pytest
from django.test import Client

from exchange.models import DatasetComment
from observations.models import Observation, Remark, Species

from .dataset_stories import client, fresh, make_dataset, publish_version, rows_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def khanka(people, khankaisky, xingkaihu):
    dataset, records = make_dataset(people, khankaisky, xingkaihu)
    publish_version(people, dataset)
    return dataset, records


def ids(answer) -> set[str]:
    assert answer.status_code == 200, answer.json()
    return {r["record_id"] for r in answer.json()["results"]}


def names(records, *keys) -> set[str]:
    return {str(records[k].pk) for k in keys}


# --- browsing -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ("ru_tiger", "ru_cranes", "ru_waiting", "cn_tiger", "cn_cranes")),
        ("?species=Panthera tigris altaica", ("ru_tiger", "cn_tiger")),
        ("?species=grus JAPONENSIS", ("ru_cranes", "ru_waiting", "cn_cranes")),
        ("?protected_area=CN-XINGKAIHU", ("cn_tiger", "cn_cranes")),
        ("?country=ru&status=verified", ("ru_tiger", "ru_cranes")),
        ("?status=submitted", ("ru_waiting",)),
        ("?evidence=track", ("ru_tiger",)),
        ("?origin=CN", ("cn_tiger", "cn_cranes")),
        ("?observed_from=2024-05-02&observed_to=2024-05-03", ("cn_cranes", "ru_waiting")),
        ("?observed_to=2024-01-20", ("ru_tiger",)),
        ("?flags=open", ()),
        ("?flags=none&species=Panthera tigris altaica", ("ru_tiger", "cn_tiger")),
    ],
)
def test_a_reviewer_browses_a_version_with_filters(people, khanka, query, expected):
    dataset, records = khanka
    assert ids(client(people.outsider).get(rows_url(dataset, 1, query))) == names(
        records, *expected
    )


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("?species=Panthera leo", "unknown_species"),
        ("?species=Panthera pardus orientalis", "unknown_species"),  # known, not in it
        ("?protected_area=RU-BASTAK", "unknown_protected_area"),
        ("?country=XX", "unknown_country"),
        ("?status=lost", "bad_status"),
        ("?evidence=dream", "bad_evidence"),
        ("?observed_from=spring", "bad_date"),
        ("?observed_from=2024-06-01&observed_to=2024-01-01", "bad_date_range"),
        ("?flags=maybe", "bad_flags"),
    ],
)
def test_a_bad_filter_is_a_clear_400(people, khanka, query, code):
    dataset, _records = khanka
    for suffix in ("rows/", "summary/", "map/"):
        url = f"/api/v1/datasets/{dataset.pk}/versions/1/{suffix}{query}"
        answer = client(people.reviewer).get(url)
        assert answer.status_code == 400, (suffix, answer.content)
        assert answer.json()["code"] == code and answer.json()["detail"]


@pytest.mark.parametrize("number", ["7", "0", "latest", "00000000-0000-0000-0000-000000000000"])
def test_an_unknown_version_is_a_clear_404(people, khanka, number):
    dataset, _records = khanka
    answer = client(people.reviewer).get(f"/api/v1/datasets/{dataset.pk}/versions/{number}/")
    assert answer.status_code == 404
    assert answer.json()["code"] == "unknown_version"
    page = Client()
    page.force_login(fresh(people.reviewer))
    assert page.get(f"/en/exchange/datasets/{dataset.pk}/v/7/").status_code == 404


def test_summary_tables_count_records_and_individuals(people, khanka):
    dataset, _records = khanka
    summary = client(people.reviewer).get(f"/api/v1/datasets/{dataset.pk}/versions/1/summary/")
    body = summary.json()
    assert (body["total"], body["individuals"]) == (5, 1 + 2 + 1 + 1 + 14)
    per_species = {
        r["scientific_name"]: (r["records"], r["individuals"]) for r in body["per_species"]
    }
    assert per_species == {"Grus japonensis": (3, 17), "Panthera tigris altaica": (2, 2)}
    per_pa = {r["protected_area_code"]: r["records"] for r in body["per_protected_area"]}
    assert per_pa == {"CN-XINGKAIHU": 2, "RU-KHANKAISKY": 3}
    assert {r["status"]: r["records"] for r in body["per_status"]} == {
        "verified": 4,
        "submitted": 1,
    }
    filtered = client(people.reviewer).get(
        f"/api/v1/datasets/{dataset.pk}/versions/1/summary/?country=CN"
    )
    assert filtered.json()["total"] == 2


def test_the_map_shows_only_the_published_generalised_places(people, khanka):
    dataset, _records = khanka
    answer = client(people.outsider).get(f"/api/v1/datasets/{dataset.pk}/versions/1/map/")
    features = answer.json()["features"]
    places = {tuple(f["geometry"]["coordinates"]) for f in features}
    assert (132.45, 44.95) in places  # Khankaisky's tiger, at its 10 km cell's centre
    assert (132.65, 45.25) in places  # Xingkaihu's tiger
    assert sum(f["properties"]["records"] for f in features) == 5
    text = answer.content.decode()
    for exact in ("44.9876543", "132.4567891", "45.2345678", "132.6789012"):
        assert exact not in text


# --- comments and flags -------------------------------------------------------------------


def flag(person, dataset, record, reason="wrong_species", text="Looks like a lynx", number=1):
    return client(person).post(
        f"/api/v1/datasets/{dataset.pk}/versions/{number}/rows/{record.pk}/remarks/",
        {"kind": "flag", "reason": reason, "text": text},
        format="json",
    )


def test_a_flag_reaches_the_pa_manager_who_answers_and_the_dataset_shows_it_closed(people, khanka):
    dataset, records = khanka
    tiger = records["ru_tiger"]
    made = flag(people.outsider, dataset, tiger)
    assert made.status_code == 201, made.json()
    remark = Remark.objects.get(pk=made.json()["id"])
    assert (remark.kind, remark.reason, remark.observation_id) == (
        "flag",
        "wrong_species",
        tiger.pk,
    )
    assert (remark.dataset_uuid, remark.dataset_title, remark.dataset_version) == (
        dataset.pk,
        dataset.title,
        1,
    )

    # The manager of Khankaisky finds it in his inbox and on the record's page...
    manager = Client()
    manager.force_login(fresh(people.manager_ru))
    inbox = manager.get("/en/exchange/datasets/flags/").content.decode()
    assert "Looks like a lynx" in inbox and dataset.title in inbox
    page = manager.get(f"/en/records/{tiger.pk}/").content.decode()
    assert "Looks like a lynx" in page and "from the shared dataset" in page
    # ...the manager of Xingkaihu does not.
    other = Client()
    other.force_login(fresh(people.manager_cn))
    assert "Looks like a lynx" not in other.get("/en/exchange/datasets/flags/").content.decode()

    flags_url = f"/api/v1/datasets/{dataset.pk}/flags/"
    reviewer = client(people.reviewer)
    assert reviewer.get(flags_url).json()["counts"] == {"open": 1, "closed": 0, "total": 1}
    assert ids(reviewer.get(rows_url(dataset, 1, "?flags=open"))) == {str(tiger.pk)}

    answered = manager.post(
        f"/en/records/{tiger.pk}/remarks/{remark.pk}/answer/",
        {"text": "Checked the tracks again: a tiger.", "closes": "on"},
    )
    assert answered.status_code == 302
    body = reviewer.get(flags_url).json()
    assert body["counts"] == {"open": 0, "closed": 1, "total": 1}
    assert body["flags"][0]["answers"][0]["text"] == "Checked the tracks again: a tiger."
    assert reviewer.get(f"{flags_url}?state=open").json()["flags"] == []
    assert len(reviewer.get(f"{flags_url}?state=closed").json()["flags"]) == 1
    assert ids(reviewer.get(rows_url(dataset, 1, "?flags=closed"))) == {str(tiger.pk)}
    row = reviewer.get(rows_url(dataset, 1, f"{tiger.pk}/")).json()
    assert row["flags"] == "closed" and row["remarks"][0]["is_open"] is False
    assert "Looks like a lynx" not in manager.get("/en/exchange/datasets/flags/").content.decode()


def test_a_comment_on_a_row_and_a_comment_on_the_dataset(people, khanka):
    dataset, records = khanka
    api = client(people.reviewer)
    url = f"/api/v1/datasets/{dataset.pk}/versions/1/rows/{records['cn_cranes'].pk}/remarks/"
    made = api.post(url, {"kind": "comment", "text": "A big flock for May"}, format="json")
    assert made.status_code == 201 and made.json()["is_open"] is None
    comments = f"/api/v1/datasets/{dataset.pk}/comments/"
    said = api.post(comments, {"text": "Can we add 2023?", "version": 1}, format="json")
    assert said.status_code == 201, said.json()
    listed = api.get(comments).json()
    assert [(c["text"], c["version"], c["author"]) for c in listed] == [
        ("Can we add 2023?", 1, "reviewer")
    ]
    assert DatasetComment.objects.get().dataset == dataset


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"kind": "flag", "text": "no reason given"}, 400, "reason_required"),
        ({"kind": "flag", "reason": "wrong_place", "text": "   "}, 400, "text_required"),
        ({"kind": "praise", "text": "nice"}, 400, None),
        ({"kind": "flag", "reason": "moon_phase", "text": "x"}, 400, None),
    ],
)
def test_a_bad_remark_is_refused(people, khanka, body, status, code):
    dataset, records = khanka
    url = f"/api/v1/datasets/{dataset.pk}/versions/1/rows/{records['ru_tiger'].pk}/remarks/"
    answer = client(people.reviewer).post(url, body, format="json")
    assert answer.status_code == status, answer.json()
    if code:
        assert answer.json()["code"] == code
    assert not Remark.objects.exists()


def test_a_flag_on_a_record_this_node_no_longer_holds_is_refused_with_409(people, khanka):
    dataset, records = khanka
    Observation.objects.filter(pk=records["cn_cranes"].pk).delete()  # withdrawn by CN
    answer = flag(people.reviewer, dataset, records["cn_cranes"], reason="duplicate")
    assert answer.status_code == 409 and answer.json()["code"] == "record_gone"
    row = client(people.reviewer).get(rows_url(dataset, 1, f"{records['cn_cranes'].pk}/"))
    assert row.status_code == 200  # the published row stays readable


def test_an_empty_comment_on_the_dataset_is_refused(people, khanka):
    dataset, _records = khanka
    answer = client(people.reviewer).post(
        f"/api/v1/datasets/{dataset.pk}/comments/", {"text": "  "}, format="json"
    )
    assert answer.status_code == 400


def test_flags_of_another_version_show_on_the_dataset(people, khanka):
    dataset, records = khanka
    publish_version(people, dataset)
    assert flag(people.reviewer, dataset, records["ru_cranes"], number=2).status_code == 201
    body = client(people.coordinator_ru).get(f"/api/v1/datasets/{dataset.pk}/flags/").json()
    assert [f["dataset_version"] for f in body["flags"]] == [2]
    assert ids(client(people.reviewer).get(rows_url(dataset, 1, "?flags=open"))) == {
        str(records["ru_cranes"].pk)
    }


# --- bounded queries -----------------------------------------------------------------------


@pytest.fixture
def big(people, khankaisky, xingkaihu):
    """The dataset with 120 more crane records, and flags on a few of them."""
    dataset, records = make_dataset(people, khankaisky, xingkaihu)
    crane = Species.objects.get(scientific_name="Grus japonensis")
    start = dt.datetime(2024, 4, 1, tzinfo=dt.UTC)
    Observation.objects.bulk_create(
        Observation(
            protected_area=khankaisky,
            species=crane,
            observed_at=start + dt.timedelta(hours=i),
            latitude=44.8 + i / 1000,
            longitude=132.3 + i / 1000,
            count=2,
            evidence="sighting",
            status="verified",
        )
        for i in range(120)
    )
    publish_version(people, dataset)
    added = Observation.objects.filter(observed_at__range=(start, start + dt.timedelta(days=6)))
    for obs in added[:5]:
        assert flag(people.reviewer, dataset, obs).status_code == 201
    return dataset, records


def test_browsing_costs_a_bounded_number_of_queries(people, big, django_assert_max_num_queries):
    dataset, _records = big
    api = client(people.outsider)
    api.get(f"/api/v1/datasets/{dataset.pk}/")  # the person's access, computed once
    with django_assert_max_num_queries(8):
        rows = api.get(rows_url(dataset, 1, "?limit=200"))
    assert len(rows.json()["results"]) == 125
    with django_assert_max_num_queries(8):
        assert api.get(f"/api/v1/datasets/{dataset.pk}/flags/").status_code == 200
    with django_assert_max_num_queries(10):
        assert api.get(f"/api/v1/datasets/{dataset.pk}/versions/1/summary/").status_code == 200
    with django_assert_max_num_queries(6):
        assert api.get("/api/v1/datasets/").status_code == 200
    with django_assert_max_num_queries(6):
        assert api.get(f"/api/v1/datasets/{dataset.pk}/versions/").status_code == 200


def test_the_pages_cost_a_bounded_number_of_queries(people, big, django_assert_max_num_queries):
    dataset, records = big
    browser = Client()
    browser.force_login(fresh(people.outsider))
    pages = {
        "/en/exchange/datasets/": 12,
        f"/en/exchange/datasets/{dataset.pk}/": 16,
        f"/en/exchange/datasets/{dataset.pk}/v/1/": 22,
        f"/en/exchange/datasets/{dataset.pk}/v/1/?species=Grus japonensis&flags=open": 24,
        f"/en/exchange/datasets/{dataset.pk}/v/1/records/{records['ru_tiger'].pk}/": 14,
    }
    for url, most in pages.items():
        with django_assert_max_num_queries(most):
            assert browser.get(url).status_code == 200, url
    manager = Client()
    manager.force_login(fresh(people.manager_ru))
    with django_assert_max_num_queries(12):
        inbox = manager.get("/en/exchange/datasets/flags/")
    assert inbox.content.decode().count("data-flag=") == 5
