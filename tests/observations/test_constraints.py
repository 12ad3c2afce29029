"""The database itself refuses rows that must never be stored, whatever code wrote them."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from observations.models import (
    Individual,
    IndividualCode,
    Membership,
    Observation,
    ProtectedArea,
    Role,
    Species,
    SurveyEvent,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tiger(seeds):
    return Species.objects.get(scientific_name="Panthera tigris altaica")


def make_observation(pa, species, **overrides):
    values = {
        "protected_area": pa,
        "species": species,
        "observed_at": timezone.now() - timedelta(days=1),
        "latitude": 44.9,
        "longitude": 132.4,
        "count": 1,
        "evidence": "track",
    }
    values.update(overrides)
    return Observation.objects.create(**values)


def refused(**overrides):
    """True when the database refuses an observation with these values."""
    pa = ProtectedArea.objects.get(code="RU-KHANKAISKY")
    species = Species.objects.get(scientific_name="Panthera tigris altaica")
    try:
        with transaction.atomic():
            make_observation(pa, species, **overrides)
    except IntegrityError:
        return True
    return False


def test_a_sound_observation_is_stored(khankaisky, tiger):
    obs = make_observation(khankaisky, tiger, count=2, count_min=1, count_max=3)
    assert Observation.objects.get(pk=obs.pk).count == 2


@pytest.mark.parametrize(
    "bad",
    [
        {"count": -1},
        {"count": 2, "count_min": -1},
        {"count": 2, "count_min": 3},
        {"count": 5, "count_max": 4},
        {"latitude": 91.0},
        {"latitude": -90.5},
        {"longitude": 180.5},
        {"latitude": None},
        {"longitude": None},
        {"status": "rejected", "rejection_reason": ""},
    ],
    ids=lambda bad: ",".join(f"{k}={v}" for k, v in bad.items()),
)
def test_the_database_refuses_an_impossible_observation(seeds, bad):
    assert refused(**bad)


def test_a_place_may_be_missing_as_a_whole(seeds):
    """A record received with "PA only" precision carries no coordinates at all."""
    assert not refused(latitude=None, longitude=None)


def test_a_survey_cannot_end_before_it_starts(khankaisky):
    start = timezone.now() - timedelta(days=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyEvent.objects.create(
            protected_area=khankaisky,
            kind="transect",
            started_at=start,
            ended_at=start - timedelta(hours=1),
        )


@pytest.mark.parametrize("field", ["effort_km", "effort_trap_nights", "effort_hours"])
def test_effort_is_never_negative(khankaisky, field):
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyEvent.objects.create(
            protected_area=khankaisky, kind="transect", started_at=timezone.now(), **{field: -1}
        )


def test_a_protected_area_has_a_positive_area_and_a_real_centroid(seeds):
    for bad in [{"area_ha": -5}, {"centroid_lat": 95}, {"centroid_lon": -181}]:
        with pytest.raises(IntegrityError), transaction.atomic():
            ProtectedArea.objects.create(code="X-BAD", country="CN", name_en="Bad", **bad)


def test_a_code_is_unique_within_one_catalogue(tiger):
    a = Individual.objects.create(species=tiger)
    b = Individual.objects.create(species=tiger)
    IndividualCode.objects.create(individual=a, catalogue="RU", code="T-12")
    IndividualCode.objects.create(individual=b, catalogue="CN", code="T-12")  # other catalogue
    with pytest.raises(IntegrityError), transaction.atomic():
        IndividualCode.objects.create(individual=b, catalogue="RU", code="T-12")
    with pytest.raises(IntegrityError), transaction.atomic():
        IndividualCode.objects.create(individual=a, catalogue="RU", code="T-99")


def test_a_ranger_membership_names_its_pa_and_a_coordinator_its_country(people):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=people.nobody, role=Role.RANGER)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=people.nobody, role=Role.COORDINATOR, country="")


def test_the_same_membership_is_not_stored_twice(people, khankaisky):
    Membership.objects.create(user=people.nobody, role=Role.RANGER, protected_area=khankaisky)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=people.nobody, role=Role.RANGER, protected_area=khankaisky)
