# ruff: noqa: F401, F811 - the fixtures come from test_camera_kit
"""Classifying sequences: empty, people, or species, count and (tigers, leopards) which
animal. Each species named becomes an Observation with evidence "camera" linked to the
sequence's photos.

Anna (ranger_ru) goes through KH-07's card: a tiger at dawn (the known T-12), an empty
burst of swaying grass, and a burst with a man on a snowmobile.
"""

import datetime as dt

import pytest
from django.urls import reverse

from observations.camera.ingest import media_ingest
from observations.models import (
    ChangeEntry,
    Classification,
    Individual,
    IndividualCode,
    Media,
    Observation,
    Sequence,
    Species,
)

from .test_camera_kit import burst, ranger, station, upload

pytestmark = pytest.mark.django_db

DAWN = dt.datetime(2024, 1, 15, 6, 30, 0)
TIGER = "Panthera tigris altaica"


@pytest.fixture
def card(api, ranger, station):
    """Three sequences of KH-07, ingested: dawn (3 photos), noon (2), evening (1)."""
    photos = (
        burst(DAWN, [0, 2, 4])
        + burst(DAWN + dt.timedelta(hours=6), [0, 5], colour=(90, 90, 20))
        + burst(DAWN + dt.timedelta(hours=12), [0], colour=(20, 30, 90))
    )
    for data in photos:
        answer = upload(api, station, data)
        assert answer.status_code == 201
        media_ingest(media_id=answer.json()["id"])
    return list(Sequence.objects.filter(deployment=station).order_by("started_at"))


@pytest.fixture
def t12(seeds, people):
    tiger = Species.objects.get(scientific_name=TIGER)
    individual = Individual.objects.create(species=tiger, label="T-12", sex="male")
    IndividualCode.objects.create(individual=individual, catalogue="RU", code="T-12")
    return individual


def classify(api, sequence, **body):
    return api.post(f"/api/v1/sequences/{sequence.pk}/classify/", body, format="json")


def test_a_tiger_sequence_becomes_a_camera_observation(api, people, card, station, t12):
    dawn = card[0]
    answer = classify(
        api, dawn, verdict="animals", seen=[{"species": TIGER, "individual": "RU T-12"}]
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["state"] == "animals"
    (obs,) = Observation.objects.all()
    assert (obs.species.scientific_name, obs.count, obs.evidence) == (TIGER, 1, "camera")
    assert (obs.source, obs.status, obs.individual) == ("camera", "draft", t12)
    assert obs.event_id == station.pk and obs.protected_area.code == "RU-KHANKAISKY"
    assert obs.observed_at == dt.datetime(2024, 1, 14, 20, 30, tzinfo=dt.UTC)
    assert (obs.latitude, obs.longitude) == (44.95, 132.45)
    assert obs.created_by == people.ranger_ru
    # Linked to its photos through its classification and sequence.
    assert sorted(m.pk for m in obs.classification.sequence.media.all()) == sorted(
        m.pk for m in Media.objects.filter(sequence=dawn)
    )
    assert ChangeEntry.objects.filter(kind="observation", record_id=obs.pk).exists()
    listed = answer.json()["classifications"]
    assert listed == [
        {
            "kind": "animal",
            "species": TIGER,
            "count": 1,
            "individual": "RU T-12",
            "observation": str(obs.pk),
        }
    ]


def test_a_new_individual_enters_our_catalogue(api, card):
    answer = classify(
        api,
        card[0],
        verdict="animals",
        seen=[{"species": TIGER, "new_individual": True, "new_individual_code": "T-31"}],
    )
    assert answer.status_code == 200, answer.json()
    code = IndividualCode.objects.get(catalogue="RU", code="T-31")
    assert Observation.objects.get().individual == code.individual
    assert ChangeEntry.objects.filter(kind="individual", record_id=code.individual_id).exists()

    taken = classify(
        api,
        card[1],
        verdict="animals",
        seen=[{"species": TIGER, "new_individual": True, "new_individual_code": "T-31"}],
    )
    assert taken.status_code == 400 and taken.json()["code"] == "code_taken"


def test_empty_and_people(api, card):
    assert classify(api, card[1], verdict="empty").json()["state"] == "empty"
    assert classify(api, card[2], verdict="people").json()["state"] == "other"
    assert not Observation.objects.exists()
    assert all(m.has_people for m in Media.objects.filter(sequence=card[2]))
    assert not any(m.has_people for m in Media.objects.filter(sequence=card[1]))
    assert set(Classification.objects.values_list("kind", flat=True)) == {"blank", "human"}


def test_a_draft_verdict_may_be_changed(api, card):
    """Tiger, then (on a second look) empty: the draft observation goes, with a tombstone."""
    classify(api, card[0], verdict="animals", seen=[{"species": TIGER, "count": 2}])
    obs = Observation.objects.get()
    assert classify(api, card[0], verdict="empty").status_code == 200
    assert not Observation.objects.exists()
    assert ChangeEntry.objects.filter(record_id=obs.pk, action="delete").exists()
    assert list(Classification.objects.values_list("kind", flat=True)) == ["blank"]


def test_a_submitted_verdict_is_changed_through_the_review(api, people, card):
    classify(api, card[0], verdict="animals", seen=[{"species": TIGER}])
    obs = Observation.objects.get()
    assert api.post(f"/api/v1/observations/{obs.pk}/submit/").status_code == 200
    answer = classify(api, card[0], verdict="empty")
    assert answer.status_code == 403 and answer.json()["code"] == "already_submitted"
    assert Observation.objects.get().status == "submitted"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"verdict": "animals", "seen": []}, "nothing_chosen"),
        ({"verdict": "empty", "seen": [{"species": TIGER}]}, "empty_with_species"),
        ({"verdict": "animals", "seen": [{"species": "Vulpes vulpes"}]}, "invalid"),
        ({"verdict": "animals", "seen": [{"species": "Hucho taimen"}]}, "invalid"),
    ],
)
def test_a_wrong_verdict_is_refused(api, card, body, code):
    """An unknown species, or a fish on a camera trap, is refused by the validation."""
    answer = classify(api, card[0], **body)
    assert answer.status_code == 400 and answer.json()["code"] == code
    assert Sequence.objects.get(pk=card[0].pk).state == "unclassified"


def test_only_the_pas_people_classify(api, people, card, station):
    for person, status in ((people.outsider, 404), (people.reviewer, 404)):
        api.force_authenticate(person)
        assert classify(api, card[0], verdict="empty").status_code == status
    api.force_authenticate(people.manager_ru)
    assert classify(api, card[0], verdict="empty").status_code == 200


# --- the page --------------------------------------------------------------------------


def test_the_page_walks_through_the_sequences(client, people, card, station, t12):
    """Keys on the page, and the plain form: tiger T-12, then the next sequence opens."""
    client.force_login(people.ranger_ru)
    start = client.get(reverse("camera-classify", args=[station.pk]))
    assert start.status_code == 302 and start["Location"].endswith(f"/sequences/{card[0].pk}/")
    page = client.get(start["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert "<kbd>1</kbd><span>Amur tiger</span>" in text
    assert "/api/v1/media/" in text and "3 sequences left to classify" in text
    tiger = Species.objects.get(scientific_name=TIGER)
    answer = client.post(
        start["Location"],
        {"verdict": "animals", "species": tiger.pk, "count": "1", "individual": str(t12.pk)},
    )
    assert answer.status_code == 302
    assert answer["Location"].endswith(f"/sequences/{card[1].pk}/")
    obs = Observation.objects.get()
    assert (obs.species, obs.individual, obs.evidence) == (tiger, t12, "camera")

    empty = client.post(answer["Location"], {"verdict": "empty"})
    assert empty["Location"].endswith(f"/sequences/{card[2].pk}/")
    last = client.post(empty["Location"], {"verdict": "empty"})
    assert last["Location"].endswith(f"/camera/deployments/{station.pk}/")

    done = client.get(last["Location"])
    assert "Amur tiger × 1" in done.content.decode()


def test_the_page_says_what_is_wrong(client, people, card):
    client.force_login(people.ranger_ru)
    url = reverse("camera-sequence", args=[card[0].pk])
    answer = client.post(url, {"verdict": "animals"})
    assert answer.status_code == 400
    assert "Choose a species." in answer.content.decode()


def test_pages_cost_a_fixed_number_of_queries(
    client, people, card, station, django_assert_max_num_queries
):
    client.force_login(people.ranger_ru)
    classify_url = reverse("camera-sequence", args=[card[0].pk])
    with django_assert_max_num_queries(16):
        assert client.get(classify_url).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(reverse("camera-deployment", args=[station.pk])).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("camera-home")).status_code == 200


def test_the_sequence_list_costs_a_fixed_number_of_queries(
    api, card, station, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        answer = api.get(f"/api/v1/sequences/?deployment={station.pk}")
    assert [len(s["media"]) for s in answer.json()["results"]] == [3, 2, 1]
    with django_assert_max_num_queries(6):
        assert len(api.get(f"/api/v1/media/?deployment={station.pk}").json()["results"]) == 6


def test_a_photo_and_a_sequence_cost_a_fixed_number_of_queries(
    api, card, django_assert_max_num_queries
):
    media = card[0].media.first()
    with django_assert_max_num_queries(4):
        assert api.get(f"/api/v1/media/{media.pk}/").status_code == 200
    with django_assert_max_num_queries(7):
        assert api.get(f"/api/v1/sequences/{card[0].pk}/").status_code == 200
