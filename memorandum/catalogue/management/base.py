"""What the management commands share: finding an edition by slug, and the demo steps' base.

Every command that takes an edition's slug finds it with :func:`edition_or_error`, so that all
of them refuse an unknown slug the same way; every ``demo_*`` command is a :class:`DemoCommand`
(an :class:`EditionDemoCommand` when it fills one edition).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.management.base import BaseCommand, CommandError

if TYPE_CHECKING:
    from memorandum.catalogue.models import Edition, PoliceZone

DEMO_EDITION = "2024-2028"


def edition_or_error(slug: str, *, hint: str = "") -> Edition:
    """The edition with this slug; a ``CommandError`` naming the known ones when there is none."""
    from memorandum.catalogue.models import Edition

    edition = Edition.objects.filter(slug=slug).first()
    if edition is None:
        known = ", ".join(Edition.objects.values_list("slug", flat=True)) or "none"
        raise CommandError(f"No edition with slug “{slug}” (known editions: {known}).{hint}")
    return edition


def add_edition_argument(parser) -> None:
    """The edition's slug, the first argument of a command about one edition (see
    :func:`edition_or_error`)."""
    parser.add_argument("edition", help="Slug of the edition, e.g. 2024-2028.")


def add_zones_argument(parser) -> None:
    """``--zones``: how many synthetic police zones to make (``load_demo``, ``generate_synthetic``)."""
    parser.add_argument(
        "--zones", type=int, default=185, help="Number of synthetic police zones (default 185)."
    )


class DemoCommand(BaseCommand):
    """A step of ``load_demo`` (see :data:`memorandum.demo.STEPS`).

    Every step accepts ``--seed`` (``load_demo`` passes its own to each).
    """

    seed_help = "Seed for the synthetic parts (default 1)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help=self.seed_help)

    def demo_edition(self, slug: str = DEMO_EDITION) -> Edition:
        """The edition this step fills; it is made by ``load_demo``, which runs first."""
        return edition_or_error(slug, hint=" Run load_demo first.")

    def chief_zone(self) -> PoliceZone | None:
        """The police zone of the demo ``chief`` account (made by ``load_demo``), if any: the
        steps leave its answers open, so that the chief has something to fill in."""
        from django.contrib.auth import get_user_model

        chief = (
            get_user_model()
            .objects.filter(username="chief")
            .select_related("profile__zone")
            .first()
        )
        return getattr(getattr(chief, "profile", None), "zone", None)

    def success(self, message: str) -> None:
        self.stdout.write(self.style.SUCCESS(message))


class EditionDemoCommand(DemoCommand):
    """A step that fills one edition, given by ``--edition`` (the demo edition by default):
    :meth:`fill` adds the synthetic data and says what it added."""

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--edition",
            default=DEMO_EDITION,
            help=f"Slug of the edition (default {DEMO_EDITION}).",
        )

    def fill(self, edition: Edition, seed: int) -> str:
        raise NotImplementedError

    def handle(self, *args, seed: int, edition: str, **options):
        self.success(self.fill(self.demo_edition(edition), seed))
