"""The survey title in Dutch and French: the old title becomes the Dutch one."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("survey", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(
            model_name="survey",
            old_name="title",
            new_name="title_nl",
        ),
        migrations.AlterField(
            model_name="survey",
            name="title_nl",
            field=models.CharField(max_length=200, verbose_name="title (Dutch)"),
        ),
        migrations.AddField(
            model_name="survey",
            name="title_fr",
            field=models.CharField(blank=True, max_length=200, verbose_name="title (French)"),
        ),
    ]
