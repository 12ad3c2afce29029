"""A joint crane count at Khanka Lake: set-up, submissions from both banks, confirmation.

coordinator_ru sets up a synchronised count of red-crowned cranes at Khankaisky (RU),
Xingkaihu (CN, its transboundary partner) and Bastak (RU). ranger_ru submits Khankaisky's
count and manager_ru confirms it; Xingkaihu's count is made on the Chinese node and arrives
by the exchange (here the test plays the Chinese node for a moment); Bastak never submits
and is shown as missing.
"""

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest

from observations.access import access_for
from observations.census.api.serializers import CampaignOutput
from observations.census.selectors import campaigns_with_states
from observations.models import CensusCampaign, CensusCount, Observation, Species

from .census_stories import (
    TODAY,
    client,
    count_body,
    crane_campaign,
    crane_record,
    local_dawn,
    make_campaign,
    on_the_chinese_node,
)


@pytest.fixture
def campaign(people):
    return make_campaign(people.coordinator_ru)


pytestmark = pytest.mark.django_db


def test_a_coordinator_sets_up_a_joint_campaign(people, campaign):
    """The campaign knows its species, method, unit, hours and PAs of both countries."""
    assert campaign.species.scientific_name == "Grus japonensis"
    assert campaign.unit == "individuals"  # the species' own unit unless told otherwise
    assert campaign.daily_start == dt.time(5) and campaign.origin_node == "RU"
    countries = sorted(campaign.protected_areas.values_list("country", flat=True))
    assert countries == ["CN", "RU", "RU"]
    listed = client(people.reviewer).get("/api/v1/census/campaigns/").json()
    assert [c["id"] for c in listed] == [str(campaign.pk)]
    assert listed[0]["missing"] == 3 and listed[0]["submitted"] == 0


def test_a_campaign_sent_twice_with_its_id_is_created_once(people):
    body = crane_campaign(id=str(uuid.uuid4()))
    api = client(people.coordinator_ru)
    assert api.post("/api/v1/census/campaigns/", body, format="json").status_code == 201
    assert api.post("/api/v1/census/campaigns/", body, format="json").status_code == 200
    assert CensusCampaign.objects.count() == 1


def test_a_campaign_without_protected_areas_is_refused_clearly(people):
    answer = client(people.coordinator_ru).post(
        "/api/v1/census/campaigns/", crane_campaign(protected_areas=[]), format="json"
    )
    assert answer.status_code == 400
    assert answer.json()["code"] == "campaign_without_pas"
    assert answer.json()["field"] == "protected_areas"
    assert CensusCampaign.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"species": "Grus grus"}, "unknown_species"),
        ({"method": "guesswork"}, "unknown_method"),
        ({"unit": "tracks"}, "unit_not_allowed"),
        ({"ends_on": (TODAY - dt.timedelta(days=9)).isoformat()}, "ends_before_start"),
        ({"daily_start": None, "daily_end": None}, "daily_hours_required"),
        ({"daily_end": "04:00"}, "daily_hours_reversed"),
        (
            {"submission_deadline": (TODAY - dt.timedelta(days=2)).isoformat()},
            "deadline_before_end",
        ),
        ({"protected_areas": ["RU-NOWHERE"]}, "unknown_protected_area"),
        ({"protected_areas": ["RU-POMPEEVSKY"]}, "pa_not_existing"),
    ],
)
def test_a_bad_campaign_says_what_is_wrong(people, overrides, code):
    answer = client(people.coordinator_ru).post(
        "/api/v1/census/campaigns/", crane_campaign(**overrides), format="json"
    )
    assert answer.status_code == 400, answer.json()
    assert answer.json()["code"] == code


@pytest.mark.parametrize("who", ["ranger_ru", "manager_ru", "reviewer", "outsider"])
def test_only_coordinators_set_campaigns_up(people, who):
    answer = client(getattr(people, who)).post(
        "/api/v1/census/campaigns/", crane_campaign(), format="json"
    )
    assert answer.status_code == 403 and answer.json()["code"] == "forbidden"


def test_a_full_campaign_from_both_banks_with_a_missing_pa(
    people, campaign, khankaisky, xingkaihu, settings
):
    """Khankaisky submits and confirms, Xingkaihu's count comes from the Chinese node,
    Bastak is missing: the campaign page says so for each, in three languages."""
    record = crane_record(khankaisky, people.ranger_ru)
    answer = client(people.ranger_ru).post(
        f"/api/v1/census/campaigns/{campaign.pk}/counts/",
        count_body(khankaisky, observations=[str(record.pk)]),
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    ru_count = answer.json()
    assert ru_count["status"] == "submitted" and ru_count["observations"] == [str(record.pk)]
    assert ru_count["can_confirm"] is False  # a ranger submits; the manager confirms

    confirmed = client(people.manager_ru).post(f"/api/v1/census/counts/{ru_count['id']}/confirm/")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"

    with on_the_chinese_node(settings):
        cn_record = crane_record(xingkaihu, people.ranger_cn, count=25, origin="CN")
        answer = client(people.ranger_cn).post(
            f"/api/v1/census/campaigns/{campaign.pk}/counts/",
            count_body(
                xingkaihu, total=25, count_min=20, count_max=30, observations=[str(cn_record.pk)]
            ),
            format="json",
        )
        assert answer.status_code == 201, answer.json()
    cn_count = CensusCount.objects.get(pk=answer.json()["id"])
    assert cn_count.origin_node == "CN" and not cn_count.is_local

    detail = client(people.reviewer).get(f"/api/v1/census/campaigns/{campaign.pk}/").json()
    states = {p["protected_area"]: p["state"] for p in detail["participants"]}
    assert states == {
        "RU-KHANKAISKY": "confirmed",
        "CN-XINGKAIHU": "submitted",
        "RU-BASTAK": "missing",
    }
    bastak = next(p for p in detail["participants"] if p["protected_area"] == "RU-BASTAK")
    assert set(bastak["state_label"]) == {"en", "ru", "zh"} and bastak["name_ru"]
    assert (detail["submitted"], detail["confirmed"], detail["missing"]) == (2, 1, 1)

    # The Russian manager may not confirm the Chinese count: its node owns it.
    refused = client(people.manager_ru).post(f"/api/v1/census/counts/{cn_count.pk}/confirm/")
    assert refused.status_code == 403


def test_a_count_after_the_window_closes_is_refused(people, khankaisky):
    closed = (
        client(people.coordinator_ru)
        .post(
            "/api/v1/census/campaigns/",
            crane_campaign(
                starts_on=(TODAY - dt.timedelta(days=30)).isoformat(),
                ends_on=(TODAY - dt.timedelta(days=28)).isoformat(),
                submission_deadline=(TODAY - dt.timedelta(days=3)).isoformat(),
            ),
            format="json",
        )
        .json()
    )
    answer = client(people.ranger_ru).post(
        f"/api/v1/census/campaigns/{closed['id']}/counts/",
        count_body(khankaisky, counted_at=local_dawn(khankaisky, days_ago=29).isoformat()),
        format="json",
    )
    assert answer.status_code == 400
    assert answer.json()["code"] == "window_closed"
    assert "closed" in answer.json()["detail"]
    assert not CensusCount.objects.exists()


def test_a_count_before_the_window_opens_is_refused(people, khankaisky):
    later = (
        client(people.coordinator_ru)
        .post(
            "/api/v1/census/campaigns/",
            crane_campaign(
                starts_on=(TODAY + dt.timedelta(days=10)).isoformat(),
                ends_on=(TODAY + dt.timedelta(days=11)).isoformat(),
                submission_deadline=(TODAY + dt.timedelta(days=20)).isoformat(),
            ),
            format="json",
        )
        .json()
    )
    answer = client(people.ranger_ru).post(
        f"/api/v1/census/campaigns/{later['id']}/counts/", count_body(khankaisky), format="json"
    )
    assert answer.status_code == 400 and answer.json()["code"] == "window_not_open"


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"counted_at": "2020-01-01T06:00:00Z"}, "outside_count_window"),
        ({"total": 50, "count_max": 45}, "total_above_max"),
        ({"points": None}, "effort_required"),
        ({"protected_area": "CN-SANJIANG"}, "not_participating"),
    ],
)
def test_a_bad_count_says_what_is_wrong(people, campaign, khankaisky, overrides, code):
    answer = client(people.ranger_ru).post(
        f"/api/v1/census/campaigns/{campaign.pk}/counts/",
        count_body(khankaisky, **overrides),
        format="json",
    )
    assert answer.status_code == 400, answer.json()
    assert answer.json()["code"] == code


def test_supporting_records_must_be_of_the_count(people, campaign, khankaisky):
    """A record of another species, or made outside the count hours, does not support it."""
    tiger = Observation.objects.create(
        protected_area=khankaisky,
        species=Species.objects.get(scientific_name="Panthera tigris altaica"),
        observed_at=local_dawn(khankaisky),
        count=1,
        evidence="track",
        status="verified",
        created_by=people.ranger_ru,
    )
    evening = crane_record(khankaisky, people.ranger_ru, when=local_dawn(khankaisky, hour=19))
    api = client(people.ranger_ru)
    url = f"/api/v1/census/campaigns/{campaign.pk}/counts/"
    for record, code in ((tiger, "record_other_species"), (evening, "record_outside_window")):
        answer = api.post(url, count_body(khankaisky, observations=[str(record.pk)]), format="json")
        assert answer.status_code == 400 and answer.json()["code"] == code
    unknown = api.post(url, count_body(khankaisky, observations=[str(uuid.uuid4())]), format="json")
    assert unknown.json()["code"] == "unknown_record"


def test_only_the_pas_own_people_submit_and_only_once(people, campaign, khankaisky):
    url = f"/api/v1/census/campaigns/{campaign.pk}/counts/"
    for who in ("outsider", "coordinator_ru", "reviewer"):
        answer = client(getattr(people, who)).post(url, count_body(khankaisky), format="json")
        assert answer.status_code == 403, who
    assert (
        client(people.ranger_ru).post(url, count_body(khankaisky), format="json").status_code == 201
    )
    again = client(people.manager_ru).post(url, count_body(khankaisky), format="json")
    assert again.status_code == 409 and again.json()["code"] == "count_exists"


def test_a_count_is_corrected_until_it_is_confirmed(people, campaign, khankaisky):
    api = client(people.ranger_ru)
    count = api.post(
        f"/api/v1/census/campaigns/{campaign.pk}/counts/", count_body(khankaisky), format="json"
    ).json()
    fixed = api.patch(
        f"/api/v1/census/counts/{count['id']}/", {"total": 42, "count_max": 48}, format="json"
    )
    assert fixed.status_code == 200 and fixed.json()["total"] == 42
    client(people.manager_ru).post(f"/api/v1/census/counts/{count['id']}/confirm/")
    late = api.patch(f"/api/v1/census/counts/{count['id']}/", {"total": 43}, format="json")
    assert late.status_code == 409 and late.json()["code"] == "count_confirmed"
    twice = client(people.manager_ru).post(f"/api/v1/census/counts/{count['id']}/confirm/")
    assert twice.status_code == 409 and twice.json()["code"] == "already_confirmed"


def test_campaign_pages_of_the_api_cost_a_fixed_number_of_queries(
    people, campaign, khankaisky, django_assert_max_num_queries
):
    client(people.ranger_ru).post(
        f"/api/v1/census/campaigns/{campaign.pk}/counts/", count_body(khankaisky), format="json"
    )
    for i in range(3):
        client(people.coordinator_ru).post(
            "/api/v1/census/campaigns/", crane_campaign(name_en=f"Count {i}"), format="json"
        )
    api = client(people.reviewer)
    with django_assert_max_num_queries(5):
        assert len(api.get("/api/v1/census/campaigns/").json()) == 4
    with django_assert_max_num_queries(5):
        api.get(f"/api/v1/census/campaigns/{campaign.pk}/")
    # A count's notes are shown as the disclosure policy says: the first request in a
    # minute also reads the names it redacts and the species' rules (3 queries, then kept).
    with django_assert_max_num_queries(8):
        api.get(f"/api/v1/census/campaigns/{campaign.pk}/counts/")
    with django_assert_max_num_queries(6):
        api.get(f"/api/v1/census/campaigns/{campaign.pk}/reconciliation/")


def test_api_times_are_utc_whatever_zone_the_campaign_was_made_in(people, campaign):
    """A campaign made at dawn in Vladivostok (UTC+10) answers that instant in UTC, with a Z."""
    campaign = campaigns_with_states().get(pk=campaign.pk)
    campaign.created_at = dt.datetime(2025, 5, 12, 6, 0, tzinfo=ZoneInfo("Asia/Vladivostok"))
    data = CampaignOutput(campaign, context={"access": access_for(people.reviewer)}).data
    assert data["created_at"] == "2025-05-11T20:00:00Z"
