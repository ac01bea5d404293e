import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError
from django.db import transaction

from memorandum.catalogue import roles
from memorandum.catalogue.demo import load_phase_dates
from memorandum.catalogue.exchange import load_edition
from memorandum.catalogue.management.base import DemoCommand, add_zones_argument
from memorandum.catalogue.models import PoliceZone, UserProfile
from memorandum.catalogue.synthetic import generate_zones
from memorandum.demo import STEPS
from memorandum.lib.spreadsheets import UnreadableFile

STEP_NAMES = {name for name, _why in STEPS}
FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "demo_2024_2028.json"


def fixture_with_demo_content() -> bytes:
    """The edition's fixture with the publication's demo texts (French contexts, reference
    titles …) already in the columns the fixture has, so that loading the demo again finds
    nothing to change and makes no new versions."""
    from memorandum.publication.demo import CONTENT

    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    overlay = json.loads(CONTENT.read_text(encoding="utf-8"))
    for table, keys in (
        ("addressees", ("order",)),
        ("references", ("order",)),
        ("recommendations", ("kind", "number")),
    ):
        rows = {tuple(row[k] for k in keys): row for row in data.get(table, [])}
        for values in overlay.get(table, []):
            row = rows.get(tuple(values[k] for k in keys))
            if row is not None:
                row.update({k: v for k, v in values.items() if k in row})
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


DEMO_ACCOUNTS = [
    # username, role, first name, last name, organisation
    (
        "secretariat",
        roles.SECRETARIAT,
        "Sara",
        "Secretariaat",
        "Vaste Commissie van de Lokale Politie",
    ),
    ("chief", roles.CORPS_CHIEF, "Chris", "Korpschef", ""),
    ("coordinator", roles.PROVINCIAL_COORDINATOR, "Cora", "Coördinator", ""),
    ("assembly", roles.ASSEMBLY_MEMBER, "Adam", "Assemblee", ""),
    ("partner", roles.PARTNER, "Pat", "Partner", "Federale Politie"),
]


class Command(DemoCommand):
    help = (
        "Load the demo: the 2024-2028 edition of the Local Police memorandum (from its published text), "
        "185 synthetic police zones and the demo accounts (password 'demo', development only). "
        "Running it again updates instead of duplicating. Then runs the other apps' demo commands "
        "in the order of memorandum.demo.STEPS (people, consultation, survey, assembly, roadmap, "
        "publication)."
    )

    def add_arguments(self, parser):
        add_zones_argument(parser)
        super().add_arguments(parser)

    def handle(self, *args, zones: int, seed: int, **options):
        if not settings.DEBUG:
            raise CommandError(
                "The demo accounts use a well-known password: load the demo only with DEBUG on."
            )
        with transaction.atomic():
            try:
                edition, result = load_edition(fixture_with_demo_content(), FIXTURE.name)
            except UnreadableFile as error:
                raise CommandError(str(error)) from error
            if result.problems:
                raise CommandError("\n".join(str(issue) for issue in result.problems))
            load_phase_dates(edition)
            zone_list = generate_zones(zones, seed)
            self._accounts(zone_list)
        self.success(
            f"Demo edition “{edition.title_nl}” ({edition.slug}) and {len(zone_list)} synthetic "
            "zones ready."
        )
        # The other apps' demos, in the order memorandum.demo.STEPS gives and explains.
        unknown = sorted(
            name for name in get_commands() if name.startswith("demo_") and name not in STEP_NAMES
        )
        if unknown:
            raise CommandError(f"Add {', '.join(unknown)} to memorandum.demo.STEPS.")
        for name, why in STEPS:
            self.stdout.write(f"Running {name} ({why}) …")
            call_command(name, seed=seed, stdout=self.stdout)

    def _accounts(self, zones: list[PoliceZone]) -> None:
        User = get_user_model()
        west_flanders = [z for z in zones if z.province.code == "WVL"] or zones
        for username, role, first, last, organisation in DEMO_ACCOUNTS:
            user, _ = User.objects.get_or_create(
                username=username, defaults={"first_name": first, "last_name": last}
            )
            user.email = f"{username}@example.invalid"
            user.is_staff = role == roles.SECRETARIAT
            user.set_password(settings.DEMO_PASSWORD)
            user.save()
            user.groups.set([Group.objects.get(name=role)])
            zone = west_flanders[0] if role == roles.CORPS_CHIEF else None
            UserProfile.objects.update_or_create(
                user=user, defaults={"zone": zone, "organisation": organisation}
            )
