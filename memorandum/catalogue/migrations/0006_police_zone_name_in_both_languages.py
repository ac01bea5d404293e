"""A zone's Dutch name, its historic ``name`` column, becomes ``name_nl`` beside the
register's ``name_fr``: one bilingual field. Renamed in place, so every name is kept."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0005_zone_register"),
    ]

    operations = [
        migrations.RenameField(model_name="policezone", old_name="name", new_name="name_nl"),
        migrations.AlterField(
            model_name="policezone",
            name="name_nl",
            field=models.CharField(max_length=150, verbose_name="name (Dutch)"),
        ),
    ]
