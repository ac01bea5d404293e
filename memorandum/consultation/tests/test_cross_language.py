"""Duplicate detection across languages: a French proposal that translates a Dutch one."""

from memorandum.catalogue.models import Recommendation
from memorandum.consultation.models import Proposal
from memorandum.consultation.similarity import (
    COMPARED_CHARACTERS,
    DUPLICATE_THRESHOLD,
    LONGEST_COMPOUND,
    Match,
    aligned_words,
    combined_score,
    dutch_parts,
    french_as_dutch,
    glossary,
    normalise,
    proposal_text,
    similar_items,
    split_compounds,
)
from memorandum.consultation.tests.helpers import make_proposal
from memorandum.survey.tests.helpers import through_the_worker
from memorandum.test import BaseTestCase

# (Dutch, French, the French says the same) — written by hand for this test, not taken from
# the demo texts the glossary was checked on.
CROSS_PAIRS = [
    (
        "Herfinanciering van de lokale politie door een hogere federale dotatie",
        "Refinancer la police locale par une dotation fédérale plus élevée",
        True,
    ),
    (
        "Vereenvoudiging van de procedure voor de rekrutering van inspecteurs",
        "Simplifier la procédure de recrutement des inspecteurs",
        True,
    ),
    (
        "Meer aandacht voor het welzijn van het personeel en de werkdruk in de politiezones",
        "Plus d'attention au bien-être du personnel et à la charge de travail dans les zones de police",
        True,
    ),
    (
        "Een gemeenschappelijk digitaal platform voor de informatie van alle politiediensten",
        "Une plateforme numérique commune pour l'information de tous les services de police",
        True,
    ),
    (
        "De wijkagent moet meer tijd krijgen voor nabijheid en contact met de burgers",
        "L'agent de quartier doit recevoir plus de temps pour la proximité et le contact avec les citoyens",
        True,
    ),
    (
        "Elke nieuwe opdracht koppelen aan een inschatting van de impact op het personeel",
        "Lier chaque nouvelle mission à une évaluation de son impact sur le personnel",
        True,
    ),
    (
        "Betere uitrusting en voertuigen voor de interventiediensten",
        "Un meilleur équipement et des véhicules pour les services d'intervention",
        True,
    ),
    (
        "Een wettelijk kader voor het gebruik van camera's door de politie",
        "Un cadre légal pour l'utilisation des caméras par la police",
        True,
    ),
    # Same words, another request
    (
        "Herfinanciering van de lokale politie door een hogere federale dotatie",
        "Simplifier la procédure de recrutement des inspecteurs",
        False,
    ),
    (
        "Meer aandacht voor het welzijn van het personeel en de werkdruk in de politiezones",
        "Une plateforme numérique commune pour l'information de tous les services de police",
        False,
    ),
    (
        "Een wettelijk kader voor het gebruik van camera's door de politie",
        "Un meilleur équipement et des véhicules pour les services d'intervention",
        False,
    ),
    (
        "De wijkagent moet meer tijd krijgen voor nabijheid en contact met de burgers",
        "Lier chaque nouvelle mission à une évaluation de son impact sur le personnel",
        False,
    ),
    (
        "Betere uitrusting en voertuigen voor de interventiediensten",
        "Refinancer la police locale par une dotation fédérale plus élevée",
        False,
    ),
    (
        "Vereenvoudiging van de procedure voor de rekrutering van inspecteurs",
        "Un cadre légal pour l'utilisation des caméras par la police",
        False,
    ),
]


def cross_score(dutch: str, french: str) -> float:
    return combined_score(split_compounds(normalise(dutch)), french_as_dutch(normalise(french)))


def test_translations_reach_the_threshold_and_other_requests_do_not():
    found = [(cross_score(nl, fr) >= DUPLICATE_THRESHOLD, same) for nl, fr, same in CROSS_PAIRS]
    true_pos = sum(1 for hit, same in found if hit and same)
    false_pos = sum(1 for hit, same in found if hit and not same)
    translations = sum(1 for _, same in found if same)
    assert true_pos / translations >= 0.75, found
    assert false_pos == 0, found


def test_each_translation_is_closer_than_every_other_request():
    for nl, fr, same in CROSS_PAIRS:
        if not same:
            continue
        others = [cross_score(nl, other) for _, other, s in CROSS_PAIRS if s and other != fr]
        assert cross_score(nl, fr) > max(others), (nl, fr)


def test_french_phrases_become_dutch_and_dutch_compounds_split():
    assert french_as_dutch(normalise("les zones de police")) == split_compounds(
        normalise("politiezones")
    )
    assert split_compounds(normalise("politiezone")) == " ".join(
        [normalise("politie"), normalise("zone")]
    )
    assert split_compounds(normalise("dotatie")) == normalise("dotatie")  # not a compound


def test_a_huge_word_is_not_tried_as_a_compound(monkeypatch):
    """Trying every cut of a word costs its length squared: 10^6 letters took minutes."""
    from memorandum.consultation import similarity

    tried = []
    real_split = similarity._split
    monkeypatch.setattr(
        similarity, "_split", lambda w, parts: tried.append(w) or real_split(w, parts)
    )
    huge = "politiezone" * 20_000
    assert split_compounds(f"{huge} politiezone") == f"{huge} politi zone"
    assert tried == ["politiezone"]  # the ordinary compound only
    assert len(max(dutch_parts(), key=len)) * 2 + 2 <= LONGEST_COMPOUND  # every real compound


def test_a_huge_proposal_is_compared_by_its_beginning():
    """The score's cost grows with the text: a 10^6-character proposal took 40 s per page."""
    draft = Proposal(pk=0, language="nl", title="Probe", text="A" * 1_000_000)
    assert len(proposal_text(draft)) == COMPARED_CHARACTERS
    recommendations = [
        Recommendation(pk=n, title_nl=f"Financiering {n}", objective_nl="x " * 300, actions_nl="y")
        for n in range(1, 60)
    ]
    matches = similar_items([draft], recommendations, limit=3, only=[draft])
    assert all(m.score < DUPLICATE_THRESHOLD for found in matches.values() for m in found)


def test_the_glossary_reads_every_line_and_aligned_words_need_evidence():
    assert len(glossary()) > 200
    pairs = [("financier middel", "financ moyen")] * 2 + [("middel", "moyen")]
    assert aligned_words(pairs) == {"financ": "financier", "moyen": "middel"}
    assert aligned_words(pairs[:1]) == {}  # once is no evidence


class CrossLanguageMatchesTestCase(BaseTestCase):
    def test_a_french_translation_is_listed_with_its_language(self):
        dutch = make_proposal(self.edition, title=CROSS_PAIRS[2][0], text="")
        french = make_proposal(self.edition, language="fr", title=CROSS_PAIRS[2][1], text="")
        other = make_proposal(self.edition, language="fr", title=CROSS_PAIRS[3][1], text="")
        matches = similar_items([dutch, french, other], [], minimum=DUPLICATE_THRESHOLD)
        self.assertEqual([(m.obj, m.other_language) for m in matches[dutch.pk]], [(french, True)])
        self.assertIsInstance(matches[french.pk][0], Match)
        self.assertEqual(matches[french.pk][0].obj, dutch)
        self.login(self.secretariat)
        url = f"/fr/editions/{self.edition.slug}/proposals/duplicates/"
        through_the_worker(self, self.client.get, url)
        self.assertContains(self.client.get(url), "Néerlandais", status_code=200)
