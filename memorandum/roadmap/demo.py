"""A realistic, clearly synthetic roadmap for the demo edition (used by ``demo_roadmap``).

Dates are fixed inside the 2024-2028 period so that running the command again, on any
day, updates the same rows instead of adding new ones. Measurements and updates dated
after today are left out.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from memorandum.catalogue.models import Edition, PoliceZone, Recommendation
from memorandum.roadmap.models import (
    Indicator,
    Initiative,
    InitiativeLink,
    Measurement,
    Milestone,
    PointOfAttention,
    Update,
    today,
)

D = dt.date
# (serves, title nl, title fr, lead, partners, start, end, status, progress, public, owner, milestones, indicator)
# milestones: (title nl, title fr, due, done?); indicator: (name nl, name fr, unit, baseline, target, direction, values)
INITIATIVES = [
    (
        "R1",
        "Herziening van de federale dotatie aan de politiezones",
        "Révision de la dotation fédérale aux zones de police",
        "VCLP",
        "FOD Binnenlandse Zaken, VVSG, UVCW",
        D(2024, 3, 1),
        D(2027, 12, 31),
        "ongoing",
        35,
        True,
        "secretariat",
        [
            (
                "Analyse van de KUL-norm afgerond",
                "Analyse de la norme KUL terminée",
                D(2024, 12, 15),
                True,
            ),
            (
                "Voorstel van nieuwe verdeelsleutel aan de minister",
                "Proposition de nouvelle clé de répartition au ministre",
                D(2026, 3, 31),
                False,
            ),
        ],
        (
            "Federale dotatie (index 2023 = 100)",
            "Dotation fédérale (indice 2023 = 100)",
            "index",
            100,
            115,
            "up",
            [100, 101, 103, 104],
        ),
    ),
    (
        "R2.1, R2.2",
        "Uitrol van i-Police in de lokale politiezones",
        "Déploiement d'i-Police dans les zones de police locale",
        "Federale Politie",
        "VCLP, pilootzones",
        D(2024, 1, 15),
        D(2028, 6, 30),
        "at_risk",
        22,
        True,
        "partner",
        [
            ("Pilootzones in productie", "Zones pilotes en production", D(2024, 11, 30), True),
            (
                "Eerste golf: 50 zones aangesloten",
                "Première vague : 50 zones raccordées",
                D(2026, 6, 30),
                False,
            ),
        ],
        (
            "Zones aangesloten op i-Police",
            "Zones raccordées à i-Police",
            "zones",
            0,
            185,
            "up",
            [4, 12, 25, 41],
        ),
    ),
    (
        "R2.4",
        "Gemeenschappelijk kader voor cyberveiligheid",
        "Cadre commun de cybersécurité",
        "VCLP",
        "Centrum voor Cybersecurity België",
        D(2024, 9, 1),
        D(2026, 12, 31),
        "ongoing",
        55,
        True,
        "secretariat",
        [
            ("Minimumnormen goedgekeurd", "Normes minimales approuvées", D(2025, 6, 30), True),
            (
                "Zelfevaluatie door alle zones",
                "Autoévaluation par toutes les zones",
                D(2026, 4, 30),
                False,
            ),
        ],
        None,
    ),
    (
        "R3",
        "Gezamenlijke aankoopcentrale voor voertuigen en uitrusting",
        "Centrale d'achat commune pour véhicules et équipements",
        "Federale Politie (DGR)",
        "VCLP",
        D(2024, 6, 1),
        D(2027, 6, 30),
        "ongoing",
        45,
        True,
        "partner",
        [
            (
                "Raamcontract voertuigen gegund",
                "Contrat-cadre véhicules attribué",
                D(2025, 3, 31),
                True,
            )
        ],
        (
            "Zones die via de centrale aankopen",
            "Zones achetant via la centrale",
            "%",
            20,
            60,
            "up",
            [20, 26, 33, 38],
        ),
    ),
    (
        "R4",
        "Strategische visienota Lokale Politie 2030",
        "Note de vision stratégique Police locale 2030",
        "VCLP",
        "Algemene Vergadering",
        D(2024, 1, 1),
        D(2025, 6, 30),
        "done",
        100,
        True,
        "secretariat",
        [
            (
                "Visienota goedgekeurd door de Algemene Vergadering",
                "Note de vision approuvée par l'Assemblée générale",
                D(2025, 6, 15),
                True,
            )
        ],
        None,
    ),
    (
        "R6.1, R6.2",
        "Versnelde selectie en opleiding van inspecteurs",
        "Sélection et formation accélérées d'inspecteurs",
        "Federale Politie (DGR)",
        "Politiescholen",
        D(2024, 4, 1),
        D(2027, 12, 31),
        "ongoing",
        40,
        True,
        "secretariat",
        [
            (
                "Nieuwe selectieprocedure in voege",
                "Nouvelle procédure de sélection en vigueur",
                D(2025, 9, 1),
                True,
            ),
            (
                "Evaluatie van de opleidingsduur",
                "Évaluation de la durée de formation",
                D(2026, 5, 31),
                False,
            ),
        ],
        (
            "Gemiddelde doorlooptijd van de selectie",
            "Durée moyenne de la sélection",
            "dagen",
            210,
            120,
            "down",
            [210, 190, 170, 150],
        ),
    ),
    (
        "R6",
        "Welzijnsbeleid en psychosociale ondersteuning",
        "Politique de bien-être et soutien psychosocial",
        "Politiezone",
        "Externe dienst voor preventie en bescherming",
        D(2025, 1, 1),
        D(2026, 12, 31),
        "ongoing",
        60,
        False,
        "chief",
        [
            (
                "Vertrouwenspersonen opgeleid",
                "Personnes de confiance formées",
                D(2025, 6, 30),
                True,
            ),
            (
                "Welzijnsbevraging bij het personeel",
                "Enquête de bien-être auprès du personnel",
                D(2026, 2, 28),
                False,
            ),
        ],
        None,
    ),
    (
        "R7",
        "Gezamenlijke rekruteringscampagne “Kies voor de Lokale Politie”",
        "Campagne de recrutement commune « Choisis la Police locale »",
        "VCLP",
        "Federale Politie, Jobpol",
        D(2024, 9, 1),
        D(2028, 12, 31),
        "ongoing",
        50,
        True,
        "secretariat",
        [("Campagne gelanceerd", "Campagne lancée", D(2025, 2, 1), True)],
        (
            "Kandidaturen per jaar",
            "Candidatures par an",
            "kandidaturen",
            3200,
            4500,
            "up",
            [3200, 3500, 3900],
        ),
    ),
    (
        "C1",
        "Proeftuin voor drones en bodycams",
        "Laboratoire pour drones et bodycams",
        "VCLP",
        "Vijf politiezones",
        D(2025, 6, 1),
        D(2027, 6, 30),
        "planned",
        5,
        True,
        "secretariat",
        [],
        None,
    ),
    (
        "C3",
        "Leiderschapstraject voor officieren",
        "Parcours de leadership pour officiers",
        "VCLP",
        "Politieacademies",
        D(2024, 10, 1),
        D(2026, 6, 30),
        "ongoing",
        70,
        True,
        "secretariat",
        [("Eerste promotie afgestudeerd", "Première promotion diplômée", D(2025, 12, 15), True)],
        None,
    ),
    (
        "C4",
        "Meting van de burgertevredenheid (Veiligheidsmonitor)",
        "Mesure de la satisfaction des citoyens (Moniteur de sécurité)",
        "VCLP",
        "Federale Politie",
        D(2024, 5, 1),
        D(2028, 12, 31),
        "ongoing",
        30,
        True,
        "secretariat",
        [("Vragenlijst herzien", "Questionnaire revu", D(2025, 1, 31), True)],
        (
            "Burgers tevreden over de lokale politie",
            "Citoyens satisfaits de la police locale",
            "%",
            68,
            75,
            "up",
            [68, 69, 71],
        ),
    ),
    (
        "C5",
        "Vergroening van het wagenpark",
        "Verdurissement du parc automobile",
        "VCLP",
        "Federale Politie (DGR)",
        D(2024, 6, 1),
        D(2028, 6, 30),
        "blocked",
        15,
        False,
        "partner",
        [
            (
                "Laadinfrastructuur in kaart gebracht",
                "Infrastructure de recharge cartographiée",
                D(2025, 10, 31),
                False,
            )
        ],
        (
            "Aandeel emissiearme voertuigen",
            "Part de véhicules à faibles émissions",
            "%",
            8,
            40,
            "up",
            [8, 10, 11],
        ),
    ),
    (
        "R1",
        "Studie naar de meerkosten van bovenlokale opdrachten",
        "Étude des surcoûts des missions supralocales",
        "VCLP",
        "",
        D(2024, 2, 1),
        D(2024, 12, 31),
        "dropped",
        10,
        False,
        "secretariat",
        [],
        None,
    ),
]
MEASURED_ON = [D(2024, 6, 30), D(2024, 12, 31), D(2025, 6, 30), D(2025, 12, 31), D(2026, 6, 30)]
UPDATE_TEXTS = [
    (
        "Overleg met de betrokken partners gehouden; de planning is bevestigd.",
        "Concertation avec les partenaires concernés ; le planning est confirmé.",
    ),
    (
        "Tussentijds verslag voorgelegd aan het bureau van de VCLP.",
        "Rapport intermédiaire présenté au bureau de la CPPL.",
    ),
    (
        "Werkgroep samengesteld en eerste vergadering gehouden.",
        "Groupe de travail constitué et première réunion tenue.",
    ),
    (
        "Vertraging door ontbrekende budgetten; escalatie naar de minister voorbereid.",
        "Retard dû au manque de budget ; escalade vers le ministre préparée.",
    ),
]


def _parse_serves(edition: Edition, serves: str) -> dict:
    selection: dict = {}
    for token in serves.split(","):
        code, _sep, line = token.strip().partition(".")
        kind = "recommendation" if code[0] == "R" else "commitment"
        rec = Recommendation.objects.filter(
            edition=edition, kind=kind, number=int(code[1:])
        ).first()
        if rec is not None:
            selection.setdefault(rec, [])
            if line:
                selection[rec].append(int(line))
    return selection


@transaction.atomic
def build_demo_roadmap(edition: Edition, seed: int) -> int:
    """Create or refresh the synthetic initiatives; returns how many there are."""
    rng = random.Random(seed)
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=["secretariat", "partner", "chief"])
    }
    chief_zone = (
        getattr(getattr(users.get("chief"), "profile", None), "zone", None)
        or PoliceZone.objects.first()
    )
    now = today()
    for row in INITIATIVES:
        (
            serves,
            title_nl,
            title_fr,
            lead,
            partners,
            start,
            end,
            status,
            progress,
            public,
            owner,
            milestones,
            indicator,
        ) = row
        initiative, _created = Initiative.objects.update_or_create(
            edition=edition,
            title_nl=title_nl,
            is_synthetic=True,
            defaults={
                "title_fr": title_fr,
                "lead_organisation": lead,
                "partners": partners,
                "start_date": start,
                "end_date": end,
                "status": status,
                "progress": progress,
                "is_public": public,
                "lead_zone": chief_zone if owner == "chief" else None,
                "description_nl": f"Synthetisch voorbeeld voor de demonstratie: “{title_nl}”.",
                "description_fr": f"Exemple synthétique pour la démonstration : « {title_fr} ».",
            },
        )
        for rec, lines in _parse_serves(edition, serves).items():
            InitiativeLink.objects.update_or_create(
                initiative=initiative, recommendation=rec, defaults={"action_lines": lines}
            )
        if owner in users:
            initiative.owners.set([users[owner]])
        for m_nl, m_fr, due, done in milestones:
            Milestone.objects.update_or_create(
                initiative=initiative,
                title_nl=m_nl,
                defaults={
                    "title_fr": m_fr,
                    "due_date": due,
                    "done_date": due - dt.timedelta(days=rng.randint(0, 20)) if done else None,
                },
            )
        if indicator:
            name_nl, name_fr, unit, baseline, target, direction, values = indicator
            ind, _c = Indicator.objects.update_or_create(
                initiative=initiative,
                name_nl=name_nl,
                defaults={
                    "name_fr": name_fr,
                    "unit": unit,
                    "baseline": baseline,
                    "target": target,
                    "direction": direction,
                },
            )
            for date, value in zip(MEASURED_ON, values, strict=False):
                if date <= now:
                    Measurement.objects.update_or_create(
                        indicator=ind,
                        date=date,
                        defaults={
                            "value": Decimal(value),
                            "note": "synthetisch / synthétique",
                            "recorded_by": users.get(owner),
                        },
                    )
        author = users.get(owner)
        for n in range(rng.randint(1, 3)):
            date = start + dt.timedelta(days=120 * (n + 1) + rng.randint(0, 30))
            if date > now or (end and status in ("done", "dropped") and date > end):
                continue
            text_nl, text_fr = UPDATE_TEXTS[(n + len(title_nl)) % len(UPDATE_TEXTS)]
            Update.objects.update_or_create(
                initiative=initiative,
                date=date,
                defaults={
                    "author": author,
                    "text": f"{text_nl}\n\n{text_fr}",
                    "status_before": status,
                },
            )
    _points(edition, users)
    return Initiative.objects.filter(edition=edition, is_synthetic=True).count()


def _points(edition: Edition, users: dict) -> None:
    points = [
        (
            "Uitrol van i-Police in de lokale politiezones",
            "Vertraging bij de levering van licenties; de eerste golf komt in het gedrang.",
            "chief",
        ),
        (
            "Vergroening van het wagenpark",
            "Het budget voor laadpalen ontbreekt in de meerjarenplanning.",
            "secretariat",
        ),
    ]
    for title, text, who in points:
        initiative = Initiative.objects.filter(
            edition=edition, title_nl=title, is_synthetic=True
        ).first()
        if initiative:
            PointOfAttention.objects.get_or_create(
                initiative=initiative, text=text, defaults={"raised_by": users.get(who)}
            )
