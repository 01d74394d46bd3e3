"""What the ranker knows about the catalog, held in each process and refreshed when it changes.

A snapshot holds, for every product: whether it is published, its lowest price, category,
metals, purities and gemstones (as numpy masks, so filters and facet counts are vector
operations), the BM25 index of its text, and the catalog's vocabulary (category, metal and
gemstone names in every language).

It reads catalog.models directly, read-only, with flat values_list queries (like
ai.index.text does for the embeddings): it needs every product's raw rows at once, which no
catalog selector returns, and it must stay cheap at 100k products.

Freshness: a search first runs one small query (product count, published count, largest id,
the embeddings' change counter) and compares it with the snapshot's; saves in this process
(signals on the catalog models) invalidate at once. Another process's change to products
shows in those counts or in the embeddings counter once the re-index job has run; renaming
a category in another process shows after AI_SEARCH_SNAPSHOT_MAX_AGE seconds at most.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db import connection, connections
from django.db.models import IntegerField, Value
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.html import strip_tags

from catalog.models import (
    Category,
    GemstoneType,
    Material,
    Product,
    ProductGemstone,
    ProductVariant,
    PublicationStatus,
    Purity,
)
from shop.events import after_commit

from .lexical import LexicalIndex
from .text import normalise, words

logger = logging.getLogger(__name__)

DESCRIPTION_CHARS = 600
# A reload slower than this (a large catalog) happens in a thread while the old one serves.
BACKGROUND_LOAD_SECONDS = 2.0
NAME_WEIGHT = 3.0
ATTRIBUTE_WEIGHT = 2.0
DESCRIPTION_WEIGHT = 1.0


@dataclass
class Term:
    """A category, metal or gemstone with its names in every language."""

    kind: str  # "category", "metal", "gemstone"
    pk: int
    slug: str
    names: dict[str, str]
    parent_id: int | None = None

    def name(self, language: str) -> str:
        return (
            self.names.get(language)
            or self.names.get(settings.LANGUAGE_CODE)
            or next(iter(self.names.values()), "")
            or self.slug
        )


@dataclass
class Snapshot:
    signature: tuple
    loaded_at: float
    product_ids: np.ndarray  # (n,) int64, ascending
    handles: list[str]
    published: np.ndarray  # (n,) bool
    price: np.ndarray  # (n,) float64, lowest price in the base currency
    category: np.ndarray  # (n,) int64, 0 without a category
    metals: dict[int, np.ndarray]  # material id -> (n,) bool
    gemstones: dict[int, np.ndarray]  # gemstone type id -> (n,) bool
    purities: dict[str, np.ndarray]  # Purity value -> (n,) bool
    names: dict[str, list[str]]  # language -> product name per position ("" when none)
    lexical: LexicalIndex
    # Words of the default language's descriptions and tags (the part the index reads) ->
    # how many products use them: the words ai.search.crosslingual may map a query word to
    # besides the names' ("leather" is often in a description only).
    text_words: dict[str, int] = field(default_factory=dict)
    categories: dict[int, Term] = field(default_factory=dict)
    metal_terms: dict[int, Term] = field(default_factory=dict)
    gemstone_terms: dict[int, Term] = field(default_factory=dict)
    positions: dict[int, int] = field(default_factory=dict)
    memo: dict = field(default_factory=dict)  # what others derive from it (query tables)
    load_seconds: float = 0.0

    def __len__(self) -> int:
        return len(self.product_ids)

    @property
    def has_vectors(self) -> bool:
        """Whether the embedder's vectors were ever written (the signature's last column)."""
        return bool(self.signature and self.signature[-1])

    def position_of(self, ids) -> np.ndarray:
        ids = np.asarray(list(ids), dtype=np.int64)
        if not len(ids) or not len(self.product_ids):
            return np.empty(0, dtype=np.int64)
        found = np.searchsorted(self.product_ids, ids)
        found = np.clip(found, 0, len(self.product_ids) - 1)
        return found[self.product_ids[found] == ids]

    def category_and_below(self, category_ids) -> set[int]:
        children: dict[int | None, list[int]] = defaultdict(list)
        for term in self.categories.values():
            children[term.parent_id].append(term.pk)
        found, stack = set(), list(category_ids)
        while stack:
            current = stack.pop()
            if current in found:
                continue
            found.add(current)
            stack.extend(children.get(current, []))
        return found

    def product_name(self, position: int, language: str) -> str:
        for code in (language, settings.LANGUAGE_CODE):
            names = self.names.get(code)
            if names and names[position]:
                return names[position]
        for names in self.names.values():
            if names[position]:
                return names[position]
        return self.handles[position]


# --- freshness ---------------------------------------------------------------------------------
_generation = 0
_lock = threading.Lock()
_snapshot: Snapshot | None = None


def _bump() -> None:
    global _generation
    _generation += 1


def _changed(**kwargs) -> None:
    # Now, and again once the change commits: a search in between would load the catalog as
    # it was under the new generation and serve it until the snapshot's max age.
    _bump()
    after_commit(_bump)


_WATCHED = (
    Product,
    Product._parler_meta.root_model,
    ProductVariant,
    ProductGemstone,
    Category,
    Category._parler_meta.root_model,
    Material,
    Material._parler_meta.root_model,
    GemstoneType,
    GemstoneType._parler_meta.root_model,
)
for _model in _WATCHED:
    post_save.connect(_changed, sender=_model, dispatch_uid=f"ai.search.{_model.__name__}.save")
    post_delete.connect(_changed, sender=_model, dispatch_uid=f"ai.search.{_model.__name__}.del")
m2m_changed.connect(_changed, sender=Product.materials.through, dispatch_uid="ai.search.m2m")


def max_age() -> float:
    return float(getattr(settings, "AI_SEARCH_SNAPSHOT_MAX_AGE", 300) or 0)


def _signature(backend: str) -> tuple:
    """One small query: what changes when products are added, removed, published or re-indexed."""
    product = Product._meta.db_table
    version_table = "ai_searchindexversion"
    published = PublicationStatus.PUBLISHED
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM {product}), "
            f"(SELECT COUNT(*) FROM {product} WHERE status = %s), "
            f"(SELECT MAX(id) FROM {product}), "
            f"(SELECT version FROM {version_table} WHERE backend = %s)",
            [published, backend],
        )
        row = cursor.fetchone()
    return (_generation, *row)


def clear_cache() -> None:
    global _snapshot
    with _lock:
        _snapshot = None


def current(*, backend: str) -> Snapshot:
    """The snapshot of the catalog, reloaded when the catalog changed."""
    return current_or_stale(backend=backend)[0]


def current_or_stale(*, backend: str) -> tuple[Snapshot, bool]:
    """(snapshot, fresh). A small catalog is reloaded at once when it changed; a large one
    (its last load took over BACKGROUND_LOAD_SECONDS) keeps serving the previous snapshot
    while a thread loads the new one, so no shopper waits for the reload; `fresh` is then
    False and the caller checks what it shows against the database."""
    global _snapshot
    signature = (backend, *_signature(backend))
    snapshot = _snapshot
    age = max_age()
    too_old = snapshot is not None and age and time.monotonic() - snapshot.loaded_at >= age
    if snapshot is not None and snapshot.signature == signature and not too_old:
        return snapshot, True
    if snapshot is not None and snapshot.load_seconds >= BACKGROUND_LOAD_SECONDS:
        _load_in_background(signature)
        return snapshot, snapshot.signature == signature
    with _lock:
        snapshot = _snapshot
        too_old = snapshot is not None and age and time.monotonic() - snapshot.loaded_at >= age
        if snapshot is None or snapshot.signature != signature or too_old:
            snapshot = load(signature)
            _snapshot = snapshot
    return snapshot, True


_loading = threading.Event()


def _load_in_background(signature: tuple) -> None:
    with _lock:
        if _loading.is_set():
            return
        _loading.set()

    def work() -> None:
        global _snapshot
        try:
            fresh = load(signature)
            with _lock:
                _snapshot = fresh
        except Exception:  # noqa: BLE001 - keep serving the old snapshot, say why
            logger.exception("Reloading the search snapshot failed")
        finally:
            _loading.clear()
            connections.close_all()  # this thread's own connections

    threading.Thread(target=work, name="search-snapshot", daemon=True).start()


# --- loading -----------------------------------------------------------------------------------
def _load_terms() -> tuple[dict[int, Term], dict[int, Term], dict[int, Term], dict[int, Term]]:
    """Categories, metals, every material and gemstone types with their names: one query."""
    names = ("translations__language_code", "translations__name")
    rows = (
        Category.objects.order_by()
        .annotate(term_kind=Value("category"), sub=Value(""))
        .values_list("term_kind", "pk", "slug", "parent_id", "sub", *names)
        .union(
            Material.objects.order_by()
            .annotate(term_kind=Value("material"), parent=Value(None, output_field=IntegerField()))
            .values_list("term_kind", "pk", "slug", "parent", "kind", *names),
            GemstoneType.objects.order_by()
            .annotate(
                term_kind=Value("gemstone"),
                parent=Value(None, output_field=IntegerField()),
                sub=Value(""),
            )
            .values_list("term_kind", "pk", "slug", "parent", "sub", *names),
            all=True,
        )
    )
    terms: dict[str, dict[int, Term]] = {"category": {}, "material": {}, "gemstone": {}}
    material_kind: dict[int, str] = {}
    for kind, pk, slug, parent, sub, language, name in rows:
        term = terms[kind].get(pk)
        if term is None:
            term = terms[kind][pk] = Term(kind=kind, pk=pk, slug=slug, names={}, parent_id=parent)
        if language and name:
            term.names[language] = name
        if kind == "material":
            material_kind[pk] = sub  # the material query's "sub" column carries Material.kind
    metals = {}
    for pk, term in terms["material"].items():
        if material_kind.get(pk) == Material.Kind.METAL:
            metals[pk] = Term(kind="metal", pk=pk, slug=term.slug, names=term.names)
    return terms["category"], metals, terms["material"], terms["gemstone"]


def _links():
    """(kind, product, object, purity, sku) for variants, materials and gemstones: one query."""
    return (
        ProductVariant.objects.order_by()
        .annotate(kind=Value("variant"))
        .values_list("kind", "product_id", "metal_id", "purity", "sku")
        .union(
            Product.materials.through.objects.order_by()
            .annotate(kind=Value("material"), purity=Value(""), sku=Value(""))
            .values_list("kind", "product_id", "material_id", "purity", "sku"),
            ProductGemstone.objects.order_by()
            .annotate(kind=Value("gemstone"), purity=Value(""), sku=Value(""))
            .values_list("kind", "product_id", "gemstone_type_id", "purity", "sku"),
            all=True,
        )
    )


def _plain(value: str) -> str:
    return " ".join(strip_tags(value or "").split())


def load(signature: tuple) -> Snapshot:
    began = time.monotonic()
    languages = [code for code, _name in settings.LANGUAGES]
    default = settings.LANGUAGE_CODE
    # One row per (product, translation): the product's own columns repeat.
    joined = Product.objects.order_by("pk").values_list(
        "pk",
        "handle",
        "status",
        "price_min",
        "category_id",
        "tags",
        "translations__language_code",
        "translations__name",
        "translations__description",
    )
    rows = []
    own_texts: dict[int, dict[str, tuple[str, str]]] = defaultdict(dict)
    for row in joined.iterator(chunk_size=5000):
        if not rows or rows[-1][0] != row[0]:
            rows.append(row[:6])
        if row[6] and row[7]:
            own_texts[row[0]][row[6]] = (row[7], row[8] or "")
    n = len(rows)
    product_ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=n)
    positions = {pk: i for i, pk in enumerate(product_ids.tolist())}
    handles = [row[1] for row in rows]
    published = np.fromiter(
        (row[2] == PublicationStatus.PUBLISHED for row in rows), dtype=bool, count=n
    )
    price = np.fromiter((float(row[3] or 0) for row in rows), dtype=np.float64, count=n)
    category = np.fromiter((row[4] or 0 for row in rows), dtype=np.int64, count=n)
    tags = [row[5] or "" for row in rows]

    categories, metal_terms, material_names, gemstone_terms = _load_terms()

    product_metals: dict[int, set[int]] = defaultdict(set)
    product_materials: dict[int, set[int]] = defaultdict(set)
    product_purities: dict[int, set[str]] = defaultdict(set)
    product_gems: dict[int, set[int]] = defaultdict(set)
    product_skus: dict[int, list[str]] = defaultdict(list)
    metals: dict[int, np.ndarray] = {}
    purities: dict[str, np.ndarray] = {}
    gemstones: dict[int, np.ndarray] = {}
    for kind, product_id, object_id, purity, sku in _links():
        position = positions.get(product_id)
        if position is None:
            continue
        if kind == "variant":
            if object_id:
                product_metals[position].add(object_id)
                metals.setdefault(object_id, np.zeros(n, dtype=bool))[position] = True
            if purity:
                product_purities[position].add(purity)
                purities.setdefault(purity, np.zeros(n, dtype=bool))[position] = True
            if sku:
                product_skus[position].append(sku)
        elif kind == "material":
            product_materials[position].add(object_id)
            if object_id in metal_terms:
                metals.setdefault(object_id, np.zeros(n, dtype=bool))[position] = True
        elif object_id:
            product_gems[position].add(object_id)
            gemstones.setdefault(object_id, np.zeros(n, dtype=bool))[position] = True

    texts: dict[int, dict[str, tuple[str, str]]] = defaultdict(dict)
    for pk, per_language in own_texts.items():
        texts[positions[pk]] = per_language

    names = {language: [""] * n for language in languages}
    text_words: Counter = Counter()
    purity_labels = {value: str(label) for value, label in Purity.choices}

    def documents():
        for position in range(n):
            own = texts.get(position, {})
            for language in languages:
                if language in names:
                    names[language][position] = own.get(language, ("", ""))[0]
            fallback = own.get(default) or (own[min(own)] if own else None)
            gems = product_gems.get(position, ())
            metal_ids = product_metals.get(position, set()) | product_materials.get(position, set())
            for language in languages:
                text = own.get(language) or (fallback if language == default else None)
                fields: list[tuple[str, float]] = []
                if text is not None:
                    fields.append((text[0], NAME_WEIGHT))
                    fields.append((_plain(text[1])[:DESCRIPTION_CHARS], DESCRIPTION_WEIGHT))
                attributes = []
                term = categories.get(int(category[position]))
                if term is not None:
                    attributes.append(term.name(language))
                attributes += [
                    material_names[pk].name(language) for pk in metal_ids if pk in material_names
                ]
                attributes += [
                    gemstone_terms[pk].name(language) for pk in gems if pk in gemstone_terms
                ]
                attributes += [purity_labels.get(p, p) for p in product_purities.get(position, ())]
                fields.append((" ".join(attributes), ATTRIBUTE_WEIGHT, True))
                if language == default:
                    extra = (
                        tags[position].replace(",", " ")
                        + " "
                        + " ".join(product_skus.get(position, ()))
                    )
                    fields.append((extra, DESCRIPTION_WEIGHT))
                    described = (fields[1][0] if text is not None else "") + " " + tags[position]
                    text_words.update(
                        {word for word, cjk in words(described) if not cjk and word.isalpha()}
                    )
                yield language, position, fields

    lexical = LexicalIndex.build(n, documents())
    return Snapshot(
        signature=signature,
        loaded_at=time.monotonic(),
        product_ids=product_ids,
        handles=handles,
        published=published,
        price=price,
        category=category,
        metals=metals,
        gemstones=gemstones,
        purities=purities,
        names=names,
        lexical=lexical,
        text_words=dict(text_words),
        categories=categories,
        metal_terms=metal_terms,
        gemstone_terms=gemstone_terms,
        positions=positions,
        load_seconds=time.monotonic() - began,
    )


def normalised_names(term: Term) -> list[str]:
    return [normalise(name) for name in term.names.values() if name]
