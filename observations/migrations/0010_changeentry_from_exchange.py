"""The change feed's entries, written by this app (observations.feed), are its model now.

The table was exchange's and keeps its name, rows, index and ``seq`` sequence (exchange
0008 forgot the model from its state and replaced the partner's foreign key by its code):
this only takes the model into observations' state.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("observations", "0009_background_jobs"),
        ("exchange", "0009_changeentry_to_observations"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ChangeEntry",
                    fields=[
                        ("seq", models.BigAutoField(primary_key=True, serialize=False)),
                        ("kind", models.CharField(max_length=20)),
                        ("record_id", models.UUIDField()),
                        (
                            "action",
                            models.CharField(
                                choices=[
                                    ("upsert", "created or changed"),
                                    ("delete", "deleted"),
                                    ("reevaluate", "re-evaluated"),
                                ],
                                max_length=10,
                            ),
                        ),
                        (
                            "partner_code",
                            models.CharField(blank=True, max_length=2, null=True),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                    ],
                    options={
                        "db_table": "exchange_changeentry",
                        "ordering": ["seq"],
                        "indexes": [
                            models.Index(
                                fields=["kind", "record_id", "seq"],
                                name="exchange_ch_kind_a2ee86_idx",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
