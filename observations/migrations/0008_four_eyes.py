# Four-eyes review per protected area: who may verify a record its own author filed.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('observations', '0007_dataset_remarks'),
    ]

    operations = [
        migrations.AddField(
            model_name='protectedarea',
            name='four_eyes',
            field=models.CharField(
                choices=[
                    ('sensitive', 'another manager verifies sensitive species'),
                    ('all', 'another manager verifies every record'),
                    ('off', 'off: managers may verify their own records'),
                ],
                default='sensitive',
                help_text=(
                    'A PA manager may not verify a record they filed themselves: for species '
                    'whose places are not shared exactly, for every record, or never.'
                ),
                max_length=10,
                verbose_name='four-eyes review',
            ),
        ),
    ]
