"""The store's own answers to a shopper's question: its pages and FAQ entries, by meaning.

help_answer("can I send back a ring that doesn't fit?", language="en") -> [HelpHit, ...]

Two signals, combined: score = cosine + LEXICAL_WEIGHT x words (figures of
bench/assistant_help.py in docs/benchmarks.md: 0.91 top-1, 0.96 top-3 on the demo content,
against 0.87/0.94 by meaning alone and 0.64/0.83 by words alone):

- by meaning: the multilingual encoder (ai.search.semantic.embed_texts) embeds each FAQ entry
  (its question, and its question with its answer) and each page (its title, and its title
  with each passage of a few sentences); a document scores the best cosine of its parts, and
  a page's snippet is its best passage. One vector space for the seven languages, so a
  question in any language finds the store's text in another (an untranslated entry);
- by words: the help centre's keyword matching (content.selectors.search_terms: folded words,
  Chinese and Japanese character pairs, no stop words) scored on the cached texts by rarity
  and place (question or title over text), counted only in texts in the question's language.
  The help centre's own search_help ranks, used instead, measured worse (it answers only
  when most words match, and costs four queries a question).

The documents and their vectors are cached per language. Vectors are keyed on the text they
embed, so a change re-embeds only what changed. The cache is forgotten when content announces
a change (help_content_changed, ai/receivers.py) and, for changes made in another process,
re-read after AI_ASSISTANT_HELP_MAX_AGE seconds (the documents: four queries; the vectors
only for new texts).
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from django.conf import settings

from ai.embeddings import get_embedder
from ai.search.semantic import embed_texts
from content.selectors import HelpDocument, fold, help_documents, search_help, search_terms
from shop.language import content_language
from shop.text_language import detect_language

# A page is embedded as passages of about this many characters (whole sentences), so that a
# question about one paragraph of a long page (express delivery, in the shipping page) finds
# it, and the snippet shows that paragraph.
PASSAGE_CHARS = 280
SNIPPET_CHARS = 300
# The score: SEMANTIC_WEIGHT x the best cosine of the document's parts + LEXICAL_WEIGHT x its
# keyword score (0..1). Measured on the demo content (bench/assistant_help.py).
SEMANTIC_WEIGHT = 1.0
LEXICAL_WEIGHT = 0.2
# Below this score a document is no answer. On the demo content (bench/assistant_help.py) it
# keeps 97% of the right first answers and refuses 87% of unrelated questions (0.30: 98% and
# 53%). Whether a message is out of scope at all is the intent model's call, not this one's.
MIN_SCORE = 0.35
MODES = ("combined", "semantic", "lexical")
# The lexical score: "terms" (the keyword search's terms scored on the cached texts) or
# "search_help" (the help centre's own search, by rank: four queries a question).
LEXICAL = "terms"
# A document also scores through its English text (the store's first language, always
# complete). Measured no better (0.900 top-1 against 0.914 without): off.
ALSO_ENGLISH = False
VECTOR_CACHE_SIZE = 20000


@dataclass(frozen=True)
class HelpHit:
    kind: str  # "page" or "faq"
    id: int
    title: str
    snippet: str
    url: str
    score: float


@dataclass
class _Index:
    """One language's documents, the vectors of their parts and their folded fields."""

    loaded_at: float
    signature: tuple
    documents: list[HelpDocument]
    owners: np.ndarray  # (parts,) the document position of each part
    parts: list[str]  # the text of each part (passages give the page's snippet)
    own: np.ndarray  # (parts,) bool: in the asked language's texts (not the English ones)
    vectors: np.ndarray  # (parts, d)
    by_key: dict[str, int]
    fields: list[list[tuple[str, int]]]  # folded (title, 3), (text, 1) per document


_lock = threading.Lock()
_indexes: dict[str, _Index] = {}
_vectors: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()


def clear_cache() -> None:
    """Forget every language's documents (content changed). Vectors stay, keyed on their text:
    only new or edited texts are embedded again."""
    with _lock:
        _indexes.clear()


def max_age() -> float:
    return float(getattr(settings, "AI_ASSISTANT_HELP_MAX_AGE", 60) or 0)


_SENTENCE_END = re.compile(r"(?<=[.!?。！？؟])\s*")


def passages(text: str, *, size: int | None = None) -> list[str]:
    """`text` cut into runs of whole sentences of about `size` characters (a sentence longer
    than that, such as a table's cells, is cut at a space); PASSAGE_CHARS by default."""
    size = size or PASSAGE_CHARS
    sentences = [s.strip() for s in _SENTENCE_END.split(text or "") if s.strip()]
    pieces: list[str] = []
    for sentence in sentences:
        while len(sentence) > size * 1.5:
            cut = sentence.rfind(" ", 0, size)
            cut = cut if cut > size // 2 else size
            pieces.append(sentence[:cut].strip())
            sentence = sentence[cut:].strip()
        if sentence:
            pieces.append(sentence)
    out: list[str] = []
    current = ""
    for piece in pieces:
        if current and len(current) + len(piece) + 1 > size:
            out.append(current)
            current = piece
        else:
            current = f"{current} {piece}".strip()
    if current:
        out.append(current)
    return out


def _parts(document: HelpDocument) -> list[str]:
    if document.kind == "faq":
        return [document.title, f"{document.title} {document.text}"[: PASSAGE_CHARS * 2]]
    texts = [document.title]
    texts.extend(f"{document.title}: {passage}" for passage in passages(document.text))
    return texts


def _embed(texts: list[str]) -> np.ndarray:
    """Vectors of `texts`, from the cache keyed on (embedder, text) where it has them (the
    documents' parts, and questions: a shopper's question is often asked again)."""
    name = get_embedder().name
    missing = [text for text in dict.fromkeys(texts) if (name, text) not in _vectors]
    if missing:
        fresh = embed_texts(missing)
        with _lock:
            for text, vector in zip(missing, fresh, strict=True):
                _vectors[(name, text)] = vector
            while len(_vectors) > VECTOR_CACHE_SIZE:
                _vectors.popitem(last=False)
    rows = []
    for text in texts:
        vector = _vectors.get((name, text))
        if vector is None:  # evicted by a concurrent call in between: embed it again
            vector = embed_texts([text])[0]
        rows.append(vector)
    return np.asarray(rows, dtype=np.float32)


def _signature(documents: list[HelpDocument]) -> tuple:
    return tuple((d.key, d.language, d.title, d.text, d.url) for d in documents)


def _index(language: str, *, english: bool | None = None) -> _Index:
    """The cached index of `language` (re-read after max_age(); rebuilt when its texts changed).
    `english` (default ALSO_ENGLISH): a document also scores through its English text."""
    english = ALSO_ENGLISH if english is None else english
    cache_key = f"{language}+en" if english else language
    index = _indexes.get(cache_key)
    age = max_age()
    if index is not None and (not age or time.monotonic() - index.loaded_at < age):
        return index
    documents = help_documents(language=language)
    extra: list[HelpDocument] = []
    if english and language != settings.LANGUAGE_CODE:
        extra = [
            d for d in help_documents(language=settings.LANGUAGE_CODE) if d.language != language
        ]
    signature = _signature(documents) + _signature(extra)
    if index is not None and index.signature == signature:
        index.loaded_at = time.monotonic()
        return index
    by_key = {document.key: position for position, document in enumerate(documents)}
    owners: list[int] = []
    parts: list[str] = []
    own: list[bool] = []
    for position, document in enumerate(documents):
        for part in _parts(document):
            owners.append(position)
            parts.append(part)
            own.append(True)
    for document in extra:
        position = by_key.get(document.key)
        if position is None:
            continue
        for part in _parts(document):
            owners.append(position)
            parts.append(part)
            own.append(False)
    vectors = _embed(parts) if parts else np.zeros((0, 1), dtype=np.float32)
    index = _Index(
        loaded_at=time.monotonic(),
        signature=signature,
        documents=documents,
        owners=np.asarray(owners, dtype=np.int64),
        parts=parts,
        own=np.asarray(own, dtype=bool),
        vectors=vectors,
        by_key=by_key,
        fields=[[(fold(d.title), 3), (fold(d.text), 1)] for d in documents],
    )
    with _lock:
        _indexes[cache_key] = index
    return index


def _keyword_ranks(question: str, language: str, index: _Index) -> np.ndarray:
    """1 / (1 + rank) in the help centre's keyword search (content.selectors.search_help),
    FAQ entries and pages each ranked; 0 where it did not find the document."""
    results = search_help(question, language=language)
    scores = np.zeros(len(index.documents), dtype=np.float32)
    for kind, found in (("faq", results.faqs), ("page", results.pages)):
        for rank_in_list, obj in enumerate(found):
            position = index.by_key.get(f"{kind}:{obj.pk}")
            if position is not None:
                scores[position] = 1.0 / (1 + rank_in_list)
    return scores


def _term_scores(question: str, index: _Index) -> np.ndarray:
    """The keyword search's matching (content.selectors.search_terms: folded words, CJK pairs,
    no stop words) scored on the cached texts: each matched term's rarity (idf) times where it
    matched (title 3, text 1), over the best possible; 0..1. No query, nothing folded again."""
    terms = search_terms(question)
    count = len(index.documents)
    scores = np.zeros(count, dtype=np.float32)
    if not terms or not count:
        return scores
    total = 0.0
    for term in terms:
        matched = [
            max((w for text, w in fields if term in text), default=0) for fields in index.fields
        ]
        df = sum(1 for weight in matched if weight)
        if not df:
            continue
        idf = math.log(1 + (count - df + 0.5) / (df + 0.5))
        total += 3 * idf
        scores += idf * np.asarray(matched, dtype=np.float32)
    return scores / total if total else scores


def _trim(text: str, size: int = SNIPPET_CHARS) -> str:
    text = " ".join((text or "").split())
    if len(text) <= size:
        return text
    cut = text.rfind(" ", 0, size)
    return text[: cut if cut > size // 2 else size].rstrip(" ,;:") + "…"


def _snippet(index: _Index, position: int, best_part: int | None) -> str:
    document = index.documents[position]
    if document.kind == "faq" or best_part is None:
        return _trim(document.text)
    part = index.parts[best_part]
    prefix = f"{document.title}: "
    if part.startswith(prefix):
        part = part[len(prefix) :]
    elif part == document.title:  # the title matched best: the page's opening passage
        first = passages(document.text)
        part = first[0] if first else document.text
    return _trim(part)


def rank(
    question: str,
    *,
    language: str,
    mode: str = "combined",
    lexical_weight: float | None = None,
    lexical: str | None = None,
    english: bool | None = None,
) -> list[tuple[int, float, int]]:
    """(document position, score, best part of the asked language) best first, for
    help_answer and the benchmark (which tries other settings than the module's)."""
    if mode not in MODES:
        raise ValueError(f"Unknown mode {mode!r}; expected one of {', '.join(MODES)}")
    language = content_language(language)
    lexical = lexical or LEXICAL
    question = " ".join(str(question or "").split())[:500]
    if not question:
        return []
    index = _index(language, english=english)
    count = len(index.documents)
    if not count:
        return []
    semantic = np.zeros(count, dtype=np.float32)
    best_part = np.full(count, -1, dtype=np.int64)
    if mode != "lexical":
        cosine = index.vectors @ _embed([question])[0]
        semantic.fill(-1.0)
        np.maximum.at(semantic, index.owners, cosine)
        best_own = np.full(count, -2.0, dtype=np.float32)
        for part in np.flatnonzero(index.own):
            owner = index.owners[part]
            if cosine[part] > best_own[owner]:
                best_own[owner] = cosine[part]
                best_part[owner] = part
    words = np.zeros(count, dtype=np.float32)
    if mode != "semantic":
        if lexical == "search_help":
            words = _keyword_ranks(question, language, index)
        else:
            words = _term_scores(question, index)
        # Words count only in a text in the question's language: a German question's words
        # found in an English text are chance ("die", "Ring" as in "earring").
        asked = detect_language(question)
        if asked:
            words = words * np.asarray([d.language == asked for d in index.documents])
    if mode == "lexical":
        score = words
        found = np.flatnonzero(words > 0)
    elif mode == "semantic":
        score = semantic
        found = np.arange(count)
    else:
        weight = LEXICAL_WEIGHT if lexical_weight is None else lexical_weight
        score = SEMANTIC_WEIGHT * semantic + weight * words
        found = np.arange(count)
    order = sorted(found.tolist(), key=lambda position: (-score[position], position))
    return [(p, float(score[p]), int(best_part[p])) for p in order]


def help_answer(question: str, *, language: str, limit: int = 3) -> list[HelpHit]:
    """The published pages and FAQ entries that answer `question`, best first (at most
    `limit`; none when nothing is close enough), with a plain-text snippet and the URL in
    `language`."""
    limit = max(0, int(limit))
    if not limit:
        return []
    language = content_language(language)
    index = _index(language)
    hits = []
    for position, score, part in rank(question, language=language):
        if score < MIN_SCORE or len(hits) >= limit:
            break
        document = index.documents[position]
        hits.append(
            HelpHit(
                kind=document.kind,
                id=int(document.key.split(":", 1)[1]),
                title=document.title,
                snippet=_snippet(index, position, part if part >= 0 else None),
                url=document.url,
                score=round(score, 4),
            )
        )
    return hits
