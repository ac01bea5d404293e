"""Ballots get random keys (second step: text → uuid).

A separate migration because PostgreSQL cannot alter a table in the transaction that just
updated its rows (deferred foreign-key checks are still pending).
"""

import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("survey", "0006_anonymous_ballots_and_weight_classes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="ballot",
            name="id",
            field=models.UUIDField(
                default=uuid.uuid4, editable=False, primary_key=True, serialize=False
            ),
        ),
    ]
