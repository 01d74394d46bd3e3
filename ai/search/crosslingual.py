"""Query words the catalog's text does not contain, looked up in its English words.

An English-only catalog (a real merchant's, imported) says "HEART", "GLASS", "BUTTERFLY" in
its titles; a shopper types "Herz", "verre", "蝴蝶". The built-in tables know categories,
metals, gemstones and colours, not every word a title may hold, and growing them by hand
never ends. Instead each query word that neither the tables nor the lexical index know is
compared, with the multilingual encoder the search already loads, with the distinct words
of the catalog's default-language product names (then of its descriptions and tags), and the
nearest one is searched too when it is clearly near: cosine at least MIN_COSINE and at least
MIN_GAP above the median word (measured on a 326-product English-only catalog: "Herz" ->
heart 0.82 against a median of 0.33, "蝴蝶" -> butterfly 0.90/0.23; a wrong nearest word such
as "صدف" -> tassel 0.74/0.47 stays out). A bilingual dictionary, where one is installed
(ai.search.dictionaries: Chinese, Japanese), is asked first.

Chinese and Japanese queries have no spaces: the part of a query the tables did not match is
cut into words by jieba (Chinese) and janome (Japanese, with its bundled dictionary), both
loaded on first use only, and particles (の, 的...) are dropped, so "蝶のヘアクリップ" asks for
蝶 and ヘアクリップ and "蝴蝶发夹" for 蝴蝶 and 发夹.
"""

from __future__ import annotations

import bisect
import logging
import threading
from collections import Counter

import numpy as np
from django.conf import settings

from . import dictionaries
from .lexical import STOPWORDS
from .text import is_cjk, stem, tokens, words

logger = logging.getLogger(__name__)

MIN_COSINE = 0.7
MIN_GAP = 0.38  # above the median catalog word
NEAR_BEST = 0.03  # "crystal" and "crystals" both count
MAX_WORDS = 5000  # the most frequent catalog words embedded (at most)
MIN_WORD_LENGTH = 3

_lock = threading.Lock()
_segmenters: dict[str, object] = {}
# Japanese parts of speech that carry no search meaning (particles, auxiliaries, symbols).
_JA_SKIP = ("助詞", "助動詞", "記号")
_ZH_SKIP = frozenset("的了和与及或之")


def _jieba():
    with _lock:
        if "zh" not in _segmenters:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            jieba.initialize()
            _segmenters["zh"] = jieba
    return _segmenters["zh"]


def _janome():
    with _lock:
        if "ja" not in _segmenters:
            from janome.tokenizer import Tokenizer

            _segmenters["ja"] = Tokenizer()
    return _segmenters["ja"]


def segment(run: str, *, language: str) -> list[str]:
    """The words of a CJK run: jieba for Chinese, janome for Japanese (kana decides when the
    language is neither), without particles; the run itself if no segmenter is installed."""
    if not run:
        return []
    japanese = language == "ja" or (
        language != "zh-hans" and any(0x3040 <= ord(char) <= 0x30FF for char in run)
    )
    try:
        if japanese:
            return [
                token.surface
                for token in _janome().tokenize(run)
                if not token.part_of_speech.startswith(_JA_SKIP)
            ]
        return [word for word in _jieba().cut(run) if word.strip() and word not in _ZH_SKIP]
    except ImportError:  # the segmenters are in requirements.txt; a bare install still searches
        return [run]


def load_segmenters() -> None:
    """For the warm-up: load both segmenters' dictionaries and the bilingual dictionary now
    rather than in a shopper's request."""
    try:
        _jieba()
        _janome()
    except ImportError as exc:
        logger.warning("No CJK segmenter: %s", exc)
    dictionaries.load()


def _catalog_words(snapshot) -> list[str]:
    """Distinct default-language words, those of the names first, then those of the
    descriptions and tags, each most frequent first; a word that is only the start of a more
    frequent one ("whit" of "white": titles cut short) is left out."""

    def usable(word: str) -> bool:
        return word.isalpha() and len(word) >= MIN_WORD_LENGTH and word not in STOPWORDS

    counts: Counter = Counter()
    for name in snapshot.names.get(settings.LANGUAGE_CODE, ()):
        counts.update({word for word, cjk in words(name) if not cjk and usable(word)})
    ordered = sorted(counts, key=lambda word: (-counts[word], word))
    described = {
        word: count
        for word, count in getattr(snapshot, "text_words", {}).items()
        if word not in counts and usable(word)
    }
    ordered += sorted(described, key=lambda word: (-described[word], word))
    ordered = ordered[:MAX_WORDS]
    counts.update(described)
    keep = set(ordered)
    by_prefix = sorted(keep)
    out = []
    for word in ordered:
        i = bisect.bisect_left(by_prefix, word)
        longer = by_prefix[i + 1] if i + 1 < len(by_prefix) else ""
        if longer.startswith(word) and counts[longer] > counts[word]:
            continue
        out.append(word)
    return out


def catalog_vectors(snapshot, embedder) -> tuple[list[str], np.ndarray]:
    """The catalog words and their vectors, once per snapshot (memoised on it)."""
    key = ("catalog-words", embedder.name)
    found = snapshot.memo.get(key)
    if found is None:
        with _lock:
            found = snapshot.memo.get(key)
            if found is None:
                vocabulary = _catalog_words(snapshot)
                vectors = (
                    embedder.embed(vocabulary, batch_size=64)
                    if vocabulary
                    else np.zeros((0, embedder.dimension), dtype=np.float32)
                )
                found = snapshot.memo[key] = (vocabulary, np.asarray(vectors, dtype=np.float32))
    return found


def _catalog_terms(snapshot) -> frozenset[str]:
    """The index terms of the catalog's default-language text (names, descriptions, tags):
    a product may say "leather" in its description only."""
    key = "catalog-terms"
    found = snapshot.memo.get(key)
    if found is None:
        postings = snapshot.lexical.postings.get(settings.LANGUAGE_CODE, {})
        found = snapshot.memo[key] = frozenset(postings)
    return found


def dictionary_terms(word: str, *, language: str, snapshot) -> tuple[str, ...]:
    """Index terms of the catalog words a bilingual dictionary gives for the word: a gloss
    counts when every word of it is a word of the catalog's English text ("皮革" -> leather;
    "贝壳" -> shell, not "mother of pearl" unless the catalog says "mother")."""
    catalog = _catalog_terms(snapshot)
    out: list[str] = []
    for gloss in dictionaries.glosses(word, language):
        terms = [term for term in tokens(gloss) if term not in STOPWORDS]
        if terms and all(term in catalog for term in terms):
            out.extend(terms)
    return tuple(dict.fromkeys(out))


def english_for(
    words_: list[str], *, snapshot, embedder, language: str = ""
) -> dict[str, tuple[str, ...]]:
    """{query word: index terms of the catalog words it means}: a bilingual dictionary's
    glosses that the catalog's text holds (see dictionary_terms), else the catalog words the
    encoder finds clearly near."""
    words_ = [word for word in dict.fromkeys(words_) if word]
    if not words_:
        return {}
    out: dict[str, tuple[str, ...]] = {}
    if dictionaries.available(language):
        for word in words_:
            terms = dictionary_terms(word, language=language, snapshot=snapshot)
            if terms:
                out[word] = terms
        words_ = [word for word in words_ if word not in out]
        if not words_:
            return out
    vocabulary, vectors = catalog_vectors(snapshot, embedder)
    if not vocabulary:
        return out
    # German nouns are written capitalised and the encoder knows them so ("Leder" -> leather
    # 0.92, "leder" 0.63): the query's words arrive lower-cased (text.normalise).
    typed = [word[:1].upper() + word[1:] if language == "de" else word for word in words_]
    queries = np.asarray(embedder.embed(typed, batch_size=64), dtype=np.float32)
    similarity = queries @ vectors.T
    for word, row in zip(words_, similarity, strict=True):
        best = float(row.max())
        if best < MIN_COSINE or best - float(np.median(row)) < MIN_GAP:
            continue
        near = np.flatnonzero(row >= best - NEAR_BEST)
        terms = tuple(dict.fromkeys(stem(vocabulary[i]) for i in near[np.argsort(-row[near])]))
        out[word] = terms
    return out


def has_cjk(word: str) -> bool:
    return any(is_cjk(char) for char in word)
