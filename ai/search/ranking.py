"""Hybrid product ranking: query understanding + BM25 + vector similarity, and facets.

search(query, language=...) in four steps:

1. parse the query (ai.search.query): metals, purities, gemstones, categories, prices
   become filters, colours become boosts; the shopper's own filters (facets) add to them;
   a recognised filter the shopper removed (`ignore`) is dropped. When the recognised
   filters leave nothing, they are relaxed (the answer says so) rather than showing nothing.
2. lexical scores (ai.search.lexical) over the query's words, typo tolerant; a built-in word
   whose category/metal/gemstone the catalog lacks (a query.Hint: "Anhänger" without a
   pendants category) is searched through the key's English words ("pendant");
3. vector scores from ai.search.semantic.search_semantic (multilingual encoder) for the products
   passing the filters;
4. score = LEXICAL_WEIGHT x lexical (scaled to the best, times the share of words matched)
   + VECTOR_WEIGHT x cosine (scaled between the best and BEST_MINUS below it)
   + COLOUR_BOOST when a product has a stone or metal of an asked colour.

Which products count as results: with filters, every published product passing them;
without, those matching at least half the query's words or semantically close to the best
match; when that leaves nothing, the encoder's best matches if they stand clearly apart from
the other candidates (SEPARATION_GAP), so gibberish still finds nothing. Only published
products ever come back.

mode="lexical" (BM25 alone, no understanding, no typo correction) and mode="vector" (the
encoder alone) are the baselines that `manage.py evaluate_search` compares against.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

import numpy as np
from django.conf import settings

from ai.embeddings import EmbeddingBackendError, get_embedder
from ai.index import VectorIndexUnavailable
from catalog.models import Product, PublicationStatus
from shop.money import to_base

from . import crosslingual, lexicon
from .lexical import matched_terms
from .query import Hint, ParsedQuery, Recognised, parse_query
from .semantic import search_semantic
from .snapshot import Snapshot, current_or_stale
from .text import query_terms, tokens

logger = logging.getLogger(__name__)

LEXICAL_WEIGHT = 0.45
VECTOR_WEIGHT = 0.55
COLOUR_BOOST = 0.25
BEST_MINUS = 0.3  # cosine below the best that still scores above zero
SEMANTIC_MARGIN = 0.12  # without filters: results within this cosine of the best match
SEMANTIC_FLOOR = 0.3  # ... and at least this close
MIN_COVERAGE = 0.5  # ... or matching at least this share of the query's words
# Nothing matched and nothing reached the floor: the encoder's best matches still count when
# they stand clearly apart from the other candidates (a word no table knows, "Traumfänger" for
# the dreamcatcher pendant: 0.18 against a median of -0.03), at least SEPARATION_GAP above the
# median candidate. Gibberish ("zzzzqqq", "lorem ipsum") measured at most 0.11 above it, on
# the demo store (400 candidates) and on a 20-product English-only catalog.
SEPARATION_GAP = 0.15
SEPARATION_MIN_CANDIDATES = 8
HINT_WEIGHT = 1.0  # an English word standing for a built-in word the catalog has no key for
VECTOR_CANDIDATES = 400
FILTERED_CANDIDATES = 1000  # with filters: the encoder ranks at most this many of the pool
MAX_RESULTS = 1000
PRICE_EDGES = (0, 100, 250, 500, 1000, 2500, 5000)
MODES = ("hybrid", "lexical", "vector")


@dataclass
class SearchFilters:
    """Filters chosen by the shopper (facets, API parameters); prices in the base currency."""

    metals: list[str] = field(default_factory=list)  # slugs
    gemstones: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    ignore: list[str] = field(default_factory=list)  # recognised keys to drop ("metal:gold")

    @classmethod
    def from_dict(cls, data: dict | None) -> SearchFilters:
        if isinstance(data, cls):
            return data
        data = data or {}
        return cls(
            metals=list(data.get("metals") or data.get("metal") or []),
            gemstones=list(data.get("gemstones") or data.get("gemstone") or []),
            categories=list(data.get("categories") or data.get("category") or []),
            price_min=data.get("price_min"),
            price_max=data.get("price_max"),
            ignore=list(data.get("ignore") or []),
        )


@dataclass
class FacetCount:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class SearchResult:
    query: str
    language: str
    product_ids: list[int]  # this page, best first
    scores: list[float]
    total: int  # results across all pages
    recognised: list[Recognised]  # what the query asked for (applied unless relaxed)
    matched_terms: list[str]  # index terms that matched: for highlighting
    facets: dict[str, list[FacetCount]]
    corrected_query: str = ""  # the query with its typos corrected, when any were
    relaxed: bool = False  # the recognised filters matched nothing and were not applied
    mode: str = "hybrid"

    @property
    def hits(self) -> list[tuple[int, float]]:
        return list(zip(self.product_ids, self.scores, strict=True))

    def as_dict(self) -> dict:
        return {
            "query": self.query,
            "language": self.language,
            "total": self.total,
            "results": [{"id": pk, "score": score} for pk, score in self.hits],
            "recognised": [item.as_dict() for item in self.recognised],
            "corrected_query": self.corrected_query,
            "relaxed": self.relaxed,
        }


def _semantic(query: str, *, language: str | None, limit: int, product_ids=None):
    return search_semantic(query, language=language, limit=limit, product_ids=product_ids)


def _backend() -> tuple[str, bool]:
    """The embedder's name and whether it can be used (a broken model leaves BM25 alone)."""
    try:
        return get_embedder().name, True
    except EmbeddingBackendError as exc:
        logger.warning("Search without vectors: %s", exc)
        return str(getattr(settings, "AI_EMBEDDING_BACKEND", "")), False


def _in_base(
    amount: Decimal | None, currency: str | None, *, rounding: Literal["min", "max"]
) -> float | None:
    """A price limit as a bound on the snapshot's base-currency prices.

    `currency` None: the limit is already in the base currency (the shopper's filters, which
    the API and the search page convert). Otherwise shop.money.to_base's rule applies, as in
    the listing and the catalog API: a product shown at exactly the limit is found.
    """
    if amount is None:
        return None
    if currency:
        return float(to_base(Decimal(amount), currency, rounding=rounding))
    return float(amount)


def _ids_for(snapshot: Snapshot, kind: str, slugs) -> set[int]:
    pool = {
        "metal": snapshot.metal_terms,
        "gemstone": snapshot.gemstone_terms,
        "category": snapshot.categories,
    }[kind]
    wanted = set(slugs)
    return {term.pk for term in pool.values() if term.slug in wanted}


def _mask_any(snapshot: Snapshot, masks: dict, ids) -> np.ndarray:
    out = np.zeros(len(snapshot), dtype=bool)
    for pk in ids:
        mask = masks.get(pk)
        if mask is not None:
            out |= mask
    return out


def _filter_mask(
    snapshot: Snapshot,
    *,
    metals: set[int],
    gemstones: set[int],
    categories: set[int],
    purities: set[str],
    price_min: float | None,
    price_max: float | None,
) -> np.ndarray:
    mask = snapshot.published.copy()
    if metals:
        mask &= _mask_any(snapshot, snapshot.metals, metals)
    if gemstones:
        mask &= _mask_any(snapshot, snapshot.gemstones, gemstones)
    if categories:
        below = snapshot.category_and_below(categories)
        mask &= np.isin(snapshot.category, np.fromiter(below, dtype=np.int64))
    if purities:
        mask &= _mask_any(snapshot, snapshot.purities, purities)
    if price_min is not None:
        mask &= snapshot.price >= price_min - 0.005
    if price_max is not None:
        mask &= snapshot.price <= price_max + 0.005
    return mask


def _colour_mask(snapshot: Snapshot, colours: list[str]) -> np.ndarray:
    boost = np.zeros(len(snapshot), dtype=bool)
    for colour in colours:
        gems, metals = lexicon.COLOUR_MEANING.get(colour, ((), ()))
        gem_ids = {t.pk for t in snapshot.gemstone_terms.values() if t.slug in gems}
        metal_ids = {
            t.pk
            for t in snapshot.metal_terms.values()
            if t.slug in metals or any(key in t.slug.split("-") for key in metals)
        }
        boost |= _mask_any(snapshot, snapshot.gemstones, gem_ids)
        boost |= _mask_any(snapshot, snapshot.metals, metal_ids)
    return boost


def _vector_scores(
    snapshot: Snapshot, text: str, *, language: str | None, mask: np.ndarray, filtered: bool
) -> np.ndarray:
    """Cosine per product position (NaN where the encoder was not asked or found nothing)."""
    scores = np.full(len(snapshot), np.nan, dtype=np.float32)
    if not text.strip():
        return scores
    allowed = int(mask.sum())
    if not allowed:
        return scores
    if filtered and allowed <= 5000:
        ids = snapshot.product_ids[mask].tolist()
        hits = _semantic(
            text, language=language, limit=min(allowed, FILTERED_CANDIDATES), product_ids=ids
        )
    else:
        hits = _semantic(text, language=language, limit=VECTOR_CANDIDATES)
    if hits:
        positions = snapshot.position_of(pk for pk, _score in hits)
        by_id = dict(hits)
        scores[positions] = [by_id[int(pk)] for pk in snapshot.product_ids[positions]]
    return scores


def _facets(snapshot: Snapshot, pool: np.ndarray, language: str, filters) -> dict:
    def options(terms, masks, selected) -> list[FacetCount]:
        out = []
        for term in terms.values():
            mask = masks.get(term.pk)
            count = int((mask & pool).sum()) if mask is not None else 0
            if count or term.slug in selected:
                out.append(FacetCount(term.slug, term.name(language), count, term.slug in selected))
        return sorted(out, key=lambda option: (-option.count, option.label.casefold()))

    categories = []
    pooled = snapshot.category[pool]
    counts: dict[int, int] = {}
    if len(pooled):
        values, numbers = np.unique(pooled, return_counts=True)
        counts = dict(zip(values.tolist(), numbers.tolist(), strict=True))
    for term in snapshot.categories.values():
        below = snapshot.category_and_below([term.pk])
        count = sum(counts.get(pk, 0) for pk in below)
        if count or term.slug in filters.categories:
            categories.append(
                FacetCount(term.slug, term.name(language), count, term.slug in filters.categories)
            )
    categories.sort(key=lambda option: (-option.count, option.label.casefold()))
    prices = []
    edges = (*PRICE_EDGES, None)
    for low, high in zip(edges[:-1], edges[1:], strict=True):
        in_range = pool & (snapshot.price >= low)
        if high is not None:
            in_range &= snapshot.price < high
        count = int(in_range.sum())
        if count:
            value = f"{low}-{high}" if high is not None else f"{low}-"
            prices.append(FacetCount(value, value, count))
    return {
        "category": categories,
        "metal": options(snapshot.metal_terms, snapshot.metals, set(filters.metals)),
        "gemstone": options(snapshot.gemstone_terms, snapshot.gemstones, set(filters.gemstones)),
        "price": prices,
    }


def _still_published(snapshot: Snapshot, page: np.ndarray) -> np.ndarray:
    """While a newer snapshot loads, the page is checked against the database (one query)."""
    ids = [int(pk) for pk in snapshot.product_ids[page]]
    published = set(
        Product.objects.filter(pk__in=ids, status=PublicationStatus.PUBLISHED).values_list(
            "pk", flat=True
        )
    )
    return page[[pk in published for pk in ids]] if ids else page


def _separated(cosine: np.ndarray, known: np.ndarray) -> np.ndarray:
    """The encoder's best matches when they stand clearly apart from the other candidates
    (see SEPARATION_GAP): those nearer the best than the median, within SEMANTIC_MARGIN."""
    none = np.zeros(len(cosine), dtype=bool)
    values = cosine[known]
    if len(values) < SEPARATION_MIN_CANDIDATES:
        return none
    best, median = float(values.max()), float(np.median(values))
    if best - median < SEPARATION_GAP:
        return none
    threshold = max((best + median) / 2, best - SEMANTIC_MARGIN)
    return known & (np.nan_to_num(cosine, nan=-2.0) >= threshold)


def _word_hints(parsed: ParsedQuery, recognised: list[Recognised], snapshot, lexical) -> list:
    """Hints for the words of a query the catalog's text may hold in English only: a colour
    the tables recognised ("rosa" -> "pink", also searched in the titles, not only as a stone
    boost), and words nothing knew, through ai.search.crosslingual ("Herz" -> "heart")."""
    hints = []
    for item in recognised:
        if item.kind == "colour" and not item.corrected:  # a typo guess is no colour word
            english = tuple(tokens(item.key.split(":", 1)[1]))
            terms = tuple(term for term, _fuzz in query_terms(item.phrase))
            hints.append(Hint("colour", item.key, item.phrase, terms, english))
    unknown = [
        word
        for word in parsed.unknown
        if not all(lexical.knows(term) for term, _fuzz in query_terms(word))
    ]
    if unknown:
        try:
            found = crosslingual.english_for(
                unknown, snapshot=snapshot, embedder=get_embedder(), language=parsed.language
            )
        except EmbeddingBackendError as exc:
            logger.warning("No word look-up without the encoder: %s", exc)
            found = {}
        for word, english in found.items():
            terms = tuple(term for term, _fuzz in query_terms(word))
            hints.append(Hint("word", f"word:{word}", word, terms, english))
    return hints


def _text_mask(snapshot: Snapshot, key: str) -> np.ndarray:
    """Products whose default-language text has every word of a metal or gemstone key
    ("silver", "rose gold", "pearl"): a catalog imported from titles alone has no such
    attribute on most products, yet its title says it."""
    memo_key = ("text-mask", key)
    found = snapshot.memo.get(memo_key)
    if found is None:
        found = np.ones(len(snapshot), dtype=bool)
        postings = snapshot.lexical.postings.get(settings.LANGUAGE_CODE, {})
        terms = tokens(key.replace("-", " "))
        for term in terms:
            entry = postings.get(term)
            hit = np.zeros(len(snapshot), dtype=bool)
            if entry is not None:
                hit[entry.docs] = True
            found &= hit
        if not terms:
            found[:] = False
        snapshot.memo[memo_key] = found
    return found


def _with_hints(expanded, hints: list[Hint], lexical) -> list:
    """The lexical query with each hint's English terms added to the query word(s) it came
    from (a typo correction guessed for those words is dropped: they are known words)."""
    if not hints:
        return expanded
    out = [list(item) for item in expanded]
    for hint in hints:
        english = [(term, HINT_WEIGHT) for term in hint.english if lexical.knows(term)]
        slots = [i for i, item in enumerate(out) if item[0] in hint.terms]
        for i in slots:
            if out[i][2]:  # a fuzzy guess, not the word itself
                out[i][1], out[i][2] = [], ""
        if not english:
            continue
        if not slots:
            out.append([hint.terms[0] if hint.terms else hint.phrase, [], ""])
            slots = [len(out) - 1]
        word, expansions, corrected = out[slots[0]]
        have = {term for term, _weight in expansions}
        expansions = expansions + [(term, w) for term, w in english if term not in have]
        out[slots[0]] = [word, expansions, corrected]
    return [tuple(item) for item in out]


def _highlight_terms(expanded, recognised: list[Recognised]) -> list[str]:
    """The index terms that matched, plus the words naming what the query was understood to
    ask (so "saphire" highlights "Sapphire")."""
    terms = matched_terms(expanded)
    for item in recognised:
        if item.kind in ("metal", "gemstone", "category"):
            terms.extend(tokens(item.label))
    return list(dict.fromkeys(terms))


def _corrected(parsed: ParsedQuery, expanded) -> str:
    replacements = dict(parsed.corrected_words)
    if not replacements:
        return ""
    out = []
    for word in parsed.original.split():
        key = word.casefold()
        out.append(replacements.get(key, word))
    corrected = " ".join(out)
    return corrected if corrected.casefold() != parsed.original.casefold() else ""


def search(
    query: str,
    *,
    language: str,
    filters: SearchFilters | dict | None = None,
    limit: int = 50,
    offset: int = 0,
    currency: str | None = None,
    mode: str = "hybrid",
    facets: bool = True,
) -> SearchResult:
    if mode not in MODES:
        raise ValueError(f"Unknown search mode {mode!r}; expected one of {', '.join(MODES)}")
    filters = SearchFilters.from_dict(filters)
    limit, offset = max(0, int(limit)), max(0, int(offset))
    query = " ".join((query or "").split())
    backend, vectors_usable = _backend()
    snapshot, fresh = current_or_stale(backend=backend)
    languages = sorted({language, settings.LANGUAGE_CODE})

    if mode == "hybrid":
        parsed = parse_query(query, language=language, snapshot=snapshot)
    else:
        parsed = ParsedQuery(original=query, text=query, language=language)
    ignore = set(filters.ignore)
    recognised = [item for item in parsed.recognised if item.key not in ignore]
    text = parsed.text if "price" not in ignore else query

    explicit = {
        "metals": _ids_for(snapshot, "metal", filters.metals),
        "gemstones": _ids_for(snapshot, "gemstone", filters.gemstones),
        "categories": _ids_for(snapshot, "category", filters.categories),
    }
    price_min = _in_base(filters.price_min, None, rounding="min")
    price_max = _in_base(filters.price_max, None, rounding="max")
    if any(item.kind == "price" for item in recognised):
        query_currency = parsed.price_currency or currency
        if parsed.price_min is not None and price_min is None:
            price_min = _in_base(parsed.price_min, query_currency, rounding="min")
        if parsed.price_max is not None and price_max is None:
            price_max = _in_base(parsed.price_max, query_currency, rounding="max")

    def ids_of(kind: str) -> set:
        found: set = set()
        for item in recognised:
            if item.kind == kind:
                found |= set(item.ids)
        return found

    understood = {
        "metals": ids_of("metal"),
        "gemstones": ids_of("gemstone"),
        "categories": ids_of("category"),
        "purities": ids_of("purity"),
    }
    colours = [item.key.split(":", 1)[1] for item in recognised if item.kind == "colour"]

    # The shopper's own filters narrow what the query asked for (both apply).
    chosen = _filter_mask(
        snapshot,
        metals=explicit["metals"],
        gemstones=explicit["gemstones"],
        categories=explicit["categories"],
        purities=set(),
        price_min=price_min,
        price_max=price_max,
    )

    def mask_with(use_understood: bool) -> np.ndarray:
        if not use_understood:
            return chosen
        mask = chosen & _filter_mask(
            snapshot,
            metals=set(),
            gemstones=set(),
            categories=understood["categories"],
            purities=understood["purities"],
            price_min=None,
            price_max=None,
        )
        # A metal or gemstone the query names: the product has it, or, when the catalog
        # records no metal (gemstone) for it at all, its text says it. A product with its
        # own stones is judged by them: "emerald-cut diamond" is no emerald.
        for kind, masks, terms in (
            ("metal", snapshot.metals, snapshot.metal_terms),
            ("gemstone", snapshot.gemstones, snapshot.gemstone_terms),
        ):
            items = [item for item in recognised if item.kind == kind]
            if items:
                unrecorded = ~_mask_any(snapshot, masks, terms.keys())
                either = np.zeros(len(snapshot), dtype=bool)
                for item in items:
                    either |= _mask_any(snapshot, masks, item.ids)
                    either |= unrecorded & _text_mask(snapshot, item.key.split(":", 1)[1])
                mask &= either
        return mask

    relaxed = False
    mask = mask_with(True)
    if any(understood.values()) and not mask.any():
        relaxed = True
        mask = mask_with(False)
    attribute_filters = (not relaxed and any(understood.values())) or any(explicit.values())
    filtered = attribute_filters or price_min is not None or price_max is not None

    # Lexical part.
    lexical = snapshot.lexical
    fuzzy = mode == "hybrid"
    expanded = lexical.expand(text, fuzzy=fuzzy)
    if mode == "hybrid":
        hints = parsed.hints + _word_hints(parsed, recognised, snapshot, lexical)
        expanded = _with_hints(expanded, hints, lexical)
    lex, coverage = lexical.score(expanded, languages=languages)
    lex = np.where(mask, lex, 0)
    best_lex = float(lex.max()) if lex.size else 0.0
    lex_score = (lex / best_lex) * (0.5 + 0.5 * coverage) if best_lex > 0 else lex

    # Vector part.
    cosine = np.full(len(snapshot), np.nan, dtype=np.float32)
    if mode != "lexical" and vectors_usable and snapshot.has_vectors:
        try:
            cosine = _vector_scores(
                snapshot, text or query, language=language, mask=mask, filtered=filtered
            )
        except (EmbeddingBackendError, VectorIndexUnavailable) as exc:
            logger.warning("Search without vectors: %s", exc)
        cosine = np.where(mask, cosine, np.nan)
    known = ~np.isnan(cosine)
    best_cos = float(np.nanmax(cosine)) if known.any() else 0.0
    vec_score = np.zeros(len(snapshot), dtype=np.float32)
    if known.any():
        vec_score[known] = np.clip((cosine[known] - (best_cos - BEST_MINUS)) / BEST_MINUS, 0, 1)

    # Which products are results.
    if mode == "lexical":
        pool = mask & (lex > 0)
        score = lex_score
    elif mode == "vector":
        pool = mask & known
        score = np.where(known, cosine, 0)
    else:
        if attribute_filters:
            pool = mask.copy()
        else:
            close = known & (cosine >= max(SEMANTIC_FLOOR, best_cos - SEMANTIC_MARGIN))
            pool = mask & ((lex > 0) & (coverage >= MIN_COVERAGE) | close)
            if not pool.any() and known.any():
                pool = mask & _separated(cosine, known)
        score = LEXICAL_WEIGHT * lex_score + VECTOR_WEIGHT * vec_score
        if colours:
            score = score + COLOUR_BOOST * _colour_mask(snapshot, colours)
    positions = np.flatnonzero(pool)
    order = positions[np.lexsort((snapshot.product_ids[positions], -score[positions]))]
    order = order[:MAX_RESULTS]
    page = order[offset : offset + limit]
    if not fresh:
        page = _still_published(snapshot, page)
    return SearchResult(
        query=query,
        language=language,
        product_ids=[int(pk) for pk in snapshot.product_ids[page]],
        scores=[round(float(value), 4) for value in score[page]],
        total=len(order),
        recognised=recognised,
        matched_terms=_highlight_terms(expanded, recognised),
        facets=_facets(snapshot, pool, language, filters) if facets else {},
        corrected_query=_corrected(parsed, expanded) if mode == "hybrid" else "",
        relaxed=relaxed,
        mode=mode,
    )
