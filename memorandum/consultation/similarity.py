"""Duplicate detection: how close is a proposal to the other proposals and recommendations?

Texts are first *normalised* so that spelling variants and grammar do not hide a
duplicate:

1. lower case, accents stripped ("sécurité" → "securite"), punctuation removed;
2. Dutch and French stop words removed (articles, prepositions, pronouns, auxiliaries:
   "de", "het", "van", "le", "la", "des", "pour" …), and words of one or two letters;
3. light stemming: a common Dutch or French ending is cut off when at least four letters
   remain ("financiering" → "financier", "zones" → "zone", "renforcement" → "renforc"),
   so that "digitalisering"/"digitaliseren" or "formation"/"formations" meet (two
   passes at most, see :func:`stem`).

The score (0–100) is the mean of rapidfuzz's ``token_set_ratio`` (high when one text's
words are contained in the other's, e.g. a short proposal restating a longer one) and
``token_sort_ratio`` (penalises texts that share only a few words among many). All
pairs are scored at once with ``rapidfuzz.process.cdist``, a vectorised C++ loop.
Texts in different languages are not compared with each other: a proposal is compared
with the other proposals in its language and with the recommendations' text in its
language.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

DUPLICATE_THRESHOLD = 65
"""Scores at or above this are shown as likely duplicates (tuned on the labelled set in tests)."""

STOP_WORDS = {
    # Dutch
    "de",
    "het",
    "een",
    "en",
    "van",
    "voor",
    "met",
    "naar",
    "aan",
    "bij",
    "door",
    "om",
    "op",
    "in",
    "te",
    "tot",
    "uit",
    "over",
    "onder",
    "tegen",
    "zonder",
    "dat",
    "die",
    "dit",
    "deze",
    "wat",
    "wie",
    "waar",
    "er",
    "is",
    "zijn",
    "wordt",
    "worden",
    "werd",
    "moet",
    "moeten",
    "kan",
    "kunnen",
    "zal",
    "zullen",
    "heeft",
    "hebben",
    "ook",
    "nog",
    "niet",
    "geen",
    "meer",
    "al",
    "alle",
    "elke",
    "ieder",
    "hun",
    "haar",
    "ons",
    "onze",
    "we",
    "wij",
    "zij",
    "ze",
    "men",
    "als",
    "of",
    "maar",
    "dan",
    "zo",
    "zoals",
    "via",
    "graag",
    "vragen",
    "vraagt",
    "willen",
    "wil",
    "nodig",
    "beter",
    "betere",
    # French
    "le",
    "la",
    "les",
    "un",
    "une",
    "des",
    "du",
    "et",
    "ou",
    "pour",
    "par",
    "avec",
    "sans",
    "dans",
    "sur",
    "sous",
    "aux",
    "au",
    "que",
    "qui",
    "quoi",
    "dont",
    "ce",
    "cet",
    "cette",
    "ces",
    "son",
    "sa",
    "ses",
    "leur",
    "leurs",
    "notre",
    "nos",
    "nous",
    "vous",
    "ils",
    "elles",
    "il",
    "elle",
    "on",
    "est",
    "sont",
    "etre",
    "etait",
    "doit",
    "doivent",
    "peut",
    "peuvent",
    "faut",
    "plus",
    "moins",
    "pas",
    "ne",
    "tous",
    "toutes",
    "tout",
    "chaque",
    "aussi",
    "mais",
    "comme",
    "entre",
    "vers",
    "afin",
    "meilleur",
    "meilleure",
    "demander",
    "demande",
    "souhaite",
    "besoin",
}

# Longest first so that "ementen" is tried before "en".
SUFFIXES = sorted(
    {
        # Dutch
        "ingen",
        "ing",
        "heden",
        "heid",
        "elijke",
        "elijk",
        "lijke",
        "lijk",
        "isch",
        "ische",
        "eren",
        "en",
        "e",
        "s",
        # French
        "issements",
        "issement",
        "ements",
        "ement",
        "ations",
        "ation",
        "itions",
        "ition",
        "ites",
        "ite",
        "ifs",
        "ives",
        "ive",
        "if",
        "euses",
        "euse",
        "eurs",
        "eur",
        "aux",
        "es",
        "er",
        "ee",
        "ees",
    },
    key=len,
    reverse=True,
)
MIN_STEM = 4

_NON_WORD = re.compile(r"[^\w]+")


def stem(word: str) -> str:
    """Cut common Dutch or French endings (at most two) while at least four letters remain.

    Two passes make verb and noun meet: "digitalisering" → "digitaliser" → "digitalis",
    and "digitaliseren" → "digitalis".
    """
    for shortest in (1, 2):  # the second pass leaves a final "e" or "s" alone
        for suffix in SUFFIXES:
            if (
                len(suffix) >= shortest
                and word.endswith(suffix)
                and len(word) - len(suffix) >= MIN_STEM
            ):
                word = word[: -len(suffix)]
                break
        else:
            break
    return word


def normalise(text: str) -> str:
    """The comparable form of a text: see the module docstring for the steps."""
    decomposed = unicodedata.normalize("NFKD", (text or "").lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = _NON_WORD.sub(" ", plain.replace("_", " ")).split()
    return " ".join(
        stem(w) for w in words if len(w) > 2 and w not in STOP_WORDS and not w.isdigit()
    )


def combined_score(a: str, b: str, **kwargs) -> float:
    """Mean of token_set_ratio and token_sort_ratio on already normalised texts."""
    return (fuzz.token_set_ratio(a, b) + fuzz.token_sort_ratio(a, b)) / 2


def score_matrix(queries: Sequence[str], choices: Sequence[str]) -> np.ndarray:
    """Scores of every query against every choice (both normalised), shape (len(q), len(c))."""
    if not queries or not choices:
        return np.zeros((len(queries), len(choices)), dtype=np.float32)
    set_scores = process.cdist(
        queries, choices, scorer=fuzz.token_set_ratio, dtype=np.float32, workers=1
    )
    sort_scores = process.cdist(
        queries, choices, scorer=fuzz.token_sort_ratio, dtype=np.float32, workers=1
    )
    return (set_scores + sort_scores) / 2


def similarity(a: str, b: str) -> float:
    """Score (0–100) of two raw texts, after normalisation."""
    return combined_score(normalise(a), normalise(b))


@dataclass(frozen=True)
class Match:
    kind: str  # "proposal" or "recommendation"
    obj: object
    score: float


def proposal_text(proposal) -> str:
    return f"{proposal.title}. {proposal.text}"


def recommendation_text(recommendation, lang: str) -> str:
    parts = [
        getattr(recommendation, f"{base}_{lang}") for base in ("title", "objective", "actions")
    ]
    return ". ".join(p for p in parts if p)


def similar_items(
    proposals: Sequence,
    recommendations: Sequence,
    *,
    limit: int = 5,
    minimum: float = 0,
    only: Sequence | None = None,
) -> dict[int, list[Match]]:
    """For each proposal (by id), the closest other proposals and recommendations, best first.

    Proposals are compared only with proposals and recommendation texts in their own
    language; all pairs of one language are scored in one ``cdist`` call. With ``only``,
    just those proposals are scored (one row each) against all the others.
    """
    queries = list(only) if only is not None else list(proposals)
    result: dict[int, list[Match]] = {p.pk: [] for p in queries}
    recs = list(recommendations)
    for lang in {p.language for p in queries}:
        asked = [p for p in queries if p.language == lang]
        group = [p for p in proposals if p.language == lang]
        group_texts = [normalise(proposal_text(p)) for p in group]
        by_pk = dict(zip([p.pk for p in group], group_texts, strict=True))
        asked_texts = [by_pk.get(p.pk) or normalise(proposal_text(p)) for p in asked]
        pairs = score_matrix(asked_texts, group_texts)
        rec_scores = score_matrix(
            asked_texts, [normalise(recommendation_text(r, lang)) for r in recs]
        )
        for row, proposal in enumerate(asked):
            matches = [
                Match("proposal", other, float(pairs[row, j]))
                for j, other in enumerate(group)
                if other.pk != proposal.pk and pairs[row, j] >= minimum
            ]
            matches += [
                Match("recommendation", recs[j], float(rec_scores[row, j]))
                for j in range(len(recs))
                if rec_scores[row, j] >= minimum
            ]
            matches.sort(key=lambda m: -m.score)
            result[proposal.pk] = matches[:limit]
    return result
