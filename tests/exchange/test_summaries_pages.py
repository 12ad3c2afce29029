"""The summary pages: a coordinator asks with the form and follows the worker; the list
shows which summaries are outdated, for a fixed number of queries; a bad form says what is
wrong in the user's language."""

import pytest

from exchange.models import Summary
from exchange.summaries import service

from ..waiting import wait_for_job
from .summary_stories import STORK, TIGER, make_storks, make_tigers

pytestmark = pytest.mark.django_db


def made(**request) -> Summary:
    summary = service.summary_create(access=None, user=None, enqueue=False, **request)
    summary = Summary.objects.select_related("species", "protected_area", "campaign").get(
        pk=summary.pk
    )
    result = service.measure(summary)
    Summary.objects.filter(pk=summary.pk).update(
        status="done",
        fingerprint=result["fingerprint"],
        survey_kinds=result["survey_kinds"],
        figures=result["figures"],
        total=result["figures"]["total"],
    )
    return summary


FORM = {"species": TIGER, "scope": "joint", "period_kind": "year", "year": 2025}


def test_the_menu_links_to_summaries_for_those_who_read_them(client, people):
    for who, shown in (("coordinator_ru", True), ("ranger_ru", True), ("nobody", False)):
        client.force_login(getattr(people, who))
        page = client.get("/en/").content.decode()
        assert ('href="/en/exchange/summaries/"' in page) == shown, who


def test_the_form_says_what_is_wrong(client, people):
    client.force_login(people.coordinator_ru)
    answer = client.post("/ru/exchange/summaries/", {**FORM, "scope": "pa", "protected_area": ""})
    assert answer.status_code == 400
    assert "Неизвестная охраняемая территория" in answer.content.decode()  # in Russian
    assert not Summary.objects.exists()


def test_a_season_needs_its_year(client, people):
    client.force_login(people.coordinator_ru)
    answer = client.post(
        "/en/exchange/summaries/", {**FORM, "period_kind": "season", "year": "", "season": "winter"}
    )
    assert answer.status_code == 400 and not Summary.objects.exists()


@pytest.mark.celery
def test_a_coordinator_asks_with_the_form_and_the_worker_makes_it(celery_worker, client, people):
    make_tigers(people)
    client.force_login(people.coordinator_ru)
    answer = client.post("/en/exchange/summaries/", FORM)
    assert answer.status_code == 302
    summary = Summary.objects.get()
    assert answer["Location"] == f"/en/exchange/summaries/{summary.pk}/"
    assert summary.requested_by == people.coordinator_ru
    wait_for_job(summary, timeout=150)
    assert summary.status == "done", summary.detail
    page = client.get(answer["Location"]).content.decode()
    assert "up to date" in page and f"/api/v1/summaries/{summary.pk}/pdf/" in page


def test_the_list_marks_outdated_summaries(client, people):
    storks = make_storks(people)
    current = made(species=TIGER, scope="joint", year=2025)
    stale = made(species=STORK, scope="country", country="RU", year=2025)
    storks["khanka_9"].count = 11
    storks["khanka_9"].save()
    client.force_login(people.manager_ru)
    page = client.get("/en/exchange/summaries/").content.decode()
    assert page.count('class="badge outdated"') == 1
    rows = page.split("<tr>")
    assert any(f"/{stale.pk}/" in row and "badge outdated" in row for row in rows)
    assert not any(f"/{current.pk}/" in row and "badge outdated" in row for row in rows)
    detail = client.get(f"/en/exchange/summaries/{stale.pk}/").content.decode()
    assert "outdated: the data changed since it was made" in detail


@pytest.mark.parametrize("count", [2, 10])
def test_the_list_page_costs_a_fixed_number_of_queries(
    client, people, count, django_assert_max_num_queries
):
    make_storks(people)
    for year in range(2025 - count + 1, 2026):
        made(species=STORK, scope="country", country="RU", year=year)
    client.force_login(people.coordinator_ru)
    with django_assert_max_num_queries(15):
        page = client.get("/en/exchange/summaries/")
    assert page.status_code == 200
    assert page.content.decode().count("/en/exchange/summaries/") >= count
