# ruff: noqa: F401, F811 - the fixtures come from test_camera_kit
"""Photos classified as people before the rule withheld them are withheld by the migration."""

import importlib

import pytest
from django.apps import apps

from observations.access import access_for
from observations.camera.classify import sequence_classify
from observations.camera.ingest import media_ingest
from observations.models import ChangeEntry, Media

from ..observations.test_camera_kit import photo, ranger, station, upload

pytestmark = pytest.mark.django_db
migration = importlib.import_module("exchange.migrations.0007_withhold_photos_classified_people")


class AppsOfThen:
    """Today's models standing in for the migration's historical ones: when it ran, the feed's
    entries were exchange's model (observations.ChangeEntry since, same table)."""

    def get_model(self, app_label, name):
        if (app_label, name) == ("exchange", "ChangeEntry"):
            return ChangeEntry
        return apps.get_model(app_label, name)


def test_a_photo_classified_as_people_but_not_withheld_is_withheld_with_a_feed_entry(
    api, people, ranger, station
):
    media = media_ingest(media_id=upload(api, station, photo()).json()["id"])
    sequence_classify(
        access=access_for(people.ranger_ru),
        user=people.ranger_ru,
        sequence=media.sequence,
        verdict="people",
        seen=[],
    )
    Media.objects.filter(pk=media.pk).update(has_people=False)  # as an old import left it
    before = ChangeEntry.objects.filter(kind="media", record_id=media.pk).count()

    migration.withhold(AppsOfThen(), None)

    media.refresh_from_db()
    assert media.has_people and media.withheld
    assert ChangeEntry.objects.filter(kind="media", record_id=media.pk).count() == before + 1
    migration.withhold(AppsOfThen(), None)  # once is enough: a second run changes nothing
    assert ChangeEntry.objects.filter(kind="media", record_id=media.pk).count() == before + 1
