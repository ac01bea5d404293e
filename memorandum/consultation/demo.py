"""Demo data for the consultation of the 2024-2028 edition.

The three consultation events are real (their months come from the memorandum's
timeline; the day is not known, so they are stored with month precision). The proposals
are invented — labelled synthetic — and written to read like what corps chiefs propose:
for each of the twelve recommendations a few Dutch and French phrasings, some of them
near-duplicates, so that duplicate detection and merging have something to show.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.db import transaction

from memorandum.catalogue import roles
from memorandum.catalogue.models import DatePrecision, Edition, PoliceZone, Recommendation
from memorandum.consultation.models import ConsultationEvent, EventKind, Proposal
from memorandum.consultation.services import merge_proposals

EVENTS = [
    (
        EventKind.CONFERENCE,
        "Conferentie van de korpschefs — Conférence des chefs de corps",
        dt.date(2022, 10, 1),
    ),
    (
        EventKind.SEMINAR,
        "Strategisch seminarie van de Vaste Commissie — Séminaire stratégique de la Commission permanente",
        dt.date(2023, 3, 1),
    ),
    (
        EventKind.PROVINCIAL_CONSULTATION,
        "Provinciaal overleg en overleg in het Brussels Gewest — Concertation provinciale et en Région bruxelloise",
        dt.date(2023, 4, 1),
    ),
]

# recommendation code → Dutch phrasings, French phrasings (title, text)
PROPOSALS = {
    "R1": (
        [
            (
                "Herfinanciering van de lokale politie",
                "De federale dotatie dekt de opdrachten van de zones niet meer; herfinancier de lokale politie en koppel elke nieuwe opdracht aan middelen.",
            ),
            (
                "Duurzame financiering van de politiezones",
                "Een duurzame en voorspelbare financiering van de politiezones, met een federale dotatie die de opdrachten volgt.",
            ),
        ],
        [
            (
                "Refinancer la police locale",
                "La dotation fédérale ne couvre plus les missions des zones ; refinancer la police locale et lier chaque nouvelle mission à des moyens.",
            ),
            (
                "Financement durable des zones de police",
                "Un financement durable et prévisible des zones de police, avec une dotation fédérale qui suit les missions.",
            ),
        ],
    ),
    "R2": (
        [
            (
                "Digitale aangifte voor burgers",
                "Burgers moeten online aangifte kunnen doen; de lokale politie heeft performante digitale toepassingen nodig.",
            ),
            (
                "Performante IT-toepassingen voor de zones",
                "De IT-toepassingen van de geïntegreerde politie moeten performant zijn en op elkaar aansluiten.",
            ),
        ],
        [
            (
                "Plainte en ligne pour les citoyens",
                "Les citoyens doivent pouvoir déposer plainte en ligne ; la police locale a besoin d'applications numériques performantes.",
            ),
            (
                "Des applications informatiques performantes",
                "Les applications informatiques de la police intégrée doivent être performantes et interopérables.",
            ),
        ],
    ),
    "R3": (
        [
            (
                "Gezamenlijke aankoop van voertuigen en uitrusting",
                "Gezamenlijke overheidsopdrachten voor voertuigen en uitrusting verlagen de kosten voor de zones.",
            ),
            (
                "Toereikende logistieke middelen",
                "De zones hebben toereikende logistieke middelen nodig: voertuigen, uitrusting en gebouwen.",
            ),
        ],
        [
            (
                "Achats groupés de véhicules et d'équipements",
                "Des marchés publics communs pour les véhicules et les équipements réduisent les coûts des zones.",
            ),
            (
                "Des moyens logistiques suffisants",
                "Les zones ont besoin de moyens logistiques suffisants : véhicules, équipements et bâtiments.",
            ),
        ],
    ),
    "R4": (
        [
            (
                "Een langetermijnvisie op de politie",
                "De overheid moet een ambitieuze langetermijnvisie op de politie uitwerken, samen met de lokale politie.",
            ),
            (
                "Betrek de lokale politie bij de visie",
                "Betrek de lokale politie bij elke reflectie over de toekomst en de opdrachten van de politie.",
            ),
        ],
        [
            (
                "Une vision à long terme pour la police",
                "Les autorités doivent élaborer une vision ambitieuse à long terme pour la police, avec la police locale.",
            ),
            (
                "Associer la police locale à la vision",
                "Associer la police locale à toute réflexion sur l'avenir et les missions de la police.",
            ),
        ],
    ),
    "R5": (
        [
            (
                "Erkenning van de lokale politie",
                "De lokale politie moet erkend en gerespecteerd worden als volwaardige partner in het veiligheidsbeleid.",
            ),
            (
                "Vertegenwoordiging in de overlegorganen",
                "De lokale politie moet vertegenwoordigd zijn in alle overlegorganen die haar werking aangaan.",
            ),
        ],
        [
            (
                "Reconnaissance de la police locale",
                "La police locale doit être reconnue et respectée comme partenaire à part entière de la politique de sécurité.",
            ),
            (
                "Représentation dans les organes de concertation",
                "La police locale doit être représentée dans tous les organes de concertation qui la concernent.",
            ),
        ],
    ),
    "R6": (
        [
            (
                "Welzijn van het personeel",
                "Meer aandacht voor het welzijn van het personeel en psychosociale ondersteuning na ingrijpende interventies.",
            ),
            (
                "Psychosociale ondersteuning van medewerkers",
                "Versterk de psychosociale ondersteuning en het welzijn van de medewerkers van de zones.",
            ),
        ],
        [
            (
                "Bien-être du personnel",
                "Plus d'attention au bien-être du personnel et au soutien psychosocial après des interventions marquantes.",
            ),
            (
                "Soutien psychosocial des collaborateurs",
                "Renforcer le soutien psychosocial et le bien-être des collaborateurs des zones.",
            ),
        ],
    ),
    "R7": (
        [
            (
                "Snellere aanwervingsprocedure",
                "Vereenvoudig en versnel de aanwervingsprocedure zodat de politie een aantrekkelijke werkgever blijft.",
            ),
            (
                "Aantrekkelijk statuut voor politiepersoneel",
                "Een aantrekkelijk statuut en loon om kandidaten aan te trekken en medewerkers te behouden.",
            ),
        ],
        [
            (
                "Une procédure de recrutement plus rapide",
                "Simplifier et accélérer la procédure de recrutement pour que la police reste un employeur attractif.",
            ),
            (
                "Un statut attractif pour le personnel policier",
                "Un statut et une rémunération attractifs pour attirer des candidats et garder les collaborateurs.",
            ),
        ],
    ),
    "C1": (
        [
            (
                "Innovatie delen tussen de zones",
                "De zones delen hun innovaties en nieuwe technologieën via een gemeenschappelijk platform.",
            ),
            (
                "Nieuwe technologieën samen testen",
                "Nieuwe technologieën samen testen in enkele pilootzones en de resultaten delen.",
            ),
        ],
        [
            (
                "Partager l'innovation entre les zones",
                "Les zones partagent leurs innovations et nouvelles technologies sur une plateforme commune.",
            ),
            (
                "Tester ensemble les nouvelles technologies",
                "Tester ensemble les nouvelles technologies dans quelques zones pilotes et partager les résultats.",
            ),
        ],
    ),
    "C2": (
        [
            (
                "Samenwerking en schaalvergroting van zones",
                "Vrijwillige samenwerking en schaalvergroting tussen zones ondersteunen waar dat de dienstverlening verbetert.",
            ),
            (
                "Evolutie van het politiemodel",
                "Het politiemodel laten evolueren vanuit de ervaring van de zones zelf.",
            ),
        ],
        [
            (
                "Coopération et fusion volontaire de zones",
                "Soutenir la coopération et la fusion volontaire de zones lorsque cela améliore le service.",
            ),
            (
                "Évolution du modèle policier",
                "Faire évoluer le modèle policier à partir de l'expérience des zones elles-mêmes.",
            ),
        ],
    ),
    "C3": (
        [
            (
                "Leiderschapsopleiding voor officieren",
                "Een gemeenschappelijke leiderschapsopleiding voor officieren, gebaseerd op de waarden van de politie.",
            ),
            (
                "Waarden en deontologie",
                "De waarden en de deontologie van de politie zichtbaar maken in de dagelijkse leiding.",
            ),
        ],
        [
            (
                "Formation au leadership des officiers",
                "Une formation commune au leadership pour les officiers, fondée sur les valeurs de la police.",
            ),
            (
                "Valeurs et déontologie",
                "Rendre visibles les valeurs et la déontologie de la police dans le management quotidien.",
            ),
        ],
    ),
    "C4": (
        [
            (
                "Vertrouwen tussen burgers en politie",
                "Het vertrouwen tussen burgers en politie versterken met wijkwerking en transparante communicatie.",
            ),
            (
                "Meer wijkagenten op straat",
                "Meer wijkagenten op straat, vrijgesteld van administratieve taken, om dicht bij de burger te staan.",
            ),
        ],
        [
            (
                "Confiance entre citoyens et police",
                "Renforcer la confiance entre citoyens et police par le travail de quartier et une communication transparente.",
            ),
            (
                "Plus d'agents de quartier dans la rue",
                "Plus d'agents de quartier dans la rue, déchargés des tâches administratives, proches du citoyen.",
            ),
        ],
    ),
    "C5": (
        [
            (
                "Duurzame en groene politiezones",
                "De zones verminderen hun ecologische voetafdruk: elektrische voertuigen, zuinige gebouwen.",
            ),
            (
                "Maatschappelijk verantwoord ondernemen",
                "Maatschappelijk verantwoord ondernemen opnemen in het zonaal veiligheidsplan.",
            ),
        ],
        [
            (
                "Des zones de police durables et vertes",
                "Les zones réduisent leur empreinte écologique : véhicules électriques, bâtiments économes.",
            ),
            (
                "Responsabilité sociétale des entreprises",
                "Intégrer la responsabilité sociétale dans le plan zonal de sécurité.",
            ),
        ],
    ),
}

VARIATIONS_NL = ["", "Wij stellen voor: ", "Vanuit onze zone: ", "Prioritair: "]
VARIATIONS_FR = ["", "Nous proposons : ", "Pour notre zone : ", "Priorité : "]


@transaction.atomic
def load_demo(edition: Edition, *, seed: int) -> dict[str, int]:
    """Create the events and the synthetic proposals (once), and merge about two thirds of them."""
    events = []
    for kind, title, date in EVENTS:
        event, _ = ConsultationEvent.objects.get_or_create(
            edition=edition,
            kind=kind,
            date=date,
            defaults={"title": title, "precision": DatePrecision.MONTH},
        )
        events.append(event)
    if Proposal.objects.filter(edition=edition, is_synthetic=True).exists():
        return {"events": len(events), "proposals": 0, "merges": 0}
    rng = random.Random(seed)
    zones = list(PoliceZone.objects.filter(is_synthetic=True).select_related("province"))
    dutch = [z for z in zones if z.language in ("nl", "nl-fr")]
    french = [z for z in zones if z.language in ("fr", "nl-fr", "de")]
    if not dutch or not french:
        return {"events": len(events), "proposals": 0, "merges": 0}
    secretariat = (
        get_user_model().objects.filter(groups__name=roles.SECRETARIAT).order_by("pk").first()
    )
    created = merges = 0
    for code, (nl_items, fr_items) in PROPOSALS.items():
        recommendation = Recommendation.objects.filter(
            edition=edition,
            kind="recommendation" if code[0] == "R" else "commitment",
            number=int(code[1:]),
        ).first()
        if recommendation is None:
            continue
        batch = []
        for lang, items, pool, prefixes in (
            ("nl", nl_items, dutch, VARIATIONS_NL),
            ("fr", fr_items, french, VARIATIONS_FR),
        ):
            for title, text in items:
                for zone in rng.sample(pool, k=min(len(pool), rng.randint(1, 3))):
                    event = rng.choice(events)
                    batch.append(
                        Proposal.objects.create(
                            edition=edition,
                            event=event,
                            zone=zone,
                            language=lang,
                            domain=recommendation.domain,
                            title=title,
                            text=rng.choice(prefixes) + text,
                            is_synthetic=True,
                        )
                    )
        created += len(batch)
        # Two thirds are merged into their recommendation; the rest stay new for the duplicate finder.
        to_merge = [p for p in batch if rng.random() < 0.67]
        if to_merge and secretariat is not None:
            merge_proposals(proposals=to_merge, into=recommendation, by=secretariat)
            merges += 1
    return {"events": len(events), "proposals": created, "merges": merges}
