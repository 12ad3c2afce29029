"""The change feed's entries move down to observations (observations.ChangeEntry).

The lower app writes the feed, so it owns the model; it cannot point at exchange.Node, so
an entry for one partner names it by its node's code (``partner_code``, filled here from
the node). The table stays where it is, with its rows and its ``seq`` sequence: exchange
forgets the model from its state only, and observations 0009 takes it into its own.
"""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def codes_from_nodes(apps, schema_editor):
    ChangeEntry = apps.get_model("exchange", "ChangeEntry")
    Node = apps.get_model("exchange", "Node")
    ChangeEntry.objects.filter(partner__isnull=False).update(
        partner_code=Subquery(Node.objects.filter(pk=OuterRef("partner_id")).values("code")[:1])
    )


def nodes_from_codes(apps, schema_editor):
    ChangeEntry = apps.get_model("exchange", "ChangeEntry")
    Node = apps.get_model("exchange", "Node")
    ChangeEntry.objects.filter(partner_code__isnull=False).update(
        partner_id=Subquery(Node.objects.filter(code=OuterRef("partner_code")).values("pk")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("exchange", "0008_background_jobs"),
    ]

    operations = [
        migrations.AddField(
            model_name="changeentry",
            name="partner_code",
            field=models.CharField(blank=True, max_length=2, null=True),
        ),
        migrations.RunPython(codes_from_nodes, nodes_from_codes),
        migrations.RemoveField(model_name="changeentry", name="partner"),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ChangeEntry")],
            database_operations=[],
        ),
    ]
