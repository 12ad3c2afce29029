"""The monthly joint summaries: Celery beat asks, on the first of each month, for the joint
summary of the year of every jointly monitored species; a second run the same month asks
for nothing more; the worker makes them."""

import datetime as dt

import pytest
from celery.schedules import crontab
from django.conf import settings

from exchange.models import Summary
from exchange.summaries.service import summaries_schedule
from exchange.summaries.tasks import schedule_summaries
from observations.models import Species

from ..waiting import wait_until

pytestmark = pytest.mark.django_db


def test_beat_asks_on_the_first_of_each_month():
    entry = settings.CELERY_BEAT_SCHEDULE["monthly-joint-summaries"]
    assert entry["task"] == schedule_summaries.name == "exchange.schedule_summaries"
    assert entry["schedule"] == crontab(minute=0, hour=3, day_of_month=1)


def test_one_joint_summary_of_the_year_per_joint_species(seeds):
    made = summaries_schedule(today=dt.date(2026, 3, 1))
    joint = set(Species.objects.filter(jointly_monitored=True).values_list("pk", flat=True))
    assert {s.species_id for s in made} == joint and len(made) == 6
    assert {(s.scope, s.period_kind, s.period_key, s.trigger) for s in made} == {
        ("joint", "year", "2026", "schedule")
    }


def test_on_the_first_of_january_it_is_the_year_just_ended(seeds):
    made = summaries_schedule(today=dt.date(2026, 1, 1))
    assert {s.period_key for s in made} == {"2025"}


def test_a_second_run_in_the_same_month_asks_for_nothing(seeds):
    summaries_schedule(today=dt.date(2026, 3, 1))
    assert summaries_schedule(today=dt.date(2026, 3, 1)) == []
    assert Summary.objects.count() == 6
    assert len(summaries_schedule(today=dt.date(2026, 4, 1))) == 6  # next month: again


@pytest.mark.celery
def test_the_worker_makes_the_scheduled_summaries(celery_worker, seeds):
    result = schedule_summaries.delay().get(timeout=60)
    assert len(result) == 6
    wait_until(
        lambda: not Summary.objects.exclude(status__in=["done", "failed"]).exists(),
        timeout=300,
        message="the worker to make the six summaries",
    )
    assert set(Summary.objects.values_list("status", flat=True)) == {"done"}
