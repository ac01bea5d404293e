"""One account per name whatever its capitals, on Django's user model (see accounts/models.py)."""

from django.db import migrations, models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class AddConstraintToUser(migrations.AddConstraint):
    """AddConstraint on ``auth.User``, which this app's migrations cannot name otherwise."""

    def state_forwards(self, app_label, state):
        super().state_forwards("auth", state)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        super().database_forwards("auth", schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        super().database_backwards("auth", schema_editor, from_state, to_state)


def refuse_existing_case_variants(apps, schema_editor):
    """Name the accounts that would break the constraint, instead of an IntegrityError."""
    from django.db.models import Count

    User = apps.get_model("auth", "User")
    clashes = (
        User.objects.annotate(name=Lower("username"))
        .values("name")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("name", flat=True)
    )
    if clashes:
        raise RuntimeError(
            "Accounts whose names differ only in capitals must be merged or renamed first: "
            + ", ".join(sorted(clashes))
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_invitations"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(refuse_existing_case_variants, migrations.RunPython.noop),
        AddConstraintToUser(
            model_name="user",
            constraint=models.UniqueConstraint(
                Lower("username"),
                name="auth_user_username_unique_whatever_case",
                violation_error_message=_(
                    "An account with this name already exists (capitals aside)."
                ),
            ),
        ),
    ]
