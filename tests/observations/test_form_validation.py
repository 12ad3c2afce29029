"""Every rule of the validation service, met through the record form: the page says what
the API and the file import say, on the field concerned, in the ranger's language."""

import datetime as dt

import pytest

from observations.models import (
    Individual,
    IndividualCode,
    Observation,
    ProtectedArea,
    Species,
    SurveyEvent,
)

pytestmark = pytest.mark.django_db

TIGER = "Panthera tigris altaica"
CRANE = "Grus japonensis"


@pytest.fixture
def ranger(client, people):
    """Anna's colleague: ranger_ru of Khankaisky, logged in."""
    client.force_login(people.ranger_ru)
    return people.ranger_ru


def species(name: str) -> Species:
    return Species.objects.get(scientific_name=name)


def crane_record(**changes) -> dict:
    """A good record of three red-crowned cranes at Khankaisky, as the form sends it."""
    data = {
        "protected_area": "RU-KHANKAISKY",
        "species": str(species(CRANE).pk),
        "evidence": "sighting",
        "observed_at": "2025-05-01T06:30",
        "count": "3",
        "latitude": "44.95",
        "longitude": "132.45",
        "datum": "WGS84",
        "sex": "unknown",
        "age_class": "unknown",
        "action": "draft",
    }
    data.update(changes)
    return data


def tiger_record(**changes) -> dict:
    return crane_record(**{"species": str(species(TIGER).pk), "evidence": "track", **changes})


def post(client, data, lang="en"):
    return client.post(f"/{lang}/records/new/", data)


def errors(response) -> dict[str, list[str]]:
    assert response.status_code == 200, "the form comes back with its errors"
    return {name: list(messages) for name, messages in response.context["form"].errors.items()}


def test_a_good_record_is_filed(client, ranger):
    """A complete record is saved and the ranger lands on its page."""
    response = post(client, crane_record())
    record = Observation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/en/records/{record.pk}/"
    assert record.created_by == ranger
    assert record.count == 3


def test_the_time_is_the_protected_areas_local_time(client, ranger):
    """06:30 typed for Khankaisky (Vladivostok, UTC+10) is stored as 20:30 UTC the day before."""
    post(client, crane_record(observed_at="2025-05-01T06:30"))
    stored = Observation.objects.get().observed_at
    assert stored == dt.datetime(2025, 4, 30, 20, 30, tzinfo=dt.UTC)


def test_a_decimal_comma_is_read_as_a_point(client, ranger):
    """A Russian keyboard's 44,95 is 44.95."""
    post(client, crane_record(latitude="44,95", longitude="132,45"))
    record = Observation.objects.get()
    assert (record.latitude, record.longitude) == (44.95, 132.45)


def test_gcj02_coordinates_are_converted_to_wgs84(client, ranger):
    """A point read off a Chinese map app is stored in WGS 84."""
    post(client, crane_record(datum="GCJ02"))
    record = Observation.objects.get()
    assert record.latitude != 44.95 and abs(record.latitude - 44.95) < 0.01
    assert record.longitude != 132.45 and abs(record.longitude - 132.45) < 0.02


RULES = [
    ({"protected_area": ""}, "protected_area", "This field is required."),
    ({"protected_area": "RU-NOWHERE"}, "protected_area", "Unknown protected area: RU-NOWHERE."),
    (
        {"protected_area": "RU-BASTAK"},
        "protected_area",
        "You may not file records for this protected area.",
    ),
    (
        {"protected_area": "CN-XINGKAIHU"},
        "protected_area",
        "You may not file records for this protected area.",
    ),
    ({"species": ""}, "species", "This field is required."),
    ({"species": "999999"}, "species", "Unknown species: 999999."),
    ({"observed_at": ""}, "observed_at", "This field is required."),
    ({"observed_at": "2999-01-01T00:00"}, "observed_at", "The time is in the future."),
    ({"observed_at": "1989-12-31T12:00"}, "observed_at", "The time is before 1990."),
    ({"datum": "BD09"}, "datum", "Unknown datum BD09: use WGS84 or GCJ02."),
    ({"latitude": ""}, "latitude", "Give both latitude and longitude, or neither."),
    ({"longitude": ""}, "longitude", "Give both latitude and longitude, or neither."),
    ({"latitude": "91"}, "latitude", "Latitude must be between -90 and 90."),
    ({"longitude": "181"}, "longitude", "Longitude must be between -180 and 180."),
    (
        {"latitude": "30", "longitude": "100"},
        "latitude",
        "The point lies outside the Amur basin.",
    ),
    ({"count": "-1"}, "count", "The count cannot be negative."),
    ({"count_min": "-1"}, "count_min", "The count cannot be negative."),
    ({"count": "5", "count_min": "6"}, "count", "The count is below the minimum count."),
    ({"count": "5", "count_max": "4"}, "count", "The count is above the maximum count."),
    (
        {"count_min": "6", "count_max": "4"},
        "count_min",
        "The minimum count is above the maximum count.",
    ),
    ({"evidence": ""}, "evidence", "This field is required."),
    ({"individual": "RU X-99"}, "individual", "Unknown individual: RU X-99."),
    ({"event": "not-an-event"}, "event", "Unknown survey event: not-an-event."),
]


@pytest.mark.parametrize(("changes", "field", "message"), RULES)
def test_each_rule_is_shown_on_its_field(client, ranger, changes, field, message):
    """The service's message appears on the field it concerns, and nothing is saved."""
    response = post(client, crane_record(**changes))
    assert message in errors(response)[field]
    assert message in response.content.decode()
    assert not Observation.objects.exists()


def test_a_tiger_is_not_counted_in_nests(client, ranger):
    """The species' allowed units come from the service."""
    response = post(client, tiger_record(unit="nests"))
    assert errors(response)["unit"] == ["Amur tiger is not counted in nests."]


def test_a_tiger_leaves_no_nest(client, ranger):
    """The species' allowed evidence comes from the service."""
    response = post(client, tiger_record(evidence="nest"))
    assert errors(response)["evidence"] == ["Evidence “nest” does not fit Amur tiger."]


def test_a_species_no_longer_monitored_is_refused(client, ranger):
    """A species taken off the list cannot get new records, even by a hand-made request."""
    bear = species("Ursus arctos")
    bear.monitored = False
    bear.save()
    response = post(client, crane_record(species=str(bear.pk)))
    assert errors(response)["species"] == ["Brown bear is not a monitored species."]


def test_a_point_outside_the_protected_areas_boundary_is_refused(client, ranger, khankaisky):
    """Where the PA's boundary is known, a point far outside it is refused."""
    khankaisky.boundary = {
        "type": "Polygon",
        "coordinates": [
            [[132.0, 44.5], [133.0, 44.5], [133.0, 45.5], [132.0, 45.5], [132.0, 44.5]]
        ],
    }
    khankaisky.save()
    response = post(client, crane_record(latitude="46.5", longitude="132.45"))
    [message] = errors(response)["latitude"]
    assert message.startswith("The point lies ") and "outside the protected area" in message


def test_a_known_individual_of_another_species_is_refused(client, ranger, seeds):
    """Tiger T-12 cannot be filed as a crane."""
    tiger = Individual.objects.create(species=species(TIGER), label="T-12")
    IndividualCode.objects.create(individual=tiger, catalogue="RU", code="T-12")
    response = post(client, crane_record(individual="RU T-12"))
    assert errors(response)["individual"] == [
        "This individual is a Amur tiger, not a Red-crowned crane."
    ]
    post(client, tiger_record(individual="RU T-12"))
    assert Observation.objects.get().individual == tiger


def test_a_survey_event_of_another_protected_area_is_refused(client, ranger, bastak):
    """An observation hangs off an effort of its own PA."""
    event = SurveyEvent.objects.create(
        protected_area=bastak,
        kind="transect",
        started_at=dt.datetime(2025, 5, 1, tzinfo=dt.UTC),
        status="verified",
    )
    response = post(client, crane_record(event=str(event.pk)))
    assert errors(response)["event"] == ["The survey event belongs to another protected area."]


def test_every_problem_is_shown_at_once(client, ranger):
    """A count that cannot be read does not hide the service's other findings."""
    response = post(client, crane_record(count="many", species="", latitude="91"))
    found = errors(response)
    assert found["count"] == ["Enter a whole number."]
    assert found["species"] == ["This field is required."]
    assert found["latitude"] == ["Latitude must be between -90 and 90."]
    assert not Observation.objects.exists()


def test_the_messages_speak_the_rangers_language(client, ranger):
    """On the Russian page the same rules answer in Russian."""
    response = post(client, crane_record(species="", evidence=""), lang="ru")
    page = response.content.decode()
    assert "Обязательное поле." in errors(response)["species"]
    assert "This field is required." not in page


def test_a_planned_protected_area_takes_no_records(client, people):
    """Even an administrator cannot file records for a PA that does not exist yet."""
    client.force_login(people.admin)
    planned = ProtectedArea.objects.filter(status="planned", country="RU").first()
    response = post(client, crane_record(protected_area=planned.code))
    assert errors(response)["protected_area"] == [
        "You may not file records for this protected area."
    ]
