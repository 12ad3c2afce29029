"""The pages of shared datasets: coordinator_ru defines, publishes and shares a dataset
through the forms; reviewers browse, flag and comment; bad input answers a page with a
clear message and a 4xx status, never a 500."""

import pytest
from django.test import Client

from exchange.models import Dataset, DatasetComment, DatasetReviewer, DatasetVersion
from observations.models import Remark

from .dataset_stories import TITLE, fresh, make_dataset, publish_version
from .export_stories import make_khanka

pytestmark = pytest.mark.django_db


def browser(person) -> Client:
    c = Client()
    c.force_login(fresh(person))
    return c


@pytest.fixture
def khanka(people, khankaisky, xingkaihu):
    dataset, records = make_dataset(people, khankaisky, xingkaihu)
    publish_version(people, dataset)
    return dataset, records


def test_a_coordinator_defines_and_publishes_a_dataset_through_the_forms(
    people, khankaisky, xingkaihu
):
    make_khanka(people, khankaisky, xingkaihu)
    me = browser(people.coordinator_ru)
    assert me.get("/en/exchange/datasets/new/").status_code == 200
    answer = me.post(
        "/en/exchange/datasets/new/",
        {
            "title": "Cranes of Khanka",
            "description_en": "Spring counts",
            "description_zh": "春季计数",
            "licence": "CC-BY-4.0",
            "precision": "1km",
            "species": ["Grus japonensis"],
            "protected_areas": ["RU-KHANKAISKY", "CN-XINGKAIHU"],
            "status": ["verified"],
            "include_received": "on",
            "excluded_records": "",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[-2000:]
    dataset = Dataset.objects.get(title="Cranes of Khanka")
    assert dataset.query == {
        "protected_areas": ["CN-XINGKAIHU", "RU-KHANKAISKY"],
        "species": ["Grus japonensis"],
        "status": ["verified"],
    }
    assert dataset.include_received and dataset.precision == "1km"

    edit = me.get(f"/en/exchange/datasets/{dataset.pk}/edit/")
    assert edit.status_code == 200 and "Cranes of Khanka" in edit.content.decode()

    published = me.post(f"/en/exchange/datasets/{dataset.pk}/publish/", {"note": "spring"})
    assert published.status_code == 302
    version = DatasetVersion.objects.get(dataset=dataset)
    assert published["Location"].endswith(f"/exchange/datasets/{dataset.pk}/v/1/")
    page = me.get(published["Location"]).content.decode()
    assert version.checksum in page and "Version 1" in page and "spring" in page
    assert version.row_count == 2  # the crane pair and the flock; the waiting one is not verified

    invited = me.post(f"/en/exchange/datasets/{dataset.pk}/reviewers/", {"username": "outsider"})
    assert invited.status_code == 302
    assert DatasetReviewer.objects.filter(dataset=dataset, user=people.outsider).exists()
    unknown = me.post(f"/en/exchange/datasets/{dataset.pk}/reviewers/", {"username": "ghost"})
    assert "No user of this node is called ghost." in me.get(unknown["Location"]).content.decode()
    removed = me.post(f"/en/exchange/datasets/{dataset.pk}/reviewers/{people.outsider.pk}/remove/")
    assert removed.status_code == 302
    assert not DatasetReviewer.objects.filter(dataset=dataset, user=people.outsider).exists()


def test_a_form_without_a_title_answers_400_with_the_error(people, seeds):
    answer = browser(people.coordinator_ru).post(
        "/en/exchange/datasets/new/", {"title": "", "licence": "CC-BY-4.0", "precision": "exact"}
    )
    assert answer.status_code == 400
    assert "This field is required." in answer.content.decode()
    assert not Dataset.objects.exists()


def test_publishing_an_empty_query_says_so_on_the_page(people, khanka):
    dataset, _records = khanka
    dataset.query = {"species": ["Panthera pardus orientalis"]}
    dataset.save()
    me = browser(people.coordinator_ru)
    answer = me.post(f"/en/exchange/datasets/{dataset.pk}/publish/", {"note": ""})
    assert answer.status_code == 302
    page = me.get(answer["Location"]).content.decode()
    assert "nothing to publish" in page
    assert dataset.versions.count() == 1


def test_the_version_page_shows_citation_checksum_summary_and_rows(people, khanka):
    dataset, records = khanka
    version = dataset.versions.get()
    page = browser(people.outsider).get(f"/en/exchange/datasets/{dataset.pk}/v/1/")
    html = page.content.decode()
    assert page.status_code == 200
    assert version.checksum in html and TITLE in html
    assert 'id="dataset-points"' in html and 'id="dataset-map"' in html
    assert html.count("<tr data-record=") == 5
    filtered = browser(people.outsider).get(
        f"/en/exchange/datasets/{dataset.pk}/v/1/?country=CN&evidence=sighting"
    )
    assert filtered.content.decode().count("<tr data-record=") == 2
    assert str(records["cn_cranes"].pk) in filtered.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?species=Panthera leo", "No record of the species Panthera leo in this version."),
        ("?observed_from=yesterday", "observed_from: give an ISO date such as 2025-05-01."),
        ("?flags=maybe", "flags: unknown value maybe."),
    ],
)
def test_a_bad_filter_answers_a_400_page_with_the_reason(people, khanka, query, message):
    dataset, _records = khanka
    page = browser(people.reviewer).get(f"/en/exchange/datasets/{dataset.pk}/v/1/{query}")
    assert page.status_code == 400
    assert message in page.content.decode()


def test_a_reviewer_flags_and_comments_through_the_pages(people, khanka):
    dataset, records = khanka
    me = browser(people.reviewer)
    row = f"/en/exchange/datasets/{dataset.pk}/v/1/records/{records['cn_cranes'].pk}/"
    assert me.get(row).status_code == 200
    flagged = me.post(
        row + "remarks/", {"kind": "flag", "reason": "duplicate", "text": "Same flock as ours"}
    )
    assert flagged.status_code == 302
    assert "Your flag is sent" in me.get(row).content.decode()
    without_reason = me.post(row + "remarks/", {"kind": "flag", "text": "?"})
    assert (
        "Say what is wrong with the record." in me.get(without_reason["Location"]).content.decode()
    )
    assert Remark.objects.filter(kind="flag").count() == 1
    me.post(f"/en/exchange/datasets/{dataset.pk}/comments/", {"text": "Add the 2023 counts?"})
    assert DatasetComment.objects.get().text == "Add the 2023 counts?"
    detail = me.get(f"/en/exchange/datasets/{dataset.pk}/?flags=open").content.decode()
    assert "Same flock as ours" in detail and "Add the 2023 counts?" in detail


def test_the_pages_answer_in_russian_and_chinese_too(people, khanka):
    dataset, records = khanka
    me = browser(people.outsider)
    for lang in ("ru", "zh-hans"):
        for path in (
            "exchange/datasets/",
            f"exchange/datasets/{dataset.pk}/",
            f"exchange/datasets/{dataset.pk}/v/1/",
            f"exchange/datasets/{dataset.pk}/v/1/records/{records['ru_tiger'].pk}/",
        ):
            assert me.get(f"/{lang}/{path}").status_code == 200, (lang, path)
    page = me.get(f"/zh-hans/exchange/datasets/{dataset.pk}/").content.decode()
    assert "冬季样线调查方法联合研讨会" in page  # the description in the reader's language
