"""The one validation service: every rule, checked directly (the form, API and import
tests check that each path uses it)."""

import datetime as dt

import pytest
from django.utils import timezone

from observations.access import access_for
from observations.models import Individual, IndividualCode, Species
from observations.validation import RecordInvalid, clean_observation

pytestmark = pytest.mark.django_db


@pytest.fixture
def valid(khankaisky):
    """A crane seen at Khanka Lake yesterday: a record that passes every rule."""
    return {
        "protected_area": "RU-KHANKAISKY",
        "species": "Grus japonensis",
        "observed_at": timezone.now() - dt.timedelta(days=1),
        "latitude": 44.95,
        "longitude": 132.45,
        "count": 3,
        "evidence": "sighting",
    }


def problems(values, person=None):
    """The codes of the rules a record breaks, by field."""
    try:
        clean_observation(values, access=access_for(person) if person else None)
    except RecordInvalid as exc:
        return {name: [p.code for p in found] for name, found in exc.errors.items()}
    return {}


def test_a_sound_record_passes(valid, people):
    assert problems(valid, people.ranger_ru) == {}


def test_species_must_be_known_and_monitored(valid):
    assert problems({**valid, "species": "Felis catus"}) == {"species": ["unknown_species"]}
    Species.objects.filter(scientific_name="Grus japonensis").update(monitored=False)
    assert problems(valid) == {"species": ["species_not_monitored"]}


def test_species_may_be_named_in_any_language(valid):
    for name in ["Red-crowned crane", "японский журавль", "丹顶鹤", "grus japonensis"]:
        assert problems({**valid, "species": name}) == {}, name


def test_the_time_is_not_in_the_future_nor_before_1990(valid):
    tomorrow = timezone.now() + dt.timedelta(days=1)
    assert problems({**valid, "observed_at": tomorrow}) == {"observed_at": ["in_future"]}
    old = dt.datetime(1989, 12, 31, tzinfo=dt.UTC)
    assert problems({**valid, "observed_at": old}) == {"observed_at": ["too_early"]}


def test_a_time_without_zone_is_the_pas_local_time_stored_in_utc(valid):
    local = dt.datetime(2025, 6, 1, 7, 30)  # Khankaisky: Asia/Vladivostok, UTC+10
    cleaned = clean_observation({**valid, "observed_at": local}, access=None)
    assert cleaned["observed_at"] == dt.datetime(2025, 5, 31, 21, 30, tzinfo=dt.UTC)


def test_a_point_far_from_the_amur_basin_is_refused_where_no_boundary_is_known(valid):
    assert problems({**valid, "latitude": 55.75, "longitude": 37.6}) == {
        "latitude": ["outside_amur_basin"]
    }


def test_a_known_boundary_is_used_with_its_tolerance(valid, khankaisky, settings):
    khankaisky.boundary = {
        "type": "Polygon",
        "coordinates": [
            [[132.0, 44.6], [133.0, 44.6], [133.0, 45.2], [132.0, 45.2], [132.0, 44.6]]
        ],
    }
    khankaisky.save()
    settings.RECORD_BOUNDARY_TOLERANCE_M = 2000
    assert problems({**valid, "latitude": 45.21, "longitude": 132.5}) == {}  # ~1.1 km out
    assert problems({**valid, "latitude": 45.30, "longitude": 132.5}) == {
        "latitude": ["outside_protected_area"]
    }


def test_a_declared_gcj02_point_is_converted_and_an_undeclared_one_is_not(valid):
    plain = clean_observation(valid, access=None)
    assert (plain["latitude"], plain["longitude"]) == (44.95, 132.45)
    converted = clean_observation({**valid, "datum": "GCJ02"}, access=None)
    assert converted["latitude"] != 44.95 and converted["longitude"] != 132.45
    assert problems({**valid, "datum": "BD09"}) == {"datum": ["unknown_datum"]}


def test_coordinates_come_in_pairs_and_in_range(valid):
    assert problems({**valid, "latitude": None}) == {"latitude": ["coordinates_incomplete"]}
    assert "latitude_range" in problems({**valid, "latitude": 91})["latitude"]
    assert "longitude_range" in problems({**valid, "longitude": 181})["longitude"]


def test_counts_are_never_negative_and_lie_between_min_and_max(valid):
    assert problems({**valid, "count": -1}) == {"count": ["count_negative"]}
    assert problems({**valid, "count": 3, "count_min": 4}) == {"count": ["count_below_min"]}
    assert problems({**valid, "count": 3, "count_max": 2}) == {"count": ["count_above_max"]}
    assert problems({**valid, "count": 3, "count_min": 5, "count_max": 4}) == {
        "count_min": ["min_above_max"]
    }
    assert problems({**valid, "count": 3, "count_min": 2, "count_max": 6}) == {}


def test_the_evidence_fits_the_species(valid):
    tiger = {**valid, "species": "Panthera tigris altaica", "evidence": "nest"}
    assert problems(tiger) == {"evidence": ["evidence_not_allowed"]}
    assert problems({**tiger, "evidence": "track"}) == {}


def test_the_unit_fits_the_species(valid):
    assert problems({**valid, "unit": "nests"}) == {}
    tiger = {**valid, "species": "Panthera tigris altaica", "evidence": "track"}
    assert problems({**tiger, "unit": "nests"}) == {"unit": ["unit_not_allowed"]}


def test_an_individual_belongs_to_the_records_species(valid):
    tiger = Species.objects.get(scientific_name="Panthera tigris altaica")
    t12 = Individual.objects.create(species=tiger)
    IndividualCode.objects.create(individual=t12, catalogue="RU", code="T-12")
    record = {**valid, "species": "Panthera tigris altaica", "evidence": "camera"}
    assert problems({**record, "individual": "RU T-12"}) == {}
    assert problems({**valid, "individual": str(t12.pk)}) == {
        "individual": ["individual_other_species"]
    }
    assert problems({**record, "individual": "RU T-99"}) == {"individual": ["unknown_individual"]}


def test_a_ranger_records_only_where_they_work(valid, people):
    assert problems({**valid, "protected_area": "RU-BASTAK"}, people.ranger_ru) == {
        "protected_area": ["not_your_protected_area"]
    }
    assert problems({**valid, "protected_area": "RU-NOWHERE"}) == {
        "protected_area": ["unknown_protected_area"]
    }


def test_every_broken_rule_is_reported_at_once(valid):
    found = problems({**valid, "count": -1, "species": "Felis catus", "latitude": 99})
    assert set(found) == {"count", "species", "latitude"}


def test_messages_speak_the_users_language(valid):
    from django.utils import translation

    with translation.override("ru"):
        try:
            clean_observation({**valid, "count": -1}, access=None)
        except RecordInvalid as exc:
            assert "отрицательн" in str(exc.errors["count"][0].message)
    with translation.override("zh-hans"):
        try:
            clean_observation({**valid, "count": -1}, access=None)
        except RecordInvalid as exc:
            assert "负" in str(exc.errors["count"][0].message)
