"""Text normalisation and tokens shared by the lexical index, the query parser and autocomplete.

One pipeline for every language, applied the same way to product text and to queries:

- NFKC (full-width digits and letters become ASCII), case folded; accents dropped on Latin
  letters only (a Japanese voiced mark is not an accent); Arabic short vowels and tatweel
  dropped, alef forms, alef maqsura and teh marbuta unified, the article "ال" taken off;
  Arabic-Indic digits become ASCII digits.
- Latin words get a light, language-independent suffix strip (rings/ring, bagues/bague,
  anillos/anillo, Ketten/Kette, Diamanten/diamant) so plural and singular meet.
- Chinese and Japanese runs have no spaces: they are indexed as overlapping character
  bigrams (a one-character run stays a unigram), the usual CJK approach without a dictionary.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")
_ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
_ARABIC_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")

# A "word" is a run of letters and digits (plus the apostrophes inside words).
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def is_cjk(char: str) -> bool:
    code = ord(char)
    return (
        0x3040 <= code <= 0x30FF  # hiragana, katakana
        or 0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0x31F0 <= code <= 0x31FF
        or code == 0x30FC  # prolonged sound mark
    )


def is_arabic(char: str) -> bool:
    return 0x0600 <= ord(char) <= 0x06FF


def _strip_latin_accents(text: str) -> str:
    out = []
    for char in text:
        if ord(char) < 0x250:
            decomposed = unicodedata.normalize("NFKD", char)
            out.append("".join(c for c in decomposed if not unicodedata.combining(c)))
        else:
            out.append(char)
    return "".join(out).replace("ß", "ss")


def normalise(text: str) -> str:
    """The comparable form of a text: see the module docstring."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    text = text.translate(_ARABIC_DIGITS)
    text = _ARABIC_MARKS.sub("", text).translate(_ARABIC_LETTERS)
    return _strip_latin_accents(text)


def stem(word: str) -> str:
    """A light suffix strip for Latin words and the article for Arabic ones."""
    if not word:
        return word
    if is_arabic(word[0]):
        for prefix in _ARABIC_PREFIXES:
            if word.startswith(prefix) and len(word) - len(prefix) >= 2:
                return word[len(prefix) :]
        return word
    if len(word) <= 3 or not word.isalpha() or not word.isascii():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("es") and len(word) > 4 and word[-3] in "rlnzdxh":
        word = word[:-2]
    elif word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    if word.endswith("en") and len(word) > 5:
        word = word[:-2]
    elif word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def _split_runs(word: str) -> Iterator[tuple[str, bool]]:
    """Splits a word into CJK and non-CJK runs: ("18k", False), ("黄金", True)."""
    start = 0
    for i in range(1, len(word) + 1):
        if i == len(word) or is_cjk(word[i]) != is_cjk(word[start]):
            yield word[start:i], is_cjk(word[start])
            start = i


def words(text: str) -> list[tuple[str, bool]]:
    """Normalised words of a text as (word, is_cjk), CJK runs kept whole."""
    out = []
    for match in _WORD.finditer(normalise(text)):
        out.extend(_split_runs(match.group()))
    return out


def cjk_grams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def tokens(text: str) -> list[str]:
    """Index terms of a text: stemmed words, CJK bigrams."""
    out = []
    for word, cjk in words(text):
        if cjk:
            out.extend(cjk_grams(word))
        else:
            out.append(stem(word))
    return out


def query_terms(text: str) -> list[tuple[str, bool]]:
    """A query's terms as (term, may_fuzz): Latin/Arabic words may be corrected, CJK grams not."""
    out = []
    for word, cjk in words(text):
        if cjk:
            out.extend((gram, False) for gram in cjk_grams(word))
        else:
            out.append((stem(word), True))
    return out


# --- edit distance for typo tolerance ----------------------------------------------------------
def damerau_levenshtein(a: str, b: str, limit: int = 2) -> int:
    """Optimal string alignment distance (a swap of two neighbours counts once), capped."""
    if a == b:
        return 0
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        best = current[0]
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
            best = min(best, value)
        if best > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def max_typos(term: str) -> int:
    """How many typos a query word of this length may carry and still be corrected."""
    if len(term) < 4:
        return 0
    return 1 if len(term) < 8 else 2


def deletes(term: str) -> set[str]:
    """The term with one character removed, every way (a SymSpell-style neighbourhood)."""
    return {term[:i] + term[i + 1 :] for i in range(len(term))}


class FuzzyVocabulary:
    """Finds the known terms within a few typos of a word, fast, in pure Python.

    Every term is filed under itself and its one-character deletions; a word looks up
    itself and its own deletions, which finds every term within one insertion, deletion,
    substitution or swap (and some at two); candidates are then checked with
    damerau_levenshtein.
    """

    def __init__(self, terms):
        self._neighbours: dict[str, list[str]] = {}
        for term in terms:
            if len(term) < 3 or term.isdigit():
                continue
            self._neighbours.setdefault(term, []).append(term)
            for variant in deletes(term):
                self._neighbours.setdefault(variant, []).append(term)

    def near(self, word: str) -> list[tuple[str, int]]:
        """[(term, distance)] within max_typos(word), nearest first; [] for short words."""
        limit = max_typos(word)
        if not limit:
            return []
        found: dict[str, int] = {}
        for key in {word, *deletes(word)}:
            for term in self._neighbours.get(key, ()):
                if term not in found:
                    distance = damerau_levenshtein(word, term, limit)
                    if distance <= limit:
                        found[term] = distance
        return sorted(found.items(), key=lambda item: (item[1], item[0]))
