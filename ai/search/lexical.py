"""BM25 over the products' translated text, per language, typo tolerant, in process.

One document per (product, language): the product's name (weighted x3), its category,
metals, purities and gemstones in that language (x2), the start of its description and
its tags. A product without its own text in a language still gets that language's
attribute names, so a query in Japanese finds an English-only sapphire ring by "サファイア".

Scoring a query in language L looks at L and the default language and keeps, per product,
the better of the two. Query words unknown to the index are corrected to known words
within one or two typos (ai.search.text.FuzzyVocabulary), and the last word may be a
prefix (autocomplete).
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from .text import FuzzyVocabulary, query_terms, tokens

K1 = 1.2
B = 0.6
FUZZY_WEIGHT = {1: 0.8, 2: 0.6}
PREFIX_WEIGHT = 0.7
MAX_PREFIX_TERMS = 12

# Words too common to find anything by (they stay in the text the encoder sees).
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "the",
        "for",
        "with",
        "of",
        "in",
        "on",
        "to",
        "or",
        "by",
        "et",
        "le",
        "la",
        "les",
        "un",
        "une",
        "des",
        "du",
        "de",
        "en",
        "au",
        "aux",
        "pour",
        "avec",
        "sur",
        "ou",
        "und",
        "der",
        "die",
        "das",
        "ein",
        "eine",
        "mit",
        "fur",
        "von",
        "zu",
        "im",
        "in",
        "oder",
        "y",
        "el",
        "los",
        "las",
        "un",
        "una",
        "unos",
        "unas",
        "con",
        "para",
        "por",
        "o",
        "del",
        "al",
        "و",
        "في",
        "من",
        "مع",
        "او",
        "على",
        "ل",
    ]
)


@dataclass
class _Postings:
    docs: np.ndarray  # int32 positions
    weights: np.ndarray  # float32 field-weighted term frequency


@dataclass
class LexicalIndex:
    size: int
    postings: dict[str, dict[str, _Postings]] = field(default_factory=dict)  # lang -> term
    lengths: dict[str, np.ndarray] = field(default_factory=dict)  # lang -> (size,) float32
    average: dict[str, float] = field(default_factory=dict)
    documents: dict[str, int] = field(default_factory=dict)
    vocabulary: list[str] = field(default_factory=list)  # sorted, every language
    _fuzzy: FuzzyVocabulary | None = None

    # --- building ---------------------------------------------------------------------------
    @classmethod
    def build(cls, size: int, documents: Iterable[tuple[str, int, list[tuple[str, float]]]]):
        """documents: (language, position, [(text, weight[, repeats]), ...]) per document;
        texts flagged as repeating (attribute names) are tokenised once."""
        index = cls(size=size)
        raw: dict[str, dict[str, dict[int, float]]] = defaultdict(lambda: defaultdict(dict))
        lengths: dict[str, np.ndarray] = {}
        # Attribute texts ("Rings Yellow gold Diamond 18K") repeat across products.
        repeated: dict[str, list[str]] = {}
        for language, position, fields in documents:
            per_term = raw[language]
            total = 0.0
            for text, weight, *cacheable in fields:
                if cacheable and cacheable[0]:
                    terms = repeated.get(text)
                    if terms is None:
                        terms = repeated[text] = tokens(text)
                else:
                    terms = tokens(text)
                for term in terms:
                    docs = per_term[term]
                    docs[position] = docs.get(position, 0.0) + weight
                    total += weight
            if language not in lengths:
                lengths[language] = np.zeros(size, dtype=np.float32)
            lengths[language][position] += total
        terms: set[str] = set()
        for language, per_term in raw.items():
            index.postings[language] = {
                term: _Postings(
                    docs=np.fromiter(docs.keys(), dtype=np.int32, count=len(docs)),
                    weights=np.fromiter(docs.values(), dtype=np.float32, count=len(docs)),
                )
                for term, docs in per_term.items()
            }
            terms.update(per_term)
            filled = lengths[language] > 0
            index.documents[language] = int(filled.sum())
            index.average[language] = float(lengths[language][filled].mean()) if filled.any() else 1
        index.lengths = lengths
        index.vocabulary = sorted(terms)
        return index

    @property
    def fuzzy(self) -> FuzzyVocabulary:
        if self._fuzzy is None:
            self._fuzzy = FuzzyVocabulary(self.vocabulary)
        return self._fuzzy

    def knows(self, term: str) -> bool:
        position = bisect.bisect_left(self.vocabulary, term)
        return position < len(self.vocabulary) and self.vocabulary[position] == term

    def with_prefix(self, prefix: str, limit: int = MAX_PREFIX_TERMS) -> list[str]:
        start = bisect.bisect_left(self.vocabulary, prefix)
        found = []
        for term in self.vocabulary[start:]:
            if not term.startswith(prefix) or len(found) >= limit:
                break
            found.append(term)
        return found

    # --- querying ---------------------------------------------------------------------------
    def expand(self, text: str, *, fuzzy: bool = True, prefix_last: bool = False):
        """The query's words with the index terms each stands for.

        Returns [(word, [(term, weight), ...], corrected_to)] for every word worth
        searching: stopwords are dropped, an unknown word is corrected when it can be.
        """
        words = query_terms(text)
        out = []
        for position, (word, may_fuzz) in enumerate(words):
            if word in STOPWORDS:
                continue
            last = prefix_last and position == len(words) - 1
            expansions: list[tuple[str, float]] = []
            corrected = ""
            if self.knows(word):
                expansions.append((word, 1.0))
            if last and len(word) >= 2:
                expansions += [
                    (term, PREFIX_WEIGHT) for term in self.with_prefix(word) if term != word
                ]
            if not expansions and fuzzy and may_fuzz:
                near = self.fuzzy.near(word)[:3]
                expansions = [(term, FUZZY_WEIGHT[distance]) for term, distance in near]
                if near:
                    corrected = near[0][0]
            out.append((word, expansions, corrected))
        return out

    def score(self, expanded, *, languages: Iterable[str] | None) -> tuple[np.ndarray, np.ndarray]:
        """(BM25 scores, share of the query's words matched) per product position."""
        languages = list(self.postings) if languages is None else list(languages)
        best = np.zeros(self.size, dtype=np.float32)
        coverage = np.zeros(self.size, dtype=np.float32)
        words = [item for item in expanded if item[1]]
        if not words:
            return best, coverage
        for language in languages:
            postings = self.postings.get(language)
            if not postings:
                continue
            lengths = self.lengths[language]
            average = self.average[language] or 1.0
            count = self.documents[language]
            scores = np.zeros(self.size, dtype=np.float32)
            matched = np.zeros(self.size, dtype=np.float32)
            for _word, expansions, _corrected in words:
                hit = np.zeros(self.size, dtype=bool)
                for term, weight in expansions:
                    entry = postings.get(term)
                    if entry is None:
                        continue
                    df = len(entry.docs)
                    idf = math.log(1 + (count - df + 0.5) / (df + 0.5))
                    tf = entry.weights
                    norm = K1 * (1 - B + B * lengths[entry.docs] / average)
                    scores[entry.docs] += weight * idf * tf * (K1 + 1) / (tf + norm)
                    hit[entry.docs] = True
                matched += hit
            np.maximum(best, scores, out=best)
            np.maximum(coverage, matched / len(words), out=coverage)
        return best, coverage


def matched_terms(expanded) -> list[str]:
    """The index terms a query matched (for highlighting)."""
    terms = []
    for _word, expansions, _corrected in expanded:
        terms.extend(term for term, _weight in expansions)
    return list(dict.fromkeys(terms))
