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
pairs are scored at once with ``rapidfuzz.process.cdist``, a vectorised C++ loop; each
distinct text once, a group against itself and the two languages against each other only
once (both ratios are symmetric), with an early cut-off below the page's threshold, and the
matrices kept in the cache under a digest of the texts (``bench/duplicates.py``).
A proposal is compared with the other proposals in its language and with the
recommendations' text in its language, and with the proposals in the other language
through Dutch: French words and phrases are replaced by their Dutch equivalents (the
glossary in ``data/glossary_fr_nl.tsv``, plus the word pairs that the edition's own
bilingual recommendation texts align, see :func:`aligned_words`), and Dutch compounds are
split into known words ("politiezone" → "politie zone"), because French writes them apart.
On the demo's bilingual recommendation texts (73 pairs, each left out in turn) the
French sentence's own Dutch version is the closest of all in 88% of cases and scores at or
above the threshold in 60% (11% without the glossary); the closest wrong sentence does
in 16%.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.core.cache import cache
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


@functools.lru_cache(maxsize=200_000)
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


@functools.lru_cache(maxsize=20_000)  # recommendation texts come back on every page
def normalise(text: str) -> str:
    """The comparable form of a text: see the module docstring for the steps."""
    decomposed = unicodedata.normalize("NFKD", (text or "").lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = _NON_WORD.sub(" ", plain.replace("_", " ")).split()
    return " ".join(
        stem(w) for w in words if len(w) > 2 and w not in STOP_WORDS and not w.isdigit()
    )


GLOSSARY_FILE = Path(__file__).with_name("data") / "glossary_fr_nl.tsv"
#: Longest French phrase in the glossary, in words.
_MAX_PHRASE = 3


@functools.cache
def glossary() -> dict[tuple[str, ...], str]:
    """French phrase (normalised words) → Dutch normalised text, from the glossary file."""
    pairs: dict[tuple[str, ...], str] = {}
    for line in GLOSSARY_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        french, dutch = line.split("\t")
        words = tuple(normalise(french).split())
        if words and len(words) <= _MAX_PHRASE:
            pairs[words] = normalise(dutch)
    return pairs


@functools.cache
def dutch_parts() -> dict[str, str]:
    """The Dutch words the glossary knows, the parts compounds are split into: each by its
    normalised form and by that form less its last letter, which stemming cuts off inside a
    compound ("politiezone" → "politiezon", whose tail "zon" is the part "zone")."""
    parts: dict[str, str] = {}
    for text in glossary().values():
        for word in text.split():
            if len(word) >= 4:
                parts.setdefault(word[:-1], word)
                parts[word] = word
    return parts


def aligned_words(pairs: Iterable[tuple[str, str]], *, minimum: int = 2) -> dict[str, str]:
    """French word → Dutch word, learned from parallel Dutch/French texts (normalised).

    A pair is kept when both words occur together in at least ``minimum`` text pairs and
    their Dice coefficient (how often they occur together against how often they occur at
    all) is at least one half; each French word keeps its best Dutch partner.
    """
    dutch_count: Counter[str] = Counter()
    french_count: Counter[str] = Counter()
    together: Counter[tuple[str, str]] = Counter()
    for dutch, french in pairs:
        nl, fr = set(dutch.split()), set(french.split())
        dutch_count.update(nl)
        french_count.update(fr)
        together.update(itertools.product(fr, nl))
    best: dict[str, tuple[float, str]] = {}
    for (fr, nl), count in together.items():
        dice = 2 * count / (dutch_count[nl] + french_count[fr])
        if count >= minimum and dice >= 0.5 and dice > best.get(fr, (0.0, ""))[0]:
            best[fr] = (dice, nl)
    return {fr: nl for fr, (_, nl) in best.items()}


@functools.lru_cache(maxsize=64)
def _aligned(pairs: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """:func:`aligned_words` of an edition's texts, kept while they do not change."""
    return aligned_words(pairs)


def french_as_dutch(normalised_french: str, learned: dict[str, str] | None = None) -> str:
    """A normalised French text with its words and phrases replaced by Dutch ones (longest
    glossary phrase first, then the learned word pairs); unknown words stay, as many are
    shared ("zone", "impact", "cyber...")."""
    words, phrases, learned = normalised_french.split(), glossary(), learned or {}
    out: list[str] = []
    i = 0
    while i < len(words):
        for size in range(min(_MAX_PHRASE, len(words) - i), 0, -1):
            dutch = phrases.get(tuple(words[i : i + size]))
            if dutch is not None:
                out.append(dutch)
                i += size
                break
        else:
            out.append(learned.get(words[i], words[i]))
            i += 1
    return split_compounds(" ".join(out))  # the glossary's compounds, as Dutch texts get them


LONGEST_COMPOUND = 60
"""Longer "words" are not split: no compound of two glossary words is this long, and trying
every cut of a word costs its length squared (a 10^6-letter word typed into a proposal took
minutes and every page that compares that proposal with the others timed out)."""


def split_compounds(normalised_dutch: str) -> str:
    """Dutch compounds of two known words written apart ("politiezone" → "politi zone"),
    so that they meet the French phrase ("zone de police") word for word."""
    parts = dutch_parts()
    return " ".join(
        _split(w, parts) if 8 <= len(w) <= LONGEST_COMPOUND else w for w in normalised_dutch.split()
    )


def _split(word: str, parts: dict[str, str]) -> str:
    for cut in range(4, len(word) - 2):
        head, tail = word[:cut], word[cut:]
        for link in ("", "e", "s", "en"):  # the linking letters of Dutch compounds
            rest = tail[len(link) :] if tail.startswith(link) else ""
            if len(rest) >= 3 and head in parts and rest in parts:
                return f"{parts[head]} {parts[rest]}"
    return word


def combined_score(a: str, b: str, **kwargs) -> float:
    """Mean of token_set_ratio and token_sort_ratio on already normalised texts."""
    return (fuzz.token_set_ratio(a, b) + fuzz.token_sort_ratio(a, b)) / 2


def score_matrix(
    queries: Sequence[str], choices: Sequence[str], *, minimum: float = 0
) -> np.ndarray:
    """Scores of every query against every choice (both normalised), shape (len(q), len(c)).

    Scores below ``minimum`` are exact only as "below ``minimum``": a pair reaches it only
    when each of the two ratios reaches ``2 * minimum - 100`` (the other is at most 100), so
    rapidfuzz may stop early on a pair below that. Pass the same list as ``queries`` and
    ``choices`` to score a group against itself: rapidfuzz then scores each pair once.
    """
    if not queries or not choices:
        return np.zeros((len(queries), len(choices)), dtype=np.float32)
    options = {"dtype": np.float32, "workers": 1, "score_cutoff": max(0, 2 * minimum - 100)}
    set_scores = process.cdist(queries, choices, scorer=fuzz.token_set_ratio, **options)
    sort_scores = process.cdist(queries, choices, scorer=fuzz.token_sort_ratio, **options)
    return (set_scores + sort_scores) / 2


_MATRIX_SECONDS = 3600


def cached_score_matrix(
    queries: Sequence[str], choices: Sequence[str], *, minimum: float = 0
) -> np.ndarray:
    """:func:`score_matrix`, kept in the cache under a digest of the texts: the duplicates
    page is read again and again while the proposals do not change, and a change of any
    text (or of the set) is a new key. Identical texts (a proposal several zones sent in
    the same words) are scored once."""
    digest = hashlib.sha256()
    for text in (*queries, "\x00", *choices):
        digest.update(text.encode())
        digest.update(b"\x1f")
    same = queries is choices
    key = f"consultation:scores:{minimum}:{int(same)}:{digest.hexdigest()}"
    found = cache.get(key)
    if found is None:
        rows, row_of = _distinct(queries)
        columns, column_of = (rows, row_of) if same else _distinct(choices)
        found = score_matrix(rows, columns, minimum=minimum)[np.ix_(row_of, column_of)]
        cache.set(key, found, _MATRIX_SECONDS)
    return found


def _distinct(texts: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """The distinct texts, and for each text the index of its distinct one."""
    index: dict[str, int] = {}
    position = np.fromiter((index.setdefault(t, len(index)) for t in texts), dtype=np.intp)
    return list(index), position


def similarity(a: str, b: str) -> float:
    """Score (0–100) of two raw texts, after normalisation."""
    return combined_score(normalise(a), normalise(b))


@dataclass(frozen=True)
class Match:
    kind: str  # "proposal" or "recommendation"
    obj: object
    score: float
    other_language: bool = False  # a proposal in the other language, compared through Dutch


# A recommendation's texts a proposal is compared with (its context is not); the
# duplicates scan keys on the same ones (``duplicates.TEXT_FIELDS``).
COMPARED_TEXTS = ("title", "objective", "actions")
COMPARED_CHARACTERS = 5000
"""Only a proposal's first characters are compared: the cost of a score grows with the
length of the text, and a proposal of 10^6 characters took 40 s against the demo's
recommendations on every page that compares it (a real proposal is a few hundred words)."""


def proposal_text(proposal) -> str:
    return f"{proposal.title}. {proposal.text}"[:COMPARED_CHARACTERS]


def recommendation_text(recommendation, lang: str) -> str:
    # read by name: any object with the columns will do (the tests give plain ones)
    parts = [getattr(recommendation, f"{base}_{lang}") for base in COMPARED_TEXTS]
    return ". ".join(p for p in parts if p)


def parallel_texts(recommendations: Iterable) -> list[tuple[str, str]]:
    """(Dutch, French) normalised texts that say the same: each recommendation's title and
    objective, and its actions line by line when both languages have as many."""
    pairs = []
    for r in recommendations:
        for base in ("title", "objective"):
            pairs.append((getattr(r, f"{base}_nl") or "", getattr(r, f"{base}_fr") or ""))
        dutch, french = (r.actions_nl or "").splitlines(), (r.actions_fr or "").splitlines()
        if len(dutch) == len(french):
            pairs.extend(zip(dutch, french, strict=True))
    return [(normalise(nl), normalise(fr)) for nl, fr in pairs if nl.strip() and fr.strip()]


def similar_items(
    proposals: Sequence,
    recommendations: Sequence,
    *,
    limit: int = 5,
    minimum: float = 0,
    only: Sequence | None = None,
) -> dict[int, list[Match]]:
    """For each proposal (by id), the closest other proposals and recommendations, best first.

    Proposals are compared with proposals and recommendation texts in their own language,
    and with the proposals in the other language through Dutch (see the module docstring);
    all pairs of one kind are scored in one ``cdist`` call. With ``only``, just those
    proposals are scored (one row each) against all the others.
    """
    queries = list(only) if only is not None else list(proposals)
    result: dict[int, list[Match]] = {p.pk: [] for p in queries}
    recs = list(recommendations)
    texts = {p.pk: normalise(proposal_text(p)) for p in [*proposals, *queries]}
    learned = _aligned(tuple(parallel_texts(recs)))
    in_dutch = {
        p.pk: split_compounds(texts[p.pk])
        if p.language == "nl"
        else french_as_dutch(texts[p.pk], learned)
        for p in [*proposals, *queries]
    }
    # Both ratios are symmetric: the other language's rows are this one's columns.
    crossed: dict[tuple[tuple[int, ...], tuple[int, ...]], np.ndarray] = {}
    for lang in sorted({p.language for p in queries}):
        asked = [p for p in queries if p.language == lang]
        group = [p for p in proposals if p.language == lang]
        abroad = [p for p in proposals if p.language != lang]
        asked_texts = [texts[p.pk] for p in asked]
        if [p.pk for p in asked] == [p.pk for p in group]:
            pairs = cached_score_matrix(asked_texts, asked_texts, minimum=minimum)
        else:
            pairs = cached_score_matrix(asked_texts, [texts[p.pk] for p in group], minimum=minimum)
        rows, columns = tuple(p.pk for p in asked), tuple(p.pk for p in abroad)
        if (columns, rows) in crossed:
            across = crossed[columns, rows].T
        else:
            across = cached_score_matrix(
                [in_dutch[p.pk] for p in asked], [in_dutch[p.pk] for p in abroad], minimum=minimum
            )
            crossed[rows, columns] = across
        rec_scores = cached_score_matrix(
            asked_texts, [normalise(recommendation_text(r, lang)) for r in recs], minimum=minimum
        )
        for row, proposal in enumerate(asked):
            # the proposal itself may be among the best of its group: one more is kept
            matches = [
                Match("proposal", group[j], float(pairs[row, j]))
                for j in _best(pairs[row], minimum, limit + 1)
                if group[j].pk != proposal.pk
            ]
            matches += [
                Match("proposal", abroad[j], float(across[row, j]), other_language=True)
                for j in _best(across[row], minimum, limit)
            ]
            matches += [
                Match("recommendation", recs[j], float(rec_scores[row, j]))
                for j in _best(rec_scores[row], minimum, limit)
            ]
            matches.sort(key=lambda m: -m.score)
            result[proposal.pk] = matches[:limit]
    return result


def _best(scores: np.ndarray, minimum: float, limit: int) -> np.ndarray:
    """Indices of at most ``limit`` scores at or above ``minimum``, the highest ones (in no
    particular order): the rest could not make a row's top ``limit``."""
    found = np.flatnonzero(scores >= minimum)
    if len(found) > limit:
        found = found[np.argpartition(scores[found], -limit)[-limit:]]
    return found
