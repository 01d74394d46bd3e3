"""The store's own answers to a shopper's question: its pages and FAQ entries, by meaning.

help_answer("can I send back a ring that doesn't fit?", language="en") -> [HelpHit, ...]

Two signals, combined (weights measured in bench/assistant_help.py, figures in
docs/benchmarks.md):

- by meaning: the multilingual encoder (ai.search.semantic.embed_texts) embeds each FAQ entry
  (its question, and its question with its answer) and each page (its title with its summary,
  and its title with each passage of a few sentences); a document scores the best cosine of
  its parts. One vector space for the seven languages, so a question in any language finds
  the store's text in another;
- by words: the help centre's own keyword search (content.selectors.search_help), as a bonus
  by rank (its first result most).

The documents and their vectors are cached per language. Vectors are keyed on the text they
embed, so a change re-embeds only what changed. The cache is forgotten when content announces
a change (help_content_changed, ai/receivers.py) and, for changes made in another process,
re-read after AI_ASSISTANT_HELP_MAX_AGE seconds (the documents: four queries; the vectors
only for new texts).
"""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from django.conf import settings

from ai.embeddings import get_embedder
from ai.search.semantic import embed_texts
from content.selectors import HelpDocument, help_documents, search_help

# A page is embedded as passages of about this many characters (whole sentences), so that a
# question about one paragraph of a long page (express delivery, in the shipping page) finds
# it, and the snippet shows that paragraph.
PASSAGE_CHARS = 280
SNIPPET_CHARS = 300
# The score: SEMANTIC_WEIGHT x the best cosine + LEXICAL_WEIGHT / (1 + rank) of the keyword
# search. Measured on the demo content (bench/assistant_help.py).
SEMANTIC_WEIGHT = 1.0
LEXICAL_WEIGHT = 0.15
# Below this score a document is no answer (a question about something the store does not
# write about): cosine of unrelated questions on the demo content stays under it.
MIN_SCORE = 0.35
MODES = ("combined", "semantic", "lexical")
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
    """One language's documents and the vectors of their parts."""

    loaded_at: float
    signature: tuple
    documents: list[HelpDocument]
    owners: np.ndarray  # (parts,) the document index of each part
    parts: list[str]  # the text of each part (passages give the page's snippet)
    vectors: np.ndarray  # (parts, d)
    by_key: dict[str, int]


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


def passages(text: str, *, size: int = PASSAGE_CHARS) -> list[str]:
    """`text` cut into runs of whole sentences of about `size` characters (a sentence longer
    than that, such as a table's cells, is cut at a space)."""
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
    """Vectors of `texts`, from the cache keyed on (embedder, text) where it has them."""
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


def _index(language: str) -> _Index:
    index = _indexes.get(language)
    age = max_age()
    if index is not None and (not age or time.monotonic() - index.loaded_at < age):
        return index
    documents = help_documents(language=language)
    signature = _signature(documents)
    if index is not None and index.signature == signature:
        index.loaded_at = time.monotonic()
        return index
    owners: list[int] = []
    parts: list[str] = []
    for position, document in enumerate(documents):
        for part in _parts(document):
            owners.append(position)
            parts.append(part)
    vectors = _embed(parts) if parts else np.zeros((0, 1), dtype=np.float32)
    index = _Index(
        loaded_at=time.monotonic(),
        signature=signature,
        documents=documents,
        owners=np.asarray(owners, dtype=np.int64),
        parts=parts,
        vectors=vectors,
        by_key={document.key: position for position, document in enumerate(documents)},
    )
    with _lock:
        _indexes[language] = index
    return index


def _lexical_ranks(question: str, language: str, index: _Index) -> dict[int, int]:
    """Document position -> rank in the keyword search (0 best), pages and FAQ interleaved."""
    results = search_help(question, language=language)
    ranks: dict[int, int] = {}
    for rank_list in (results.faqs, results.pages):
        kind = "faq" if rank_list is results.faqs else "page"
        for rank, obj in enumerate(rank_list):
            position = index.by_key.get(f"{kind}:{obj.pk}")
            if position is not None:
                ranks[position] = rank
    return ranks


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


def rank(question: str, *, language: str, mode: str = "combined") -> list[tuple[int, float, int]]:
    """(document position, score, best part) best first, for help_answer and the benchmark."""
    if mode not in MODES:
        raise ValueError(f"Unknown mode {mode!r}; expected one of {', '.join(MODES)}")
    question = " ".join(str(question or "").split())[:500]
    if not question:
        return []
    index = _index(language)
    if not index.documents:
        return []
    count = len(index.documents)
    semantic = np.zeros(count, dtype=np.float32)
    best_part = np.full(count, -1, dtype=np.int64)
    if mode != "lexical":
        query = embed_texts([question])[0]
        cosine = index.vectors @ query
        semantic.fill(-1.0)
        for part, (owner, score) in enumerate(zip(index.owners, cosine, strict=True)):
            if score > semantic[owner]:
                semantic[owner] = score
                best_part[owner] = part
    lexical = np.zeros(count, dtype=np.float32)
    if mode != "semantic":
        for position, lexical_rank in _lexical_ranks(question, language, index).items():
            lexical[position] = 1.0 / (1 + lexical_rank)
    if mode == "lexical":
        score = lexical
        found = np.flatnonzero(lexical > 0)
    elif mode == "semantic":
        score = semantic
        found = np.arange(count)
    else:
        score = SEMANTIC_WEIGHT * semantic + LEXICAL_WEIGHT * lexical
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
