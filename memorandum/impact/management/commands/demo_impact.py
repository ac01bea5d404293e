from datetime import timedelta

from django.utils import timezone

from memorandum.catalogue.management.base import DemoCommand
from memorandum.catalogue.models import Recommendation
from memorandum.impact.counting import aggregate
from memorandum.impact.models import (
    CountRun,
    CountStatus,
    EstimateRound,
    Mission,
    RoundStatus,
)
from memorandum.impact.synthetic import fill_with_estimates, invite_all

COUNTED = {
    "title_nl": "Digitale vaststelling van verkeersinbreuken (synthetische opdracht)",
    "title_fr": "Constatation numérique des infractions routières (mission synthétique)",
    "description_nl": "Synthetisch voorbeeld: elke zone stelt verkeersinbreuken voortaan vast in een nieuwe federale toepassing en volgt de dossiers op.",
    "description_fr": "Exemple synthétique : chaque zone constate désormais les infractions routières dans une nouvelle application fédérale et assure le suivi des dossiers.",
    "source_text": "Omzendbrief COL 99/2026 (synthetisch)",
    "source_authority": "Minister van Binnenlandse Zaken (synthetisch)",
    "questions_nl": "Hoeveel bijkomend personeel vraagt deze opdracht blijvend?\nWelke eenmalige kosten (uitrusting, opleiding) verwacht u?",
    "questions_fr": "Combien de personnel supplémentaire cette mission demande-t-elle durablement ?\nQuels coûts uniques (équipement, formation) prévoyez-vous ?",
}
OPEN = {
    "title_nl": "Opvolging van slachtoffers van intrafamiliaal geweld (synthetische opdracht)",
    "title_fr": "Suivi des victimes de violences intrafamiliales (mission synthétique)",
    "description_nl": "Synthetisch voorbeeld: elke zone wijst een referentiepersoon aan en contacteert elk slachtoffer binnen de week.",
    "description_fr": "Exemple synthétique : chaque zone désigne une personne de référence et contacte chaque victime dans la semaine.",
    "source_text": "Wetsontwerp (synthetisch)",
    "source_authority": "Minister van Justitie (synthetisch)",
    "questions_nl": "Hoeveel uren per jaar vraagt de opvolging, per personeelscategorie?",
    "questions_fr": "Combien d'heures par an le suivi demande-t-il, par catégorie de personnel ?",
}


class Command(DemoCommand):
    help = (
        "Demo impact estimates on the 2024-2028 edition: two synthetic missions related to "
        "recommendation 1, one counted with synthetic estimates from most zones, one still open "
        "for the demo 'chief' account (prints that zone's link). Running it again rebuilds them."
    )

    seed_help = "Seed of the synthetic estimates."

    def handle(self, *args, seed: int, **options):
        edition = self.demo_edition()
        r1 = Recommendation.objects.filter(edition=edition, kind="recommendation", number=1)
        Mission.objects.filter(edition=edition, is_synthetic=True).delete()
        now = timezone.now()
        counted = self._mission(edition, COUNTED, r1)
        closed = EstimateRound.objects.create(
            mission=counted,
            opens_at=now - timedelta(days=40),
            closes_at=now - timedelta(days=5),
            status=RoundStatus.CLOSED,
            is_synthetic=True,
        )
        invite_all(closed)
        n = fill_with_estimates(
            closed, fte_per_100=1.5, one_off_per_staff=120, response_rate=0.82, seed=seed
        )
        CountRun.objects.create(
            round=closed, status=CountStatus.DONE, results=aggregate(closed), finished_at=now
        )
        EstimateRound.objects.filter(pk=closed.pk).update(status=RoundStatus.COUNTED)
        self.success(f"Counted impact round “{counted.title_nl}”: {n} synthetic estimates.")
        self._open_round(edition, r1, now, seed)

    def _mission(self, edition, fields: dict, recommendations) -> Mission:
        mission = Mission.objects.create(edition=edition, is_synthetic=True, **fields)
        mission.recommendations.set(recommendations)
        return mission

    def _open_round(self, edition, r1, now, seed: int) -> None:
        mission = self._mission(edition, OPEN, r1)
        round_ = EstimateRound.objects.create(
            mission=mission,
            opens_at=now - timedelta(days=3),
            closes_at=now + timedelta(days=25),
            status=RoundStatus.OPEN,
            is_synthetic=True,
        )
        tokens = invite_all(round_)
        zone = self.chief_zone()
        skip = {zone.pk} if zone else set()
        n = fill_with_estimates(
            round_,
            fte_per_100=0.8,
            one_off_per_staff=40,
            response_rate=0.6,
            seed=seed + 1,
            skip=skip,
        )
        self.success(f"Open impact round “{mission.title_nl}”: {n} synthetic estimates so far.")
        if zone:
            self.stdout.write(
                f"  Link of {zone.name} (the demo chief's zone): /nl/impact/estimate/{tokens[zone.pk]}/"
            )
