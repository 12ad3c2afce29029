"""Relative abundance: detections per 100 trap-nights, counted both ways, per deployment and
per PA and season; on the PA page and in the API.

KH-07 ran 30 nights in winter 2024 and saw a tiger four times (at 0, 10 and 45 minutes and
two hours after its first visit) and a leopard once; KH-08 ran 20 nights in summer 2024 and
saw the tiger once. At the usual 30-minute threshold the winter's tiger visits are three
independent events.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from observations.camera.abundance import Season, deployment_abundance, pa_abundance
from observations.models import Classification, Sequence, Species

from .test_camera_kit import make_deployment, verify

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2024, 1, 15, 20, 0, tzinfo=dt.UTC)
TIGER, LEOPARD = "Panthera tigris altaica", "Panthera pardus orientalis"


def detection(deployment, species_name, at, photos):
    sequence = Sequence.objects.create(
        deployment=deployment, started_at=at, ended_at=at, media_count=photos, state="animals"
    )
    Classification.objects.create(
        sequence=sequence,
        kind="animal",
        species=Species.objects.get(scientific_name=species_name),
        count=1,
    )


@pytest.fixture
def winter(people, khankaisky):
    kh07 = make_deployment(people.ranger_ru, khankaisky)
    for minutes, photos in ((0, 2), (10, 1), (45, 1), (120, 3)):
        detection(kh07, TIGER, T0 + dt.timedelta(minutes=minutes), photos)
    detection(kh07, LEOPARD, T0 + dt.timedelta(days=3), 2)
    return kh07


@pytest.fixture
def summer(people, khankaisky):
    kh08 = make_deployment(
        people.ranger_ru,
        khankaisky,
        station="KH-08",
        started_at=dt.datetime(2024, 7, 1, 12, 0),
        ended_at=dt.datetime(2024, 7, 21, 12, 0),
    )
    detection(kh08, TIGER, dt.datetime(2024, 7, 5, 3, 0, tzinfo=dt.UTC), 4)
    return kh08


def by_species(result):
    return {row.species.scientific_name: row for row in result.rows}


def test_a_deployment_counts_independent_events_and_photos(winter, settings):
    settings.CAMERA_INDEPENDENCE_MIN = 30
    result = deployment_abundance(winter)
    assert result.trap_nights == Decimal("30.0")
    tiger = by_species(result)[TIGER]
    assert (tiger.detections, tiger.photos) == (3, 7)
    assert tiger.events_per_100 == 10.0
    assert tiger.photos_per_100 == 23.33
    assert by_species(result)[LEOPARD].events_per_100 == 3.33


def test_the_threshold_is_a_setting(winter, settings):
    settings.CAMERA_INDEPENDENCE_MIN = 60
    assert by_species(deployment_abundance(winter))[TIGER].detections == 2
    settings.CAMERA_INDEPENDENCE_MIN = 5
    assert by_species(deployment_abundance(winter))[TIGER].detections == 4


def test_a_pa_per_season_and_over_all_seasons(people, khankaisky, winter, summer):
    from observations.access import access_for

    access = access_for(people.ranger_ru)
    whole = by_species(pa_abundance(access=access, pa=khankaisky))
    assert whole[TIGER].detections == 4 and whole[TIGER].trap_nights == Decimal("50.0")
    assert whole[TIGER].events_per_100 == 8.0
    winter_only = pa_abundance(access=access, pa=khankaisky, season=Season(2024, "winter"))
    assert winter_only.trap_nights == Decimal("30.0")
    assert by_species(winter_only)[TIGER].detections == 3
    summer_only = pa_abundance(access=access, pa=khankaisky, season=Season.parse("2024-summer"))
    assert by_species(summer_only)[TIGER].photos == 4 and summer_only.deployments == 1


def test_a_deployment_still_out_adds_nothing(people, khankaisky):
    out = make_deployment(people.ranger_ru, khankaisky, ended_at=None)
    detection(out, TIGER, T0, 1)
    assert deployment_abundance(out).rows == []


def test_the_api_gives_both_and_says_which_is_shown(api, people, winter, summer):
    api.force_authenticate(people.ranger_ru)
    body = api.get("/api/v1/abundance/?protected_area=RU-KHANKAISKY&season=2024-winter").json()
    assert body["shown"] == "events" and body["independence_threshold_min"] == 30
    assert "independent events per 100 trap-nights" in body["methods"]["events"]
    assert body["seasons"] == ["2024-summer", "2024-winter"]
    tiger = next(s for s in body["species"] if s["species"] == TIGER)
    assert tiger["events_per_100_trap_nights"] == 10.0
    assert tiger["photos_per_100_trap_days"] == 23.33
    one = api.get(f"/api/v1/abundance/?deployment={summer.pk}").json()
    assert one["trap_nights"] == 20.0 and one["species"][0]["independent_events"] == 1
    bad = api.get("/api/v1/abundance/?protected_area=RU-KHANKAISKY&season=2024-monsoon")
    assert bad.status_code == 400 and bad.json()["code"] == "bad_season"


def test_others_count_only_what_they_may_see(api, people, winter, summer):
    """The reviewer sees verified deployments only."""
    verify(summer)
    api.force_authenticate(people.reviewer)
    body = api.get("/api/v1/abundance/?protected_area=RU-KHANKAISKY").json()
    assert body["deployments"] == 1 and body["trap_nights"] == 20.0


def test_the_pa_page_shows_it(client, people, winter, summer, django_assert_max_num_queries):
    client.force_login(people.ranger_ru)
    url = reverse("pa-detail", args=["RU-KHANKAISKY"])
    with django_assert_max_num_queries(20):
        page = client.get(url + "?season=2024-winter").content.decode()
    assert "Camera traps: relative abundance" in page
    assert "Independent events" in page and "Photos per 100 trap-days" in page
    assert "<strong>10.0</strong>" in page
    assert "winter 2024" in page
