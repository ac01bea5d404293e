"""Anonymous ballots get random keys; surveys get k (smallest group shown) and weight classes.

A ballot's integer key becomes a UUID. PostgreSQL cannot cast a bigint to a uuid, so the key
goes through text: integer → 32 hex characters (a fresh random UUID per row) → uuid. Existing
anonymous ballots thereby also lose the key they shared with their zone's draft.
"""

import uuid

import django.core.validators
from django.db import migrations, models


def random_keys(apps, schema_editor):
    Ballot = apps.get_model("survey", "Ballot")
    for pk in list(Ballot.objects.values_list("pk", flat=True)):
        Ballot.objects.filter(id=pk).update(id=uuid.uuid4().hex)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0001_initial"),
        ("survey", "0005_invitation_mail_outbox_link_nonce_tally_runs"),
    ]

    operations = [
        migrations.AddField(
            model_name="survey",
            name="min_group",
            field=models.PositiveSmallIntegerField(
                default=5,
                help_text="Results by province, region or weight class show only groups of at least this many ballots; smaller groups are merged into “other”. In a weighted anonymous survey every weight class holds at least this many zones.",
                validators=[
                    django.core.validators.MinValueValidator(3),
                    django.core.validators.MaxValueValidator(50),
                ],
                verbose_name="smallest group shown (k)",
            ),
        ),
        migrations.AddField(
            model_name="survey",
            name="weight_classes",
            field=models.JSONField(
                blank=True, default=dict, editable=False, verbose_name="weight classes"
            ),
        ),
        migrations.AddConstraint(
            model_name="survey",
            constraint=models.CheckConstraint(
                condition=models.Q(("min_group__gte", 3)), name="survey_min_group_at_least_3"
            ),
        ),
        migrations.AlterField(
            model_name="ballot",
            name="id",
            field=models.CharField(max_length=36, primary_key=True, serialize=False),
        ),
        migrations.RunPython(random_keys, migrations.RunPython.noop),
    ]
