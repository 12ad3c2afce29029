"""Who may ask for, list, read and download summaries, role by role, endpoint by endpoint
(the decisions are observations.access's: can_make_summaries, summary_filter,
can_view_summary).

Coordinators (and the admin) ask for summaries; PA managers, coordinators, the reviewer
and the admin read every summary; a ranger reads the summaries that cover their own PA
(its own, its country's, the joint ones); someone with no role reads none. A summary out
of reach answers 404, like everything else out of reach.
"""

import pytest
from django.core.files.base import ContentFile
from rest_framework.test import APIClient

from exchange.models import Summary
from exchange.summaries import service
from observations.access import access_for

from .summary_stories import TIGER, client

pytestmark = pytest.mark.django_db

PEOPLE = [
    "admin",
    "coordinator_ru",
    "coordinator_cn",
    "manager_ru",
    "manager_cn",
    "reviewer",
    "ranger_ru",  # Khankaisky, RU
    "ranger_cn",  # Xingkaihu, CN
    "outsider",  # Bastak, RU
    "nobody",
]
SCOPES = {
    "joint": {"scope": "joint"},
    "russia": {"scope": "country", "country": "RU"},
    "china": {"scope": "country", "country": "CN"},
    "khankaisky": {"scope": "pa", "protected_area": "RU-KHANKAISKY"},
    "xingkaihu": {"scope": "pa", "protected_area": "CN-XINGKAIHU"},
}
READERS = {
    "joint": set(PEOPLE) - {"nobody"},
    "russia": set(PEOPLE) - {"nobody", "ranger_cn"},
    "china": set(PEOPLE) - {"nobody", "ranger_ru", "outsider"},
    "khankaisky": set(PEOPLE) - {"nobody", "ranger_cn", "outsider"},
    "xingkaihu": set(PEOPLE) - {"nobody", "ranger_ru", "outsider"},
}
MAKERS = {"admin", "coordinator_ru", "coordinator_cn"}


@pytest.fixture
def summaries(people):
    """One made summary of each scope (the joint one's figures, a stand-in PDF file)."""
    made, result = {}, None
    for name, where in SCOPES.items():
        summary = service.summary_create(
            access=None, user=None, species=TIGER, year=2025, enqueue=False, **where
        )
        summary = Summary.objects.select_related("species", "protected_area", "campaign").get(
            pk=summary.pk
        )
        result = result or service.measure(summary)
        summary.pdf.save(f"{summary.pk}/s.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
        Summary.objects.filter(pk=summary.pk).update(
            status="done",
            figures=result["figures"],
            fingerprint=result["fingerprint"],
            survey_kinds=result["survey_kinds"],
            pdf=summary.pdf.name,
        )
        made[name] = Summary.objects.get(pk=summary.pk)
    return made


@pytest.mark.parametrize("who", PEOPLE)
def test_the_list_shows_exactly_the_summaries_a_person_may_read(people, summaries, who):
    answer = client(getattr(people, who)).get("/api/v1/summaries/")
    if who == "nobody":
        assert answer.status_code == 403 and answer.json()["code"] == "forbidden"
        return
    assert answer.status_code == 200
    listed = {row["id"] for row in answer.json()["results"]}
    assert listed == {str(s.pk) for name, s in summaries.items() if who in READERS[name]}


@pytest.mark.parametrize("who", PEOPLE)
def test_a_summary_is_read_and_downloaded_by_its_readers_only(people, summaries, who):
    api = client(getattr(people, who))
    for endpoint in ("", "pdf/", "html/"):
        for name, summary in summaries.items():
            answer = api.get(f"/api/v1/summaries/{summary.pk}/{endpoint}")
            expected = 200 if who in READERS[name] else 404
            assert answer.status_code == expected, (who, name, endpoint)


@pytest.mark.parametrize("who", PEOPLE)
def test_the_single_rule_and_the_list_rule_agree(people, summaries, who):
    access = access_for(getattr(people, who))
    condition = access.summary_filter()
    rows = Summary.objects.all() if condition is None else Summary.objects.filter(condition)
    listed = set(rows.values_list("pk", flat=True))
    assert listed == {s.pk for s in summaries.values() if access.can_view_summary(s)}


@pytest.mark.parametrize("who", PEOPLE)
def test_only_coordinators_and_the_admin_ask_for_summaries(people, summaries, who):
    answer = client(getattr(people, who)).post(
        "/api/v1/summaries/", {"species": TIGER, "scope": "joint", "year": 2025}, format="json"
    )
    if who in MAKERS:
        assert answer.status_code == 202, answer.json()
    else:
        assert answer.status_code == 403 and answer.json()["code"] == "forbidden"


@pytest.mark.parametrize("who", PEOPLE)
def test_the_pages_follow_the_same_rules(people, summaries, who, client):
    client.force_login(getattr(people, who))
    page = client.get("/en/exchange/summaries/")
    assert page.status_code == (404 if who == "nobody" else 200)
    if page.status_code == 200:
        assert (b'name="species"' in page.content) == (who in MAKERS)
    for name, summary in summaries.items():
        answer = client.get(f"/en/exchange/summaries/{summary.pk}/")
        assert answer.status_code == (200 if who in READERS[name] else 404), (who, name)


def test_a_ranger_cannot_post_the_form(people, summaries, client):
    client.force_login(people.ranger_ru)
    answer = client.post("/en/exchange/summaries/", {"species": TIGER, "scope": "joint"})
    assert answer.status_code == 403


def test_nobody_logged_in_gets_nothing(summaries, client):
    api = APIClient()
    assert api.get("/api/v1/summaries/").status_code in (401, 403)
    assert api.get(f"/api/v1/summaries/{summaries['joint'].pk}/pdf/").status_code in (401, 403)
    page = client.get("/en/exchange/summaries/")
    assert page.status_code == 302 and "/accounts/login/" in page["Location"]
