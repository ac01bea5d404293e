"""Realistic synthetic data at full scale, always labelled synthetic.

Real memoranda have ~185 zones, 10 domains, 21 themes and 219 recommendations; tests,
benchmarks and the demo need that volume without pretending it is real: every object
made here has ``is_synthetic=True`` and its names say so.
"""

from __future__ import annotations

import random

from django.db import transaction

from memorandum.catalogue.models import (
    Edition,
    Phase,
    PoliceZone,
    Province,
    Recommendation,
    RecommendationKind,
    Region,
    Status,
    Theme,
    WorkDomain,
    ZoneLanguage,
)

# code, Dutch, French, region, share of the 185 zones (close to the real distribution)
PROVINCES = [
    ("ANT", "Antwerpen", "Anvers", Region.FLANDERS, 23),
    ("LIM", "Limburg", "Limbourg", Region.FLANDERS, 15),
    ("OVL", "Oost-Vlaanderen", "Flandre orientale", Region.FLANDERS, 27),
    ("WVL", "West-Vlaanderen", "Flandre occidentale", Region.FLANDERS, 19),
    ("VBR", "Vlaams-Brabant", "Brabant flamand", Region.FLANDERS, 23),
    ("BRU", "Brussels Hoofdstedelijk Gewest", "Région de Bruxelles-Capitale", Region.BRUSSELS, 6),
    ("WBR", "Waals-Brabant", "Brabant wallon", Region.WALLONIA, 10),
    ("HAI", "Henegouwen", "Hainaut", Region.WALLONIA, 24),
    ("LIE", "Luik", "Liège", Region.WALLONIA, 21),
    ("LUX", "Luxemburg", "Luxembourg", Region.WALLONIA, 5),
    ("NAM", "Namen", "Namur", Region.WALLONIA, 12),
]

DOMAINS = [
    ("Politieopdrachten", "Missions de police"),
    ("Nabijheidspolitie", "Police de proximité"),
    ("Financiering", "Financement"),
    ("Human management", "Human management"),
    ("Digitalisering en IT", "Numérisation et IT"),
    ("Beheer van de logistieke middelen", "Gestion des moyens logistiques"),
    ("Corporate en employer branding", "Corporate et employer branding"),
    ("Politiestructuur", "Structure policière"),
    ("Partnerschappen en representativiteit", "Partenariats et représentativité"),
    (
        "Maatschappelijk verantwoord ondernemen en communicatie",
        "Responsabilité sociétale et communication",
    ),
]

SUBJECTS = [
    ("de wijkwerking", "le travail de quartier"),
    ("de aanwervingsprocedure", "la procédure de recrutement"),
    ("de federale dotatie", "la dotation fédérale"),
    ("het interventiebeleid", "la politique d'intervention"),
    ("de digitale aangifte", "la plainte en ligne"),
    ("het wagenpark", "le parc de véhicules"),
    ("de opleiding van inspecteurs", "la formation des inspecteurs"),
    ("de samenwerking met parketten", "la collaboration avec les parquets"),
    ("het onthaal van slachtoffers", "l'accueil des victimes"),
    ("de cyberveiligheid", "la cybersécurité"),
    ("het verkeersbeleid", "la politique de circulation"),
    ("de eindeloopbaan", "la fin de carrière"),
    ("de informatiedeling", "le partage d'informations"),
    ("de uitrusting", "l'équipement"),
    ("het welzijn van het personeel", "le bien-être du personnel"),
    ("de communicatie met burgers", "la communication avec les citoyens"),
]
VERBS = [
    ("Versterken van", "Renforcer"),
    ("Vereenvoudigen van", "Simplifier"),
    ("Harmoniseren van", "Harmoniser"),
    ("Duurzaam financieren van", "Financer durablement"),
    ("Digitaliseren van", "Numériser"),
    ("Evalueren en bijsturen van", "Évaluer et ajuster"),
    ("Professionaliseren van", "Professionnaliser"),
]
ACTIONS = [
    ("door een werkgroep op te richten", "en créant un groupe de travail"),
    ("door de regelgeving aan te passen", "en adaptant la réglementation"),
    ("door bijkomende middelen toe te kennen", "en octroyant des moyens supplémentaires"),
    (
        "door goede praktijken te delen tussen de zones",
        "en partageant les bonnes pratiques entre les zones",
    ),
    ("door een jaarlijkse evaluatie te organiseren", "en organisant une évaluation annuelle"),
    ("door de federale politie te betrekken", "en associant la police fédérale"),
]


def zone_counts(total: int) -> list[int]:
    """Spread ``total`` zones over the provinces in the real proportions."""
    shares = [p[4] for p in PROVINCES]
    counts = [max(1, round(total * s / sum(shares))) for s in shares]
    while sum(counts) > total:
        counts[counts.index(max(counts))] -= 1
    while sum(counts) < total:
        counts[counts.index(min(counts))] += 1
    return counts


def ensure_provinces() -> dict[str, Province]:
    """The ten provinces and the Brussels-Capital Region (real, not synthetic)."""
    provinces = {}
    for code, nl, fr, region, _share in PROVINCES:
        provinces[code], _ = Province.objects.update_or_create(
            code=code, defaults={"name_nl": nl, "name_fr": fr, "region": region}
        )
    return provinces


@transaction.atomic
def generate_zones(count: int, seed: int) -> list[PoliceZone]:
    """Create (or re-create identically) ``count`` synthetic zones with realistic sizes.

    Populations follow a log-normal law around the Belgian median (~45,000 inhabitants
    per zone, from ~10,000 to ~1.2 million for the largest city zone); personnel is about
    1.6 police staff per 1,000 inhabitants with some spread.
    """
    rng = random.Random(seed)
    provinces = ensure_provinces()
    zones = []
    number = 0
    for (code, nl, fr, region, _share), count_here in zip(
        PROVINCES, zone_counts(count), strict=True
    ):
        for index in range(1, count_here + 1):
            number += 1
            population = int(min(max(rng.lognormvariate(10.75, 0.55), 9_000), 1_200_000))
            if region == Region.BRUSSELS:
                population = int(population * 2.8)
            personnel = max(20, int(population * rng.uniform(1.2, 2.2) / 1000))
            language = {
                Region.FLANDERS: ZoneLanguage.DUTCH,
                Region.WALLONIA: ZoneLanguage.FRENCH,
                Region.BRUSSELS: ZoneLanguage.BILINGUAL,
            }[region]
            if code == "LIE" and index > count_here - 2:
                language = ZoneLanguage.GERMAN  # the two German-speaking zones
            name = nl if language in (ZoneLanguage.DUTCH, ZoneLanguage.BILINGUAL) else fr
            zone, _ = PoliceZone.objects.update_or_create(
                code=f"S{number:03d}",
                defaults={
                    "name_nl": f"{name} {index:02d} (synthetic)",
                    "province": provinces[code],
                    "language": language,
                    "population": population,
                    "personnel": personnel,
                    "email": f"zone{number:03d}@example.invalid",
                    "is_synthetic": True,
                },
            )
            zones.append(zone)
    return zones


@transaction.atomic
def generate_edition(
    *, themes: int, recommendations: int, seed: int, slug: str | None = None
) -> Edition:
    """A full-scale synthetic edition: 10 domains, ``themes`` themes, ``recommendations`` items.

    About one item in ten is a commitment of the local police, as in the real memorandum.
    Running it again with the same seed rewrites the same edition.
    """
    rng = random.Random(seed)
    slug = slug or f"synthetic-{seed}"
    edition, _ = Edition.objects.update_or_create(
        slug=slug,
        defaults={
            "title_nl": f"Synthetisch memorandum (seed {seed})",
            "title_fr": f"Mémorandum synthétique (seed {seed})",
            "period_start": 2029,
            "period_end": 2033,
            "phase": Phase.PRIORITISATION,
            "issuing_body_nl": "Vaste Commissie van de Lokale Politie (synthetische testgegevens)",
            "issuing_body_fr": "Commission permanente de la Police locale (données de test synthétiques)",
            "notes_nl": "Deze editie is door de computer gegenereerd voor tests en metingen. Ze is niet echt.",
            "notes_fr": "Cette édition a été générée par ordinateur pour les tests et les mesures. Elle n'est pas réelle.",
            "is_synthetic": True,
        },
    )
    edition.recommendations.all().delete()
    edition.domains.all().delete()
    domains = [
        WorkDomain.objects.create(edition=edition, number=i, name_nl=nl, name_fr=fr)
        for i, (nl, fr) in enumerate(DOMAINS, start=1)
    ]
    theme_objects = []
    for index in range(themes):
        domain = domains[index % len(domains)]
        subject_nl, subject_fr = SUBJECTS[index % len(SUBJECTS)]
        theme_objects.append(
            Theme.objects.create(
                domain=domain,
                number=index // len(domains) + 1,
                name_nl=subject_nl[0].upper()
                + subject_nl[1:].replace("de ", "", 1).replace("het ", "", 1),
                name_fr=subject_fr[0].upper() + subject_fr[1:],
            )
        )
    commitments = max(1, recommendations // 10)
    counters = {RecommendationKind.RECOMMENDATION: 0, RecommendationKind.COMMITMENT: 0}
    items = []
    for index in range(recommendations):
        kind = (
            RecommendationKind.COMMITMENT
            if index >= recommendations - commitments
            else RecommendationKind.RECOMMENDATION
        )
        counters[kind] += 1
        theme = theme_objects[index % len(theme_objects)] if theme_objects else None
        domain = theme.domain if theme else domains[index % len(domains)]
        verb_nl, verb_fr = rng.choice(VERBS)
        subject_nl, subject_fr = rng.choice(SUBJECTS)
        chosen = rng.sample(ACTIONS, k=rng.randint(2, 5))
        item = Recommendation(
            edition=edition,
            kind=kind,
            number=counters[kind],
            domain=domain,
            theme=theme,
            title_nl=f"{verb_nl} {subject_nl}",
            title_fr=f"{verb_fr} {subject_fr}",
            objective_nl=f"{verb_nl} {subject_nl} in alle politiezones (synthetisch voorbeeld).",
            objective_fr=f"{verb_fr} {subject_fr} dans toutes les zones de police (exemple synthétique).",
            actions_nl="\n".join(a for a, _ in chosen),
            actions_fr="\n".join(f for _, f in chosen),
            context_nl="Synthetische context, gegenereerd voor tests.",
            context_fr="" if index % 7 == 0 else "Contexte synthétique, généré pour les tests.",
            status=Status.PROPOSED,
            is_synthetic=True,
        )
        item.rebuild_search_text_with(domain)
        items.append(item)
    # bulk_create skips save() and history on purpose: 219 inserts instead of 219 × 2.
    Recommendation.objects.bulk_create(items)
    return edition
