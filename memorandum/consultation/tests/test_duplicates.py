"""Duplicate detection on a small labelled set of Dutch and French proposal pairs."""

from memorandum.consultation.similarity import DUPLICATE_THRESHOLD, normalise, similarity, stem

# (text a, text b, is a duplicate) — written by hand; the duplicates say the same thing in
# other words, the others share vocabulary but ask for something else.
LABELLED_PAIRS = [
    # Dutch duplicates
    (
        "Herfinanciering van de lokale politie door een hogere federale dotatie",
        "De federale dotatie voor de politiezones moet omhoog: herfinancier de lokale politie",
        True,
    ),
    (
        "Digitalisering van de aangifte: burgers moeten online klacht kunnen indienen",
        "Online aangifte door burgers mogelijk maken via digitale klacht",
        True,
    ),
    (
        "Vereenvoudiging van de aanwervingsprocedure voor inspecteurs",
        "De procedure voor de aanwerving van inspecteurs vereenvoudigen",
        True,
    ),
    (
        "Meer aandacht voor het welzijn van het personeel en psychosociale ondersteuning",
        "Psychosociale ondersteuning en welzijn van het personeel versterken",
        True,
    ),
    (
        "Een modern wagenpark en gedeelde aankoopcontracten voor voertuigen",
        "Gezamenlijke aankoopcontracten voor voertuigen om het wagenpark te moderniseren",
        True,
    ),
    (
        "Betere informatiedeling tussen lokale en federale politie via gemeenschappelijke databanken",
        "Informatiedeling via gemeenschappelijke databanken tussen federale en lokale politie verbeteren",
        True,
    ),
    # Dutch non-duplicates
    (
        "Herfinanciering van de lokale politie door een hogere federale dotatie",
        "Vereenvoudiging van de aanwervingsprocedure voor inspecteurs",
        False,
    ),
    (
        "Digitalisering van de aangifte: burgers moeten online klacht kunnen indienen",
        "Opleiding van inspecteurs in cyberveiligheid en digitale recherche",
        False,
    ),
    (
        "Een modern wagenpark en gedeelde aankoopcontracten voor voertuigen",
        "Meer aandacht voor het welzijn van het personeel en psychosociale ondersteuning",
        False,
    ),
    (
        "Betere informatiedeling tussen lokale en federale politie via gemeenschappelijke databanken",
        "De federale politie moet meer capaciteit leveren bij grote evenementen",
        False,
    ),
    (
        "Wijkagenten vrijstellen van administratieve taken",
        "Administratieve vereenvoudiging van de tuchtprocedure",
        False,
    ),
    # French duplicates
    (
        "Refinancement de la police locale par une augmentation de la dotation fédérale",
        "Augmenter la dotation fédérale pour refinancer les zones de police locale",
        True,
    ),
    (
        "Permettre aux citoyens de déposer plainte en ligne",
        "Plainte en ligne : les citoyens doivent pouvoir déposer plainte via internet",
        True,
    ),
    (
        "Simplifier la procédure de recrutement des inspecteurs",
        "Simplification de la procédure de recrutement pour les inspecteurs de police",
        True,
    ),
    (
        "Renforcer le bien-être du personnel et le soutien psychosocial",
        "Soutien psychosocial et bien-être des collaborateurs à renforcer",
        True,
    ),
    (
        "Marchés publics communs pour l'achat de véhicules de police",
        "Achat groupé de véhicules par des marchés publics communs entre zones",
        True,
    ),
    (
        "Formation continue des policiers à la gestion de la violence",
        "Formations continues pour les policiers sur la gestion de la violence",
        True,
    ),
    # French non-duplicates
    (
        "Refinancement de la police locale par une augmentation de la dotation fédérale",
        "Simplifier la procédure de recrutement des inspecteurs",
        False,
    ),
    (
        "Permettre aux citoyens de déposer plainte en ligne",
        "Renforcer la présence policière dans les quartiers",
        False,
    ),
    (
        "Marchés publics communs pour l'achat de véhicules de police",
        "Renforcer le bien-être du personnel et le soutien psychosocial",
        False,
    ),
    (
        "Formation continue des policiers à la gestion de la violence",
        "Lutte contre la violence intrafamiliale avec les partenaires sociaux",
        False,
    ),
    (
        "Améliorer la communication de la police avec les citoyens",
        "Améliorer la collaboration de la police avec les parquets",
        False,
    ),
]


def precision_recall(threshold: float) -> tuple[float, float]:
    predicted = [(similarity(a, b) >= threshold, truth) for a, b, truth in LABELLED_PAIRS]
    true_pos = sum(1 for p, t in predicted if p and t)
    false_pos = sum(1 for p, t in predicted if p and not t)
    false_neg = sum(1 for p, t in predicted if not p and t)
    precision = true_pos / (true_pos + false_pos) if true_pos + false_pos else 1.0
    recall = true_pos / (true_pos + false_neg) if true_pos + false_neg else 1.0
    return precision, recall


def test_the_labelled_set_is_balanced_between_languages_and_answers():
    """The set has Dutch and French pairs, duplicates and non-duplicates."""
    duplicates = sum(1 for *_, truth in LABELLED_PAIRS if truth)
    assert 10 <= duplicates <= len(LABELLED_PAIRS) - 10


def test_duplicates_are_found_with_high_precision_and_recall():
    """At the threshold used by the pages, precision ≥ 0.9 and recall ≥ 0.8 on the labelled set."""
    precision, recall = precision_recall(DUPLICATE_THRESHOLD)
    assert precision >= 0.9, precision
    assert recall >= 0.8, recall


def test_every_duplicate_scores_above_every_clear_non_duplicate_on_average():
    """Duplicates score clearly higher than non-duplicates, in both languages."""
    for lang_slice in (LABELLED_PAIRS[:11], LABELLED_PAIRS[11:]):
        dup = [similarity(a, b) for a, b, t in lang_slice if t]
        other = [similarity(a, b) for a, b, t in lang_slice if not t]
        assert sum(dup) / len(dup) > sum(other) / len(other) + 25


def test_normalisation_strips_accents_stop_words_and_endings():
    """Accents, stop words and common endings do not hide a duplicate."""
    assert normalise("La sécurité des Zones") == normalise("sécurités ZONE")
    assert sorted(normalise("De financiering van de politie").split()) == sorted(
        normalise("politie financieren").split()
    )
    assert stem("digitalisering") == stem("digitaliseren")
    assert stem("formations") == stem("formation")


def test_word_order_and_case_do_not_matter():
    """The same words in another order and case score 100."""
    assert similarity("Plainte en ligne pour les citoyens", "CITOYENS : plainte EN LIGNE") == 100


class _P:
    """A stand-in proposal: similar_items needs only pk, language, title and text."""

    def __init__(self, pk, language, title, text=""):
        self.pk, self.language, self.title, self.text = pk, language, title, text


class _R:
    def __init__(self, pk, title_nl, title_fr):
        self.pk, self.title_nl, self.title_fr = pk, title_nl, title_fr
        self.objective_nl = self.objective_fr = self.actions_nl = self.actions_fr = ""


def test_similar_items_ranks_duplicates_in_both_languages_and_recommendations():
    """A proposal finds its rephrasing, its French translation (marked as such) and the
    matching recommendation; not the unrelated proposal."""
    from memorandum.consultation.similarity import similar_items

    proposals = [
        _P(1, "nl", "Herfinanciering van de lokale politie door een hogere federale dotatie"),
        _P(2, "nl", "De federale dotatie moet omhoog: herfinancier de lokale politie"),
        _P(3, "nl", "Meer wijkagenten op straat"),
        _P(4, "fr", "Refinancement de la police locale par la dotation fédérale"),
    ]
    recs = [
        _R(10, "Een duurzame financiering van de lokale politie", "Un financement durable"),
        _R(11, "Een aantrekkelijke politie", "Une police attractive"),
    ]
    found = similar_items(proposals, recs, limit=3)
    first = found[1]
    assert {(m.obj.pk, m.other_language) for m in first if m.kind == "proposal"} == {
        (2, False),
        (4, True),
    }
    assert [m.obj.pk for m in first if m.kind == "recommendation"][0] == 10
    only = similar_items(proposals, recs, limit=3, only=[proposals[0]])
    assert [(m.kind, m.obj.pk) for m in only[1]] == [(m.kind, m.obj.pk) for m in first]
    assert list(only) == [1]


def _texts() -> list[str]:
    return [normalise(a) for a, _b, _d in LABELLED_PAIRS] + [
        normalise(b) for _a, b, _d in LABELLED_PAIRS
    ]


def test_a_cut_off_keeps_every_score_at_or_above_it_exactly():
    """What the duplicates page shows is the same with the early cut-off as without."""
    from memorandum.consultation.similarity import score_matrix

    texts = _texts()
    full = score_matrix(texts, texts)
    cut = score_matrix(texts, texts, minimum=DUPLICATE_THRESHOLD)
    shown = full >= DUPLICATE_THRESHOLD
    assert (cut >= DUPLICATE_THRESHOLD).tolist() == shown.tolist()
    assert cut[shown].tolist() == full[shown].tolist()


def test_the_cached_matrix_equals_the_scores_and_scores_identical_texts_once():
    """Repeated texts (one proposal sent by several zones) and a second call change nothing."""
    from django.core.cache import cache

    from memorandum.consultation.similarity import cached_score_matrix, score_matrix

    cache.clear()
    texts = _texts()
    queries = texts[:5] + texts[:5]
    expected = score_matrix(queries, texts)
    assert cached_score_matrix(queries, texts).tolist() == expected.tolist()
    assert cached_score_matrix(queries, texts).tolist() == expected.tolist()  # from the cache
    assert cached_score_matrix(queries, queries).tolist() == score_matrix(queries, queries).tolist()


def test_similar_items_with_a_minimum_finds_the_same_pairs_as_without():
    """The duplicates page's call (``minimum``) and the full scoring agree on what passes."""
    from memorandum.consultation.similarity import similar_items

    proposals = [
        _P(n, "nl" if n % 3 else "fr", text)
        for n, text in enumerate(a for pair in LABELLED_PAIRS for a in pair[:2])
    ]
    everything = similar_items(proposals, [], limit=len(proposals))
    passing = similar_items(proposals, [], limit=len(proposals), minimum=DUPLICATE_THRESHOLD)
    for pk, found in everything.items():
        expected = {(m.obj.pk, round(m.score, 3)) for m in found if m.score >= DUPLICATE_THRESHOLD}
        assert {(m.obj.pk, round(m.score, 3)) for m in passing[pk]} == expected
