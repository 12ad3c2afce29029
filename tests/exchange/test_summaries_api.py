"""The summaries API: a coordinator asks (202 and a pending summary), a real Celery worker
makes it, the summary and its files are downloaded; bad requests get a clear 4xx with a
stable code and a translated message, never a 500; lists cost a fixed number of queries."""

import pytest

from exchange.models import Summary
from exchange.summaries import service

from ..waiting import wait_for_answer
from .summary_stories import CRANE, STORK, TIGER, client, make_cranes, make_storks, make_tigers

pytestmark = pytest.mark.django_db


def ask(person, **body):
    return client(person).post("/api/v1/summaries/", body, format="json")


def wait_until_made(api, url, timeout=180):
    return wait_for_answer(api, url, timeout=timeout)[0]


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"species": "Panthera leo", "scope": "joint", "year": 2025}, "unknown_species", "species"),
        ({"species": TIGER, "scope": "joint"}, "bad_period", "period"),
        (
            {"species": TIGER, "scope": "joint", "year": 2025, "season": "2025-winter"},
            "bad_period",
            "period",
        ),
        ({"species": TIGER, "scope": "joint", "year": "last year"}, "bad_period", "period"),
        ({"species": TIGER, "scope": "joint", "year": 2999}, "bad_period", "period"),
        ({"species": TIGER, "scope": "joint", "season": "2025-monsoon"}, "bad_period", "period"),
        ({"species": TIGER, "scope": "joint", "season": "2999-winter"}, "bad_period", "period"),
        (
            {"species": TIGER, "scope": "joint", "campaign": "not-a-uuid"},
            "unknown_campaign",
            "campaign",
        ),
        ({"species": TIGER, "scope": "world", "year": 2025}, "bad_scope", "scope"),
        (
            {"species": TIGER, "scope": "joint", "country": "RU", "year": 2025},
            "scope_mismatch",
            "scope",
        ),
        (
            {"species": TIGER, "scope": "country", "protected_area": "RU-BASTAK", "year": 2025},
            "scope_mismatch",
            "protected_area",
        ),
        (
            {"species": TIGER, "scope": "pa", "country": "RU", "year": 2025},
            "scope_mismatch",
            "country",
        ),
        (
            {"species": TIGER, "scope": "country", "country": "JP", "year": 2025},
            "unknown_country",
            "country",
        ),
        (
            {"species": TIGER, "scope": "pa", "protected_area": "RU-NOWHERE", "year": 2025},
            "unknown_protected_area",
            "protected_area",
        ),
    ],
)
def test_a_bad_request_gets_a_clear_error(people, body, code, field):
    answer = ask(people.coordinator_ru, **body)
    assert answer.status_code == 400, answer.json()
    assert answer.json()["code"] == code
    assert answer.json()["field"] == field
    assert answer.json()["detail"]
    assert not Summary.objects.exists()


def test_the_error_is_in_the_asker_s_language(people):
    answer = client(people.coordinator_ru).post(
        "/api/v1/summaries/",
        {"species": TIGER, "scope": "country", "country": "JP", "year": 2025},
        format="json",
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert answer.json()["detail"] == "Неизвестная страна: JP."  # an existing catalogue entry


def test_a_campaign_of_another_species_or_outside_the_scope_is_refused(people):
    campaigns = make_cranes(people)
    campaign = str(campaigns[2025].pk)
    answer = ask(people.coordinator_ru, species=TIGER, scope="joint", campaign=campaign)
    assert answer.status_code == 400 and answer.json()["code"] == "species_mismatch"
    answer = ask(
        people.coordinator_ru,
        species=CRANE,
        scope="pa",
        protected_area="RU-BOLSHEKHEKHTSIRSKY",
        campaign=campaign,
    )
    assert answer.status_code == 400 and answer.json()["code"] == "scope_mismatch"


def test_a_request_answers_202_with_the_pending_summary(people):
    answer = ask(people.coordinator_ru, species="panthera-tigris-altaica", scope="joint", year=2025)
    assert answer.status_code == 202
    body = answer.json()
    assert body["status"] == "pending" and body["outdated"] is None
    assert answer["Location"] == body["url"] == f"/api/v1/summaries/{body['id']}/"
    assert (body["species"], body["scope"], body["period_kind"], body["period_key"]) == (
        TIGER,
        "joint",
        "year",
        "2025",
    )
    assert body["pdf"] is None


def test_a_download_before_the_summary_is_made_says_so(people):
    summary = service.summary_create(
        access=None, user=None, species=TIGER, scope="joint", year=2025, enqueue=False
    )
    for what in ("pdf", "html"):
        answer = client(people.coordinator_ru).get(f"/api/v1/summaries/{summary.pk}/{what}/")
        assert answer.status_code == 409 and answer.json()["code"] == "not_ready"


def test_an_unknown_summary_is_not_found(people):
    for pk in ("6f1d3c52-8a57-4f0e-9d7e-2b1a6c9e4f31", "nonsense"):
        answer = client(people.coordinator_ru).get(f"/api/v1/summaries/{pk}/")
        assert answer.status_code == 404


def _made(count):
    for year in range(2025 - count + 1, 2026):
        summary = service.summary_create(
            access=None,
            user=None,
            species=STORK,
            scope="country",
            country="RU",
            year=year,
            enqueue=False,
        )
        summary = Summary.objects.select_related("species", "protected_area", "campaign").get(
            pk=summary.pk
        )
        result = service.measure(summary)
        Summary.objects.filter(pk=summary.pk).update(
            status="done", fingerprint=result["fingerprint"], survey_kinds=result["survey_kinds"]
        )


@pytest.mark.parametrize("count", [2, 12])
def test_the_list_costs_a_fixed_number_of_queries(people, count, django_assert_max_num_queries):
    make_storks(people)
    _made(count)
    with django_assert_max_num_queries(10):
        listed = client(people.coordinator_ru).get("/api/v1/summaries/").json()
    assert len(listed["results"]) == count
    assert all(row["outdated"] is False for row in listed["results"])


# --- made by the worker -------------------------------------------------------------------


@pytest.mark.celery
def test_a_coordinator_s_summary_is_made_by_the_worker(celery_worker, people):
    make_tigers(people)
    api = client(people.coordinator_cn)
    answer = api.post(
        "/api/v1/summaries/", {"species": TIGER, "scope": "joint", "year": 2025}, format="json"
    )
    assert answer.status_code == 202
    body = wait_until_made(api, answer["Location"])
    assert body["status"] == "done", body
    assert (body["basis"], body["total"], body["outdated"]) == ("individuals", 3, False)
    assert body["figures"]["camera"]["detections"] == 4
    assert body["made_at"] and len(body["fingerprint"]) == 64
    pdf = api.get(body["pdf"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert "attachment" in pdf["Content-Disposition"]
    html = api.get(body["html"])
    assert html.status_code == 200 and html["Content-Type"].startswith("text/html")
    english = api.get(body["pdf"] + "?english=1")
    assert english.status_code == 200
    assert b"".join(english.streaming_content).startswith(b"%PDF")
