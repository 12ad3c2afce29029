"""The disclosure policy, audience by audience, and its SQL twins bit for bit.

One module (observations.disclosure.policy) decides how precisely a place is shown and
what becomes of free text; the database writes exports and datasets with the policy's
SQL twins, which must say exactly what the Python says, row by row."""

import datetime as dt
import random

import pytest
from django.contrib.auth import get_user_model

from observations.access import access_for
from observations.disclosure import PUBLIC, PartnerAudience, PublicAudience, for_user
from observations.disclosure.grid import EXACT
from observations.disclosure.policy import (
    NAMES,
    REDACT,
    SHOW,
    WITHHOLD,
    photo_shown,
    photo_shown_sql,
)
from observations.disclosure.text import MARK, names_expression, replace_names
from observations.models import Deployment, Media, Observation, Species, SurveyEvent

pytestmark = pytest.mark.django_db
UTC = dt.UTC

NOTE = "seen by Ivan Petrov at 44.963817 132.418263 near the hut"


@pytest.fixture
def world(people, khankaisky, xingkaihu):
    people.ranger_ru.first_name, people.ranger_ru.last_name = "Ivan", "Petrov"
    people.ranger_ru.save()
    species = {sp.scientific_name: sp for sp in Species.objects.all()}
    records = []
    rng = random.Random(7)
    for i, sp in enumerate(species.values()):
        for pa in (khankaisky, xingkaihu):
            records.append(
                Observation.objects.create(
                    protected_area=pa,
                    species=sp,
                    observed_at=dt.datetime(2025, 1, 1 + i % 27, tzinfo=UTC),
                    latitude=44.5 + rng.random(),
                    longitude=132.0 + rng.random(),
                    coordinate_uncertainty_m=rng.choice([None, 5, 30000]),
                    status="verified",
                    created_by=people.ranger_ru,
                    origin_node=pa.country,
                    notes=rng.choice(["", NOTE, "plain words", "Petrov and Ivan Petrov"]),
                )
            )
    SurveyEvent.objects.create(
        protected_area=khankaisky,
        kind="camera_trap",
        started_at=dt.datetime(2025, 1, 1, tzinfo=UTC),
        latitude=44.963817,
        longitude=132.418263,
        status="verified",
        created_by=people.ranger_ru,
    )
    return species, records


def audiences(people, species):
    tiger = species["Panthera tigris altaica"]
    crane = species["Grus japonensis"]
    return {
        "ranger_ru": for_user(access_for(people.ranger_ru)),
        "ranger_cn": for_user(access_for(people.ranger_cn)),
        "coordinator_cn": for_user(access_for(people.coordinator_cn)),
        "reviewer": for_user(access_for(people.reviewer)),
        "admin": for_user(access_for(people.admin)),
        "public": PUBLIC,
        "dataset 10km": PublicAudience(floor="10km"),
        "partner": PartnerAudience(precision={tiger.pk: "10km", crane.pk: "exact"}),
        "partner redact": PartnerAudience(
            precision={tiger.pk: "pa", crane.pk: "1km"}, free_text=REDACT
        ),
    }


def test_each_audience_sees_what_the_rules_say(people, world, khankaisky, xingkaihu):
    species, _records = world
    tiger, plant = species["Panthera tigris altaica"], species["Pinus koraiensis"]
    seen = audiences(people, species)
    assert seen["ranger_ru"].record_precision(khankaisky, tiger) == EXACT  # their own PA
    assert seen["ranger_ru"].record_precision(xingkaihu, tiger) == "10km"
    assert seen["coordinator_cn"].record_precision(xingkaihu, tiger) == EXACT
    assert seen["coordinator_cn"].record_precision(khankaisky, tiger) == "10km"
    assert seen["reviewer"].record_precision(khankaisky, tiger) == "10km"
    assert seen["admin"].record_precision(khankaisky, tiger) == EXACT
    assert seen["public"].record_precision(khankaisky, tiger) == "10km"
    assert seen["public"].record_precision(khankaisky, plant) == EXACT
    assert seen["dataset 10km"].record_precision(khankaisky, plant) == "10km"
    assert seen["partner"].record_precision(khankaisky, tiger) == "10km"
    # Stations: never finer than 10 km outside the PAs one oversees; a partner gets the
    # coarsest precision agreed for any species.
    assert seen["reviewer"].station_precision(khankaisky) == "10km"
    assert seen["ranger_ru"].station_precision(khankaisky) == EXACT
    assert seen["public"].station_precision(khankaisky) == "10km"
    assert seen["partner redact"].station_precision(khankaisky) == "pa"


def test_free_text_follows_the_place(people, world):
    species, _records = world
    seen = audiences(people, species)
    assert seen["ranger_ru"].text_rule(EXACT) == SHOW
    assert seen["reviewer"].text_rule("10km") == REDACT
    assert seen["partner"].text_rule("10km") == WITHHOLD  # the agreement's default
    assert seen["partner redact"].text_rule("1km") == REDACT
    assert seen["partner"].text_rule(EXACT) == NAMES  # names do not travel by default
    assert seen["public"].text_rule("1km") == WITHHOLD
    assert seen["public"].text_rule(EXACT) == NAMES

    shown = seen["reviewer"].text(NOTE, "10km")
    assert shown.redacted and "44.96" not in shown.value and "Petrov" not in shown.value
    assert MARK in shown.value and "near the hut" in shown.value
    withheld = seen["partner"].text(NOTE, "10km")
    assert withheld.value == MARK and withheld.withheld  # the partner sees there were notes
    published = seen["public"].text(NOTE, "10km")
    assert published.value == "" and published.withheld  # a file says so in its metadata
    assert seen["ranger_ru"].text(NOTE, EXACT).value == NOTE


def _python_rows(audience, records):
    rows = {}
    for obs in records:
        place = audience.record_place(obs)
        rows[obs.pk] = (
            place.latitude,
            place.longitude,
            place.uncertainty_m,
            place.precision,
            _bulk_text(audience, obs.notes, place.precision),
        )
    return rows


def _bulk_text(audience, text, precision):
    """What the database writes: the Python text, except that it withholds what Python
    would redact."""
    rule = audience.text_rule(precision)
    return "" if rule in (REDACT, WITHHOLD) else audience.text(text, precision).value


def test_the_sql_twins_say_what_the_python_says_for_every_audience(people, world):
    species, records = world
    records = list(Observation.objects.select_related("species", "protected_area"))
    for name, audience in audiences(people, species).items():
        lat, lon, unc, precision = audience.record_place_sql()
        notes = audience.text_sql("notes", precision)
        in_sql = {
            pk: (*row[:4], row[4] or "")
            for pk, *row in Observation.objects.annotate(
                _lat=lat, _lon=lon, _unc=unc, _precision=precision, _notes=notes
            ).values_list("pk", "_lat", "_lon", "_unc", "_precision", "_notes")
        }
        assert in_sql == _python_rows(audience, records), name


def test_the_station_twins_say_what_the_python_says(people, world):
    species, _records = world
    events = list(SurveyEvent.objects.select_related("protected_area"))
    for name, audience in audiences(people, species).items():
        lat, lon, _unc, precision = audience.station_place_sql()
        in_sql = dict(
            SurveyEvent.objects.annotate(_lat=lat, _lon=lon, _p=precision).values_list("pk", "_lat")
        )
        assert in_sql == {e.pk: audience.station_place(e).latitude for e in events}, name


def test_names_are_replaced_the_same_way_in_the_database(people, world):
    get_user_model().objects.create_user("王伟", first_name="伟", last_name="王")
    texts = [NOTE, "王伟看见了虎", "Petrov, petrov, Ivan Petrov!", "", "nobody here"]
    for i, text in enumerate(texts):
        Observation.objects.filter(pk=world[1][i].pk).update(notes=text)
    shown = dict(
        Observation.objects.annotate(_n=names_expression("notes")).values_list("notes", "_n")
    )
    for text in texts:
        assert shown[text] == replace_names(text).text, text
    assert shown[NOTE] == f"seen by {MARK} at 44.963817 132.418263 near the hut"
    assert "王伟" not in shown["王伟看见了虎"]


def test_the_photo_twin_says_what_the_python_says(people, world, xingkaihu):
    """``photo_shown_sql`` (Access.visible_media, the Camtrap DP export) keeps exactly the
    photos ``photo_shown`` shows (the pages, the API, files, the feed, the sync)."""
    species, _records = world
    stations = [Deployment.objects.create(event=SurveyEvent.objects.get(), station="KH-01")]
    stations.append(
        Deployment.objects.create(
            event=SurveyEvent.objects.create(
                protected_area=xingkaihu,
                kind="camera_trap",
                started_at=dt.datetime(2025, 1, 1, tzinfo=UTC),
                latitude=45.2,
                longitude=132.6,
                status="verified",
                created_by=people.ranger_cn,
                origin_node="CN",
            ),
            station="XK-01",
        )
    )
    for station in stations:
        for has_people, released_by in ((False, None), (True, None), (True, people.admin)):
            Media.objects.create(deployment=station, has_people=has_people, released_by=released_by)
    photos = list(Media.objects.select_related("deployment__event__protected_area"))
    for name, audience in audiences(people, species).items():
        in_sql = set(Media.objects.filter(photo_shown_sql(audience)).values_list("pk", flat=True))
        assert in_sql == {m.pk for m in photos if photo_shown(audience, m)}, name
