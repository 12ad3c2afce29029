"""The census pages as their people use them: coordinator_ru sets a crane count up with
the form, ranger_ru submits Khankaisky's count, manager_ru confirms it, the Chinese count
arrives, coordinator_ru resolves the double count; the reviewer reads the campaign page."""

import datetime as dt
from contextlib import nullcontext

import pytest

from observations.models import CensusCampaign, CensusCount, DoubleCountFlag

from .census_stories import (
    TODAY,
    client,
    count_body,
    crane_record,
    local_dawn,
    make_campaign,
    on_the_chinese_node,
)

pytestmark = pytest.mark.django_db


def campaign_form(khankaisky, xingkaihu, bastak, **overrides):
    data = {
        "name_en": "Spring crane count",
        "name_ru": "Весенний учёт журавлей",
        "name_zh": "春季鹤类调查",
        "species": "",
        "method": "point_count",
        "starts_on": (TODAY - dt.timedelta(days=3)).isoformat(),
        "ends_on": (TODAY - dt.timedelta(days=1)).isoformat(),
        "daily_start": "05:00",
        "daily_end": "10:00",
        "protected_areas": [khankaisky.pk, xingkaihu.pk, bastak.pk],
        "duplicate_distance_km": 30,
        "duplicate_window_hours": 48,
    }
    data.update(overrides)
    return data


def test_the_census_link_is_shown_to_everyone_logged_in(client, people):
    client.force_login(people.reviewer)
    assert 'href="/en/census/"' in client.get("/en/").content.decode()


def test_a_coordinator_sets_a_campaign_up_with_the_form(
    client, people, khankaisky, xingkaihu, bastak
):
    from observations.models import Species

    crane = Species.objects.get(scientific_name="Grus japonensis")
    client.force_login(people.coordinator_ru)
    assert client.get("/en/census/new/").status_code == 200
    response = client.post(
        "/en/census/new/", campaign_form(khankaisky, xingkaihu, bastak, species=crane.pk)
    )
    campaign = CensusCampaign.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/en/census/{campaign.pk}/"
    assert campaign.protected_areas.count() == 3


def test_the_form_says_a_campaign_needs_protected_areas(
    client, people, khankaisky, xingkaihu, bastak
):
    from observations.models import Species

    crane = Species.objects.get(scientific_name="Grus japonensis")
    client.force_login(people.coordinator_ru)
    response = client.post(
        "/en/census/new/",
        campaign_form(khankaisky, xingkaihu, bastak, species=crane.pk, protected_areas=[]),
    )
    assert response.status_code == 400
    assert "at least one participating protected area" in response.content.decode()
    assert not CensusCampaign.objects.exists()


def test_rangers_and_reviewers_do_not_get_the_set_up_form(client, people):
    for who in ("ranger_ru", "reviewer"):
        client.force_login(getattr(people, who))
        assert client.get("/en/census/new/").status_code == 404


def test_a_whole_campaign_through_the_pages(client, people, khankaisky, xingkaihu, settings):
    campaign = make_campaign(people.coordinator_ru)
    record = crane_record(khankaisky, people.ranger_ru)

    client.force_login(people.ranger_ru)
    page = client.get(f"/en/census/{campaign.pk}/").content.decode()
    assert f'href="/en/census/{campaign.pk}/submit/"' in page
    form = client.get(f"/en/census/{campaign.pk}/submit/")
    assert str(record.pk) in form.content.decode()  # offered as a supporting record
    local = local_dawn(khankaisky).replace(tzinfo=None).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        f"/en/census/{campaign.pk}/submit/",
        {
            "protected_area": "RU-KHANKAISKY",
            "counted_at": local,
            "total": 40,
            "points": 6,
            "effort_hours": "18.5",
            "observers": 7,
            "weather": "calm",
            "observations": [str(record.pk)],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    count = CensusCount.objects.get()
    assert count.counted_at == local_dawn(khankaisky).replace(second=0)  # read as local time
    assert list(count.observations.all()) == [record]

    client.force_login(people.manager_ru)
    assert client.post(f"/en/census/counts/{count.pk}/confirm/").status_code == 302
    count.refresh_from_db()
    assert count.status == "confirmed"

    with on_the_chinese_node(settings):
        client_cn = client_for(people.ranger_cn)
        answer = client_cn.post(
            f"/api/v1/census/campaigns/{campaign.pk}/counts/",
            count_body(xingkaihu, total=25, count_min=20, count_max=30),
            format="json",
        )
        assert answer.status_code == 201

    client.force_login(people.reviewer)
    page = client.get(f"/en/census/{campaign.pk}/").content.decode()
    assert page.count('class="state-missing"') == 1  # Bastak
    assert page.count('class="state-confirmed"') == 1 and page.count('class="state-submitted"') == 1
    assert "Бастак" in page or "Bastak" in page
    assert xingkaihu.name_zh in page and khankaisky.name_ru in page
    assert 'name="decision"' not in page  # the reviewer reads, never resolves

    flag = DoubleCountFlag.objects.get()
    client.force_login(people.coordinator_ru)
    response = client.post(
        f"/en/census/flags/{flag.pk}/resolve/",
        {"decision": "same", "duplicate_count": 25, "note": "one flock, seen from both banks"},
    )
    assert response.status_code == 302
    page = client.get(f"/en/census/{campaign.pk}/").content.decode()
    assert '<dd id="raw-sum">65</dd>' in page
    assert '<dd id="reconciled-total"><strong>40</strong>' in page


def client_for(person):
    return client(person)


def test_a_flag_without_a_note_is_not_saved(client, people, khankaisky, xingkaihu, settings):
    campaign = make_campaign(people.coordinator_ru)
    client_for(people.ranger_ru).post(
        f"/api/v1/census/campaigns/{campaign.pk}/counts/", count_body(khankaisky), format="json"
    )
    with on_the_chinese_node(settings):
        client_for(people.ranger_cn).post(
            f"/api/v1/census/campaigns/{campaign.pk}/counts/", count_body(xingkaihu), format="json"
        )
    flag = DoubleCountFlag.objects.get()
    client.force_login(people.coordinator_ru)
    response = client.post(
        f"/en/census/flags/{flag.pk}/resolve/", {"decision": "same", "note": ""}, follow=True
    )
    assert "Say how you decided" in response.content.decode()
    flag.refresh_from_db()
    assert flag.is_open


@pytest.mark.parametrize("n", [2, 8])
def test_the_campaign_pages_cost_a_fixed_number_of_queries(
    client, people, khankaisky, xingkaihu, settings, n, django_assert_max_num_queries
):
    """A campaign with 2 or 8 counts (and their flags) costs the same few queries."""
    from observations.models import ProtectedArea

    others = ProtectedArea.objects.filter(status="existing", centroid_lat__isnull=False).exclude(
        pk__in=[khankaisky.pk, xingkaihu.pk]
    )
    pas = [khankaisky, xingkaihu, *others[: n - 2]]
    campaign = make_campaign(
        people.coordinator_ru, protected_areas=[pa.code for pa in pas], duplicate_distance_km=500
    )
    for pa in pas:
        with on_the_chinese_node(settings) if pa.country == "CN" else nullcontext():
            answer = client_for(people.admin).post(
                f"/api/v1/census/campaigns/{campaign.pk}/counts/", count_body(pa), format="json"
            )
            assert answer.status_code == 201, answer.json()
    assert campaign.counts.count() == n and campaign.flags.exists()
    client.force_login(people.coordinator_ru)
    with django_assert_max_num_queries(12):
        response = client.get(f"/en/census/{campaign.pk}/")
    assert response.status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/en/census/").status_code == 200
