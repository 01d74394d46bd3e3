"""Serving: read a precomputed list (one indexed query), load the products' cards, explain.

Every function costs a constant number of queries whatever the list length:

- always: what the shopper bought (one query, so a purchase since the last training is
  excluded at once);
- a signed-in shopper with a list: the list (one indexed read), the cards (cached ones checked
  in one indexed read, the others one query plus two prefetches: see below);
- a shopper without a list (a guest, or someone new since the last training) with a history:
  their latest events, the number of the last training, the precomputed neighbours of those
  products (one query, skipped when the same events were served since that training), the
  cards;
- anyone else: the popular list of their country, else language, else overall (one query).

Exclusions: products the shopper bought, out of stock or unpublished (checked on the cards,
so a product sold out since training disappears at once), the product being shown, and the
bag's contents for cart suggestions.

The cards are cached in each process per product and language for
AI_RECOMMEND_CARD_CACHE_SECONDS, under the catalog's current generation (the catalog version,
bumped by every catalog write through model signals and the write services; it lives in
Django's cache, so set CACHE_URL to Redis to share it between processes). Whatever the cache
saw, every call checks the cached cards against their products' rows (published, in stock,
prices, last saved: one indexed read), so a product unpublished, sold out, repriced or edited
in another process, or in a transaction not yet committed when its card was loaded, is never
served stale. A warm call costs: what the shopper bought, their list, that check. Not being a
published product is cached too, so withdrawn products on old lists cost no more than the
check. What neither sees (a picture's row, a translation saved without its product) shows
after a catalog write or within AI_RECOMMEND_CARD_CACHE_SECONDS.
"""

from __future__ import annotations

import copy
import hashlib
import heapq
import logging
import threading
import time
import uuid
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.utils.translation import gettext as _

from catalog.selectors import catalog_version, product_states, published_products, with_card_data
from events.selectors import purchased_product_ids, recent_interactions

from ..models import (
    Capability,
    ModelVersion,
    ProductEmbedding,
    RecommendationKind,
    RecommendationList,
)

logger = logging.getLogger(__name__)

RECENT_EVENTS = 50
# How much each of the shopper's recent events counts when combining neighbour lists.
RECENT_WEIGHTS = {"purchase": 3.0, "cart_add": 2.5, "wishlist_add": 2.0, "view": 1.0, "rating": 1.5}

SOURCE_PERSONAL = "personal"
SOURCE_HISTORY = "history"
SOURCE_POPULAR = "popular"
SOURCE_SIMILAR = "similar"
SOURCE_TOGETHER = "together"
SOURCE_CONTENT = "content"
SOURCE_CATEGORY = "category"
# Variety: at most this many products of one category among the first VARIETY_WINDOW.
VARIETY_PER_CATEGORY = 3
VARIETY_WINDOW = 12


@dataclass
class Suggestion:
    product: object  # catalog.Product with card data
    score: float
    reason: str = ""
    because: object | None = None  # the product that explains it, when there is one


@dataclass
class Recommendations:
    items: list[Suggestion]
    source: str

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)


def _limit() -> int:
    return int(getattr(settings, "AI_RECOMMEND_LIST_SIZE", 24))


def _reason(kind: str | None, name: str) -> str:
    if kind == "purchase":
        return _("Because you bought %(name)s") % {"name": name}
    if kind == "cart_add":
        return _("Because you added %(name)s to your bag") % {"name": name}
    if kind == "wishlist_add":
        return _("Because you love %(name)s") % {"name": name}
    if kind == "rating":
        return _("Because you reviewed %(name)s") % {"name": name}
    return _("Because you viewed %(name)s") % {"name": name}


def _card_cache_seconds() -> int:
    return int(getattr(settings, "AI_RECOMMEND_CARD_CACHE_SECONDS", 300) or 0)


# At most this many cards (products x languages) are kept per process, the least recently used
# dropped first.
MAX_CACHED_CARDS = 5_000


class _Cards:
    """This process's cards of one catalog generation: {(language, id): (expires, product or
    None for an id that is not a published product)}, least recently used first, dropped whole
    when the generation changes."""

    lock = threading.Lock()
    generation: tuple | None = None
    entries: OrderedDict = OrderedDict()


def _generation() -> tuple:
    """The catalog version, and a token stored with it in Django's cache: a write bumps the
    version, and a cache cleared or restarted (the version starting again at 1) loses the
    token, so cards of an older catalog are never taken for current ones."""

    version = catalog_version()
    key = f"ai:cards:generation:{version}"
    token = cache.get(key)
    if token is None:
        cache.add(key, uuid.uuid4().hex, 24 * 3600)  # a lost token only costs a reload
        token = cache.get(key)
    return (version, token)


def _query_cards(ids: set[int], *, language: str) -> dict:
    """Published products by id with what a card (and the API) shows: one query + prefetches."""

    products = with_card_data(
        published_products().filter(pk__in=ids).select_related("category"), language=language
    )
    found = {}
    for product in products:
        product.set_current_language(language)
        product.display_name = product.safe_translation_getter("name", default=product.handle)
        found[product.pk] = product
    return found


def _state(card) -> tuple:
    return (card.in_stock, card.price_min, card.price_max, card.updated_at)


def load_cards(product_ids: Iterable[int], *, language: str) -> dict:
    """Published products by id with what a card (and the API) shows: this process's cards of
    the current catalog generation that still match the products' rows (one indexed read),
    and for the others one query plus prefetches."""
    ids = {int(pk) for pk in product_ids if pk}
    if not ids:
        return {}
    seconds = _card_cache_seconds()
    if seconds <= 0:
        return _query_cards(ids, language=language)
    # Read before the products: a card is never older than the generation it is kept under.
    generation = _generation()
    now = time.monotonic()
    found, missing = {}, set()
    with _Cards.lock:
        if _Cards.generation != generation:
            _Cards.generation, _Cards.entries = generation, OrderedDict()
        entries = _Cards.entries
        for pk in ids:
            entry = entries.get((language, pk))
            if entry is None or entry[0] <= now:
                missing.add(pk)
                continue
            entries.move_to_end((language, pk))
            found[pk] = entry[1]
    if found:
        # What must never be stale is checked on every call, whatever the cache saw: published,
        # in stock, prices, last saved (one indexed read; a write in another process, or one
        # not yet committed when the card was loaded, still shows at once).

        states = product_states(found)
        for pk, card in list(found.items()):
            state = states.get(pk)
            if state is None:  # not a published product (any more): not shown
                del found[pk]
            elif card is None or _state(card) != state:  # published again, or changed
                del found[pk]
                missing.add(pk)
    if missing:
        loaded = _query_cards(missing, language=language)
        expires = now + seconds
        with _Cards.lock:
            if _Cards.generation == generation:
                for pk in missing:
                    _Cards.entries[(language, pk)] = (expires, loaded.get(pk))
                while len(_Cards.entries) > MAX_CACHED_CARDS:
                    _Cards.entries.popitem(last=False)
        found.update(loaded)
    # Shallow copies (7 us each): what a caller sets on a served product stays in its request.
    return {pk: copy.copy(card) for pk, card in found.items()}


def _vary(suggestions: list[Suggestion], limit: int) -> list[Suggestion]:
    """At most VARIETY_PER_CATEGORY of one category among the first VARIETY_WINDOW."""
    chosen, held, counts = [], [], defaultdict(int)
    for suggestion in suggestions:
        category = suggestion.product.category_id
        if len(chosen) < VARIETY_WINDOW and counts[category] >= VARIETY_PER_CATEGORY:
            held.append(suggestion)
            continue
        counts[category] += 1
        chosen.append(suggestion)
    return (chosen + held)[:limit]


def _build(
    entries: list,
    *,
    language: str,
    exclude: set[int],
    limit: int,
    explain: bool = True,
    vary: bool = False,
) -> list[Suggestion]:
    """Suggestions from [id, score, because id, because kind] entries, best first."""
    wanted, seen = [], set()
    for entry in entries:
        pk = entry[0]
        if pk in exclude or pk in seen:
            continue
        seen.add(pk)
        wanted.append(entry)
        # Enough spares for products sold out or withdrawn since training, no more: the
        # cards' query loads only these.
        if len(wanted) >= (limit * 2 if vary else limit + max(4, limit // 2)):
            break
    because_ids = {entry[2] for entry in wanted if explain and len(entry) > 2 and entry[2]}
    cards = load_cards([entry[0] for entry in wanted] + list(because_ids), language=language)
    suggestions = []
    for entry in wanted:
        product = cards.get(entry[0])
        if product is None or not product.in_stock:
            continue
        because = cards.get(entry[2]) if explain and len(entry) > 2 and entry[2] else None
        kind = entry[3] if len(entry) > 3 else None
        reason = _reason(kind, because.display_name) if because is not None else ""
        suggestions.append(Suggestion(product, float(entry[1]), reason, because))
        if len(suggestions) >= limit * (2 if vary else 1):
            break
    return _vary(suggestions, limit) if vary else suggestions


def _popular(*, language: str, country: str) -> list:
    segments = ["all"]
    if language:
        segments.append(f"language:{language}"[:20])
    if country:
        segments.append(f"country:{country.upper()}"[:20])
    rows = dict(
        RecommendationList.objects.filter(
            kind=RecommendationKind.POPULAR, segment__in=segments
        ).values_list("segment", "items")
    )
    for segment in reversed(segments):  # country, then language, then overall
        if rows.get(segment):
            return rows[segment]
    return []


def _country_from_request(request) -> str:
    """A two-letter country from Accept-Language (fr-CA -> CA), if it names one."""
    header = (request.META.get("HTTP_ACCEPT_LANGUAGE", "") if request else "") or ""
    for part in header.split(","):
        tag = part.split(";")[0].strip()
        pieces = tag.replace("_", "-").split("-")
        if len(pieces) >= 2 and len(pieces[-1]) == 2 and pieces[-1].isalpha():
            return pieces[-1].upper()
    return ""


def _lists_version() -> int | None:
    """The training that wrote the current lists (they are replaced with it in one transaction)."""

    return (
        ModelVersion.objects.filter(capability=Capability.RECOMMEND)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )


# At most this many on-the-fly lists are kept per process (the least recently used go first).
MAX_CACHED_HISTORIES = 5_000


class _History:
    """This process's on-the-fly lists: {digest: (expires, entries)}, least recently used first."""

    lock = threading.Lock()
    entries: OrderedDict = OrderedDict()


def _from_history(events: list, *, exclude: set[int], keep: int) -> list:
    """_from_neighbours, cached in this process for AI_RECOMMEND_CARD_CACHE_SECONDS under what
    it depends on: the lists' training (one indexed read of a small table), the events (a new
    view or purchase computes it again) and the exclusions. A warm call skips reading and
    combining the neighbour lists; the cards are still checked at once."""
    seconds = _card_cache_seconds()
    if seconds <= 0:
        return _from_neighbours(events, exclude=exclude, keep=keep)
    key = hashlib.sha1(repr((_lists_version(), events, sorted(exclude), keep)).encode()).digest()
    now = time.monotonic()
    with _History.lock:
        entry = _History.entries.get(key)
        if entry is not None and entry[0] > now:
            _History.entries.move_to_end(key)
            return entry[1]
    entries = _from_neighbours(events, exclude=exclude, keep=keep)
    with _History.lock:
        _History.entries[key] = (now + seconds, entries)
        while len(_History.entries) > MAX_CACHED_HISTORIES:
            _History.entries.popitem(last=False)
    return entries


def _from_neighbours(events: list, *, exclude: set[int], keep: int | None = None) -> list:
    """Combines the precomputed neighbour lists of the shopper's recent products (one query);
    the best `keep` of them (all by default)."""
    weights: dict[int, float] = defaultdict(float)
    kinds: dict[int, str] = {}
    for position, (product_id, kind, _country, _at) in enumerate(events):
        # Newer events count more.
        weights[product_id] += RECENT_WEIGHTS.get(kind, 1.0) / (1.0 + position / 10.0)
        if RECENT_WEIGHTS.get(kind, 0) > RECENT_WEIGHTS.get(kinds.get(product_id, ""), -1):
            kinds[product_id] = kind
    if not weights:
        return []
    rows = RecommendationList.objects.filter(
        kind__in=[RecommendationKind.SIMILAR, RecommendationKind.TOGETHER],
        product_id__in=list(weights),
    ).values_list("product_id", "kind", "items")
    scores: dict[int, float] = defaultdict(float)
    best_because: dict[int, tuple[float, int]] = {}
    for source, kind, items in rows:
        factor = weights[source] * (1.2 if kind == RecommendationKind.TOGETHER else 1.0)
        for entry in items:
            pk, score = entry[0], float(entry[1])
            if pk in exclude or pk in weights and kinds.get(pk) == "purchase":
                continue
            contribution = factor * score
            scores[pk] += contribution
            if contribution > best_because.get(pk, (0.0, 0))[0]:
                best_because[pk] = (contribution, source)
    order = lambda item: (-item[1], item[0])  # noqa: E731
    items = scores.items()
    ranked = heapq.nsmallest(keep, items, key=order) if keep else sorted(items, key=order)
    return [
        [pk, round(score, 5), best_because[pk][1], kinds.get(best_because[pk][1])]
        for pk, score in ranked
    ]


def bought_by(*, user=None, session_key: str = "") -> set[int]:
    """What the shopper bought, never to be recommended to them (one query)."""

    return purchased_product_ids(user=user, session_key=session_key)


def recommend_for_shopper(
    *,
    user=None,
    session_key: str = "",
    language: str | None = None,
    country: str = "",
    limit: int | None = None,
    exclude: Iterable[int] = (),
    request=None,
) -> Recommendations:
    """ "Recommended for you": the shopper's precomputed list, else one built from their recent
    events, else what is popular in their country or language."""

    language = language or settings.LANGUAGE_CODE
    limit = limit or _limit()
    signed_in = user is not None and getattr(user, "is_authenticated", False)
    excluded = {int(pk) for pk in exclude} | bought_by(user=user, session_key=session_key)
    if signed_in:
        row = (
            RecommendationList.objects.filter(kind=RecommendationKind.USER, user=user)
            .values_list("items", flat=True)
            .first()
        )
        if row:
            suggestions = _build(row, language=language, exclude=excluded, limit=limit)
            if suggestions:
                return Recommendations(suggestions, SOURCE_PERSONAL)
    # No precomputed list (a guest, or new since the last training): their latest events.
    events = recent_interactions(
        user=user if signed_in else None, session_key=session_key, limit=RECENT_EVENTS
    )
    country = country or next((c for _pk, _kind, c, _at in events if c), "")
    country = country or _country_from_request(request)
    if events:
        # _build reads at most limit * 2 of them (vary).
        entries = _from_history(events, exclude=excluded, keep=limit * 2)
        suggestions = _build(entries, language=language, exclude=excluded, limit=limit, vary=True)
        if suggestions:
            return Recommendations(suggestions, SOURCE_HISTORY)
    entries = _popular(language=language, country=country)
    suggestions = _build(entries, language=language, exclude=excluded, limit=limit, explain=False)
    return Recommendations(suggestions, SOURCE_POPULAR)


def _product_list(product_id: int, kind: str) -> list:
    return (
        RecommendationList.objects.filter(kind=kind, product_id=product_id)
        .values_list("items", flat=True)
        .first()
        or []
    )


def _content_fallback(product, *, limit: int) -> list:
    """For a product newer than the last training: its nearest products by embedding, else
    the newest of its category (no list can exist for it yet)."""

    vector_row = (
        ProductEmbedding.objects.filter(product_id=product.pk)
        .order_by("language")
        .values_list("backend", "vector")
        .first()
    )
    if vector_row is not None:
        # The search index of that embedding backend (no embedding model is loaded).
        try:
            import numpy as np

            from ..index import get_index

            backend, vector = vector_row
            array = np.frombuffer(bytes(vector), dtype=np.float32)
            index = get_index(backend=backend, dimension=array.shape[0])
            hits = index.search(array, k=limit * 2 + 1)
            entries = [[pk, float(score), None, None] for pk, score in hits if pk != product.pk]
            if entries:
                return entries
        except Exception:  # the index may be unavailable; the category fallback still works
            logger.warning("No content neighbours for product %s", product.pk, exc_info=True)

    ids = (
        published_products()
        .filter(category_id=product.category_id, in_stock=True)
        .exclude(pk=product.pk)
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)[: limit * 2]
    )
    return [[pk, 0.0, None, None] for pk in ids]


def similar_products(
    product, *, language: str | None = None, limit: int | None = None, exclude: Iterable[int] = ()
) -> Recommendations:
    """ "You may also like": products shoppers treat alike, and alike in their descriptions."""
    language = language or settings.LANGUAGE_CODE
    limit = limit or _limit()
    excluded = {product.pk, *(int(pk) for pk in exclude)}
    entries = _product_list(product.pk, RecommendationKind.SIMILAR)
    source = SOURCE_SIMILAR
    if not entries:
        entries, source = _content_fallback(product, limit=limit), SOURCE_CONTENT
    suggestions = _build(entries, language=language, exclude=excluded, limit=limit, explain=False)
    return Recommendations(suggestions, source)


def bought_together(
    product, *, language: str | None = None, limit: int = 6, exclude: Iterable[int] = ()
) -> Recommendations:
    """ "Often bought together": what the same shoppers bought or put in their bag."""
    language = language or settings.LANGUAGE_CODE
    excluded = {product.pk, *(int(pk) for pk in exclude)}
    entries = _product_list(product.pk, RecommendationKind.TOGETHER)
    suggestions = _build(entries, language=language, exclude=excluded, limit=limit, explain=False)
    return Recommendations(suggestions, SOURCE_TOGETHER)


def cart_suggestions(
    *,
    product_ids: Iterable[int],
    user=None,
    session_key: str = "",
    language: str | None = None,
    limit: int = 4,
    request=None,
) -> Recommendations:
    """For the bag: what goes with its contents (bought together, then similar), never what
    is already in it or was bought; with an empty bag, the shopper's recommendations."""
    language = language or settings.LANGUAGE_CODE
    in_bag = {int(pk) for pk in product_ids}
    if not in_bag:
        return recommend_for_shopper(
            user=user, session_key=session_key, language=language, limit=limit, request=request
        )
    excluded = in_bag | bought_by(user=user, session_key=session_key)
    rows = RecommendationList.objects.filter(
        Q(kind=RecommendationKind.TOGETHER) | Q(kind=RecommendationKind.SIMILAR),
        product_id__in=in_bag,
    ).values_list("kind", "items")
    scores: dict[int, float] = defaultdict(float)
    for kind, items in rows:
        factor = 2.0 if kind == RecommendationKind.TOGETHER else 1.0
        for entry in items:
            scores[entry[0]] += factor * float(entry[1])
    entries = [[pk, s, None, None] for pk, s in sorted(scores.items(), key=lambda i: (-i[1], i[0]))]
    suggestions = _build(entries, language=language, exclude=excluded, limit=limit, explain=False)
    if not suggestions:
        # Nothing is known to go with these (new products): the shopper's own recommendations.
        return recommend_for_shopper(
            user=user,
            session_key=session_key,
            language=language,
            limit=limit,
            exclude=in_bag,
            request=request,
        )
    return Recommendations(suggestions, SOURCE_TOGETHER)


def recommendable_product(*, handle: str):
    """A published product by handle (one query), or None."""

    return published_products().filter(handle=handle).first()


def recommend_for_user(user, *, limit: int | None = None, language: str | None = None):
    """A signed-in shopper's recommendations (see recommend_for_shopper for guests)."""
    return recommend_for_shopper(user=user, language=language, limit=limit)
