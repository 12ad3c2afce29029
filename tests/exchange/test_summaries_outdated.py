"""A summary keeps the fingerprint of the data it was made from: when a counted record
changes afterwards, the summary shows as outdated; a change to data it did not count
leaves it current. The check of a whole list costs a fixed number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from exchange.models import Summary
from exchange.summaries import service
from exchange.summaries.fingerprint import mark_outdated
from observations.models import DoubleCountFlag, IndividualMatch, Observation

from .summary_stories import (
    CRANE,
    STORK,
    TIGER,
    at,
    make_cranes,
    make_storks,
    make_tigers,
    pa,
    record,
    species,
    survey,
)

pytestmark = pytest.mark.django_db


def made(name, *, scope="joint", country="", **period) -> Summary:
    """A summary made as the worker makes it (figures and fingerprint; no PDF needed)."""
    summary = service.summary_create(
        access=None,
        user=None,
        species=name,
        scope=scope,
        country=country,
        enqueue=False,
        **period,
    )
    summary = Summary.objects.select_related("species", "protected_area", "campaign").get(
        pk=summary.pk
    )
    result = service.measure(summary)
    Summary.objects.filter(pk=summary.pk).update(
        status="done",
        fingerprint=result["fingerprint"],
        survey_kinds=result["survey_kinds"],
        figures=result["figures"],
        total=result["figures"]["total"],
    )
    return Summary.objects.select_related("species", "protected_area", "campaign").get(
        pk=summary.pk
    )


def outdated(summary) -> bool:
    summary = Summary.objects.select_related("species", "protected_area", "campaign").get(
        pk=summary.pk
    )
    mark_outdated([summary])
    return summary.outdated


@pytest.fixture
def tigers(people):
    return make_tigers(people)


@pytest.fixture
def storks(people):
    return make_storks(people)


def test_a_summary_is_current_while_its_data_is_unchanged(tigers):
    assert outdated(made(TIGER, year=2025)) is False


def test_a_summary_not_made_yet_is_neither(people, tigers):
    summary = service.summary_create(
        access=None, user=None, species=TIGER, scope="joint", year=2025, enqueue=False
    )
    assert outdated(summary) is None


def test_changing_a_counted_record_makes_it_outdated(storks):
    summary = made(STORK, year=2025, scope="country", country="RU")
    bastak = storks["bastak_new_year"]
    bastak.count = 5
    bastak.save()
    assert outdated(summary) is True


def test_a_record_that_stops_being_verified_makes_it_outdated(storks):
    summary = made(STORK, year=2025, scope="country", country="RU")
    reopened = storks["khanka_9"]
    reopened.status = "submitted"
    reopened.save()
    assert outdated(summary) is True


def test_a_record_received_later_makes_the_joint_summary_outdated(tigers):
    summary = made(TIGER, year=2025)
    record(pa("CN-DAJIAHE"), species(TIGER), at(2025, 3, 3), evidence="track")
    assert outdated(summary) is True


def test_a_record_withdrawn_by_the_partner_makes_it_outdated(tigers):
    summary = made(TIGER, year=2025)
    tigers["at032"].delete()  # the partner's tombstone deletes the received record
    assert outdated(summary) is True


def test_an_individual_unlinked_by_the_sync_makes_it_outdated(tigers):
    """The sync unlinks the records of a withdrawn individual with a bulk update, which does
    not touch updated_at: the fingerprint still sees it."""
    summary = made(TIGER, year=2025)
    Observation.objects.filter(pk=tigers["at032"].pk).update(individual=None)
    assert outdated(summary) is True


def test_a_match_withdrawn_makes_the_tiger_summary_outdated(tigers):
    summary = made(TIGER, year=2025)
    IndividualMatch.objects.update(status="rejected")  # T-01 and AT-031 are two again
    assert outdated(summary) is True


def test_a_resolved_double_count_makes_the_crane_summary_outdated(people):
    make_cranes(people)
    summary = made(CRANE, year=2024)
    flag = DoubleCountFlag.objects.get(campaign__starts_on__year=2024)
    flag.decision, flag.duplicate_count, flag.note = "same", 5, "the same flock"
    flag.save()
    assert outdated(summary) is True


def test_a_late_photo_of_a_station_of_the_period_counts_and_is_watched(tigers):
    """A station set up in December photographs a tiger in January: a detection of the
    station's year, so a change to it makes that year's summary outdated."""
    bolshe, tiger = pa("RU-BOLSHEKHEKHTSIRSKY"), species(TIGER)
    station = survey(bolshe, "camera_trap", at(2025, 12, 20), effort_trap_nights=30)
    late = record(bolshe, tiger, at(2026, 1, 5), event=station, evidence="camera")
    summary = made(TIGER, year=2025)
    assert summary.figures["camera"]["detections"] == 5
    late.count = 2
    late.save()
    assert outdated(summary) is True


def test_changes_to_data_it_did_not_count_leave_it_current(storks, tigers):
    summary = made(STORK, year=2025, scope="country", country="RU")
    later = storks["khanka_2026"]  # 2026 in Vladivostok
    later.count = 60
    later.save()
    tiger = tigers["t02"]  # another species
    tiger.count = 2
    tiger.save()
    record(pa("CN-XINGKAIHU"), species(STORK), at(2025, 5, 5), count=3)  # the other country
    record(pa("RU-KHANKAISKY"), species(STORK), at(2025, 5, 6), count=30, status="submitted")
    assert outdated(summary) is False


def test_the_outdated_check_of_a_list_costs_the_same_for_two_or_ten(storks, tigers):
    def queries_for(summaries):
        summaries = list(
            Summary.objects.filter(pk__in=[s.pk for s in summaries]).select_related(
                "species", "protected_area", "campaign"
            )
        )
        with CaptureQueriesContext(connection) as ctx:
            mark_outdated(summaries)
        assert all(s.outdated is False for s in summaries)
        return len(ctx.captured_queries)

    few = [made(TIGER, year=2025), made(STORK, year=2025, scope="country", country="RU")]
    many = few + [made(STORK, year=y, scope="country", country="RU") for y in range(2017, 2025)]
    assert queries_for(few) == queries_for(many) <= 8


def test_a_summary_is_made_at_a_time_and_from_a_fingerprint(tigers):
    summary = made(TIGER, year=2025)
    assert len(summary.fingerprint) == 64
    assert dt.datetime.fromisoformat(summary.figures["made_at"]).tzinfo is not None
