"""Photos classified as people (human or vehicle) before that withheld them are withheld now.

Until this release a Camtrap DP import kept such photos with "shows people" unset, and a
re-export or the feed could send them out. The rule is observations.camera.people's; this
applies it once to what is already stored, and gives each of this node's own photos a feed
entry so that a partner holding one receives its tombstone.
"""

from django.conf import settings
from django.db import migrations
from django.db.models import Q

PEOPLE_KINDS = ("human", "vehicle")


def withhold(apps, schema_editor):
    Media = apps.get_model("observations", "Media")
    Classification = apps.get_model("observations", "Classification")
    ChangeEntry = apps.get_model("exchange", "ChangeEntry")
    people = Classification.objects.filter(kind__in=PEOPLE_KINDS)
    classified = Q(sequence_id__in=people.values("sequence_id")) | Q(
        pk__in=people.filter(media__isnull=False).values("media_id")
    )
    changed = list(
        Media.objects.filter(classified, has_people=False).values_list("pk", "origin_node")
    )
    if not changed:
        return
    Media.objects.filter(pk__in=[pk for pk, _origin in changed]).update(has_people=True)
    ChangeEntry.objects.bulk_create(
        [
            ChangeEntry(kind="media", record_id=pk, action="upsert")
            for pk, origin in changed
            if origin == settings.NODE_CODE
        ],
        batch_size=5000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("exchange", "0006_export_purpose"),
        ("observations", "0008_four_eyes"),
    ]

    operations = [migrations.RunPython(withhold, migrations.RunPython.noop)]
