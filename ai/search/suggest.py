"""Autocomplete for the search box and highlighting of matched words."""

from __future__ import annotations

import re

import numpy as np
from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ai.embeddings import get_embedder

from .snapshot import current
from .text import cjk_grams, is_cjk, normalise, stem, words

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
MAX_PREFIX = 100


def autocomplete(prefix: str, *, language: str, limit: int = 8, backend: str) -> list[dict]:
    """Suggestions for what the shopper has typed so far: categories, metals and stones by
    name, then published products whose text matches (the last word may be unfinished).

    Each suggestion: {"text", "kind": category|metal|gemstone|product, "value"} where value
    is the slug, or the product's handle.
    """
    prefix = " ".join((prefix or "").split())[:MAX_PREFIX]
    limit = max(0, min(int(limit), 20))
    typed = normalise(prefix)
    if not typed.strip() or not limit:
        return []
    snapshot = current(backend=backend)
    suggestions: list[dict] = []
    seen: set[str] = set()

    def add(text: str, kind: str, value: str) -> None:
        key = text.casefold()
        if key not in seen and len(suggestions) < limit:
            seen.add(key)
            suggestions.append({"text": text, "kind": kind, "value": value})

    for kind, terms in (
        ("category", snapshot.categories),
        ("metal", snapshot.metal_terms),
        ("gemstone", snapshot.gemstone_terms),
    ):
        for term in terms.values():
            name = term.name(language)
            normal = normalise(name)
            starts = normal.startswith(typed) or any(
                part.startswith(typed) for part in normal.split()
            )
            if starts and len(suggestions) < max(3, limit // 2):
                add(name, kind, term.slug)

    lexical = snapshot.lexical
    expanded = lexical.expand(prefix, fuzzy=True, prefix_last=True)
    languages = sorted({language, settings.LANGUAGE_CODE})
    scores, coverage = lexical.score(expanded, languages=languages)
    scores = np.where(snapshot.published & (coverage >= 1.0), scores, 0)
    if scores.any():
        best = np.argsort(-scores, kind="stable")[: limit * 2]
        for position in best:
            if scores[position] <= 0:
                break
            add(
                snapshot.product_name(int(position), language),
                "product",
                snapshot.handles[position],
            )
    return suggestions


def highlight(text: str, terms) -> SafeString:
    """`text` escaped, with the words whose index term is in `terms` inside <mark>."""
    text = text or ""
    terms = set(terms or ())
    if not terms:
        return mark_safe(escape(text))  # noqa: S308 - escaped just here
    spans: list[tuple[int, int]] = []
    for match in _WORD.finditer(text):
        word = match.group()
        start = match.start()
        # Split into CJK and other runs, as the index does.
        i = 0
        while i < len(word):
            j = i + 1
            while j < len(word) and is_cjk(word[j]) == is_cjk(word[i]):
                j += 1
            run = word[i:j]
            if is_cjk(run[0]):
                for offset, gram in enumerate(cjk_grams(normalise(run))):
                    if gram in terms:
                        spans.append((start + i + offset, start + i + offset + len(gram)))
            else:
                parts = words(run)
                if parts and any(stem(part) in terms for part, _cjk in parts):
                    spans.append((start + i, start + j))
            i = j
    if not spans:
        return mark_safe(escape(text))  # noqa: S308 - escaped just here
    spans.sort()
    merged = [list(spans[0])]
    for low, high in spans[1:]:
        if low <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], high)
        else:
            merged.append([low, high])
    out, last = [], 0
    for low, high in merged:
        out.append(escape(text[last:low]))
        out.append(f"<mark>{escape(text[low:high])}</mark>")
        last = high
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece escaped above


def search_autocomplete(prefix: str, *, language: str, limit: int = 8) -> list[dict]:
    """Suggestions while typing: [{"text", "kind", "value"}] (categories, metals, stones,
    then published products; value is a slug or a product handle), for the search's embedder."""
    return autocomplete(prefix, language=language, limit=limit, backend=get_embedder().name)
