from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from memorandum.accounts.services import AccountData, invite_account
from memorandum.catalogue import roles
from memorandum.catalogue.management.base import DemoCommand
from memorandum.catalogue.models import PoliceZone, Province

DEMO_INVITEES = [
    # e-mail, first name, last name, language, role
    ("nora.nieuw@example.invalid", "Nora", "Nieuw", "nl", roles.CORPS_CHIEF),
    ("paul.dupont@example.invalid", "Paul", "Dupont", "fr", roles.PROVINCIAL_COORDINATOR),
]


class Command(DemoCommand):
    help = (
        "Demo accounts waiting for their first password: two people invited by the demo "
        "secretariat (a corps chief and a French-speaking provincial coordinator), so the "
        "Accounts page and the audit log show pending invitations. Their e-mails go through the "
        "worker like real ones (to the console in development). Running it again adds nothing."
    )

    seed_help = "Unused; accepted like every demo_* command."

    def handle(self, *args, **options):
        User = get_user_model()
        secretariat = User.objects.filter(username="secretariat").first()
        if secretariat is None:
            raise CommandError("No demo secretariat account; run load_demo first.")
        zone = PoliceZone.objects.filter(members=None).order_by("code").first()
        province = Province.objects.filter(code="LUX").first() or Province.objects.first()
        created = 0
        for email, first, last, language, role in DEMO_INVITEES:
            if User.objects.filter(username=email).exists():
                continue
            invite_account(
                data=AccountData(
                    first_name=first,
                    last_name=last,
                    email=email,
                    preferred_language=language,
                    roles=[role],
                    zone=zone if role == roles.CORPS_CHIEF else None,
                    province=province if role == roles.PROVINCIAL_COORDINATOR else None,
                ),
                by=secretariat,
            )
            created += 1
        self.success(f"Demo invitations: {created} new.")
