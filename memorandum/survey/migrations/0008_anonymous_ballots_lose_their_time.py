"""Anonymous ballots stored before the anonymity rules keep their submission day, which could
be matched against the participation records: stamp them with the survey's opening time, as
new anonymous ballots are. (Their weights are left as stored: surveys that were weighted and
anonymous before weight classes existed are to be recounted by the secretariat; see
docs/survey.md.)"""

from django.db import migrations


def forwards(apps, schema_editor):
    Ballot = apps.get_model("survey", "Ballot")
    Survey = apps.get_model("survey", "Survey")
    for survey in Survey.objects.filter(anonymity="anonymous").only("pk", "opens_at"):
        Ballot.objects.filter(survey=survey, zone__isnull=True).update(
            submitted_at=survey.opens_at, updated_at=survey.opens_at
        )


class Migration(migrations.Migration):
    dependencies = [("survey", "0007_ballot_random_key")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
