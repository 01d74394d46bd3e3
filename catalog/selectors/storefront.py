"""Reads from the catalog, shaped so each page costs a constant number of queries.

Translations are prefetched for the page's language and English only (the fallback), so
parler finds every name in the prefetched rows and never queries one object at a time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Coalesce

from ..cache import catalog_version as _catalog_version
from ..models import (
    Category,
    Collection,
    GemstoneType,
    Material,
    Product,
    ProductGemstone,
    ProductImage,
    ProductVariant,
    PublicationStatus,
)

SORT_FEATURED = "featured"
SORT_NEWEST = "newest"
SORT_PRICE_ASC = "price_asc"
SORT_PRICE_DESC = "price_desc"
SORT_ORDERINGS = {
    SORT_FEATURED: ("-is_featured", "-created_at", "-id"),
    SORT_NEWEST: ("-created_at", "-id"),
    SORT_PRICE_ASC: ("price_min", "id"),
    SORT_PRICE_DESC: ("-price_min", "-id"),
}


_HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")


def safe_colour(value: str | None) -> str:
    """A colour fit for a style attribute: a hex code, or nothing."""
    return value if value and _HEX_COLOUR.match(value) else ""


def fallback_languages(language: str) -> list[str]:
    """The languages whose translations a read needs: the shopper's and the default."""
    return sorted({language, settings.LANGUAGE_CODE})


def translations_prefetch(model, language: str, lookup: str = "translations") -> Prefetch:
    """Prefetches `model`'s parler translations in `language` and the default only."""
    translation_model = model._parler_meta.root_model
    return Prefetch(
        lookup,
        queryset=translation_model.objects.filter(language_code__in=fallback_languages(language)),
    )


def _translated(model, language: str, *, ref: str = "pk", attribute: str = "name") -> Coalesce:
    """A translated field in `language`, else English, as a subquery (no parler objects)."""
    translation_model = model._parler_meta.root_model
    rows = translation_model.objects.filter(master=OuterRef(ref)).exclude(**{attribute: ""})
    return Coalesce(
        Subquery(rows.filter(language_code=language).values(attribute)[:1]),
        Subquery(rows.filter(language_code=settings.LANGUAGE_CODE).values(attribute)[:1]),
        Value(""),
        output_field=TextField(),
    )


def _set_prefetched(instance, name: str, objects: list) -> None:
    """Fills a related manager's prefetch cache, as prefetch_related would, without a query."""
    manager = getattr(instance, name)
    queryset = manager.model.objects.all()
    queryset._result_cache = list(objects)
    queryset._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[manager.field.remote_field.cache_name] = queryset


# --- Categories -------------------------------------------------------------------------------
@dataclass
class CategoryTree:
    """Every category, loaded once (two queries), with parent/children links set in memory."""

    categories: list[Category]
    by_id: dict[int, Category] = field(default_factory=dict)
    by_slug: dict[str, Category] = field(default_factory=dict)
    children: dict[int | None, list[Category]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for category in self.categories:
            self.by_id[category.pk] = category
            self.by_slug[category.slug] = category
            self.children.setdefault(category.parent_id, []).append(category)
        for category in self.categories:
            _set_prefetched(category, "children", self.children.get(category.pk, []))
            if category.parent_id in self.by_id:
                # Walking up for breadcrumbs must not fetch the parent again.
                Category.parent.field.set_cached_value(category, self.by_id[category.parent_id])

    @property
    def roots(self) -> list[Category]:
        return self.children.get(None, [])

    def ancestors(self, category: Category) -> list[Category]:
        """From the root down to the category's parent."""
        chain, seen = [], {category.pk}
        current = self.by_id.get(category.parent_id)
        while current is not None and current.pk not in seen:
            chain.append(current)
            seen.add(current.pk)
            current = self.by_id.get(current.parent_id)
        return list(reversed(chain))

    def descendant_ids(self, category: Category) -> set[int]:
        """The category and every category below it."""
        found, stack = set(), [category.pk]
        while stack:
            current = stack.pop()
            if current in found:
                continue
            found.add(current)
            stack.extend(child.pk for child in self.children.get(current, []))
        return found


def category_tree(*, language: str) -> CategoryTree:
    categories = list(
        Category.objects.order_by("position", "id").prefetch_related(
            translations_prefetch(Category, language)
        )
    )
    for category in categories:
        category.set_current_language(language)
    return CategoryTree(categories)


def navigation_categories(*, language: str, tree: CategoryTree | None = None) -> list[Category]:
    """Top-level categories with their children (`category.children.all` costs no query)."""
    tree = tree or category_tree(language=language)
    return tree.roots


def _cover_image_id(link: Q) -> Subquery:
    """The id of one picture of a published product matching `link` (featured, newest first)."""
    images = (
        ProductImage.objects.filter(link, product__status=PublicationStatus.PUBLISHED)
        .order_by("-product__is_featured", "-product_id", "position", "id")
        .values("id")
    )
    return Subquery(images[:1])


def category_cover_ids(*, categories: Iterable[Category]) -> dict[int, int]:
    """Category id -> id of a picture of a product in it or up to two levels below (one query)."""
    ids = [category.pk for category in categories]
    if not ids:
        return {}
    below = (
        Q(product__category=OuterRef("pk"))
        | Q(product__category__parent=OuterRef("pk"))
        | Q(product__category__parent__parent=OuterRef("pk"))
    )
    rows = Category.objects.filter(pk__in=ids).annotate(cover_id=_cover_image_id(below))
    return {pk: cover for pk, cover in rows.values_list("pk", "cover_id") if cover}


def images_by_id(ids: Iterable[int]) -> dict[int, ProductImage]:
    ids = {pk for pk in ids if pk}
    if not ids:
        return {}
    return {image.pk: image for image in ProductImage.objects.filter(pk__in=ids)}


# --- Collections ------------------------------------------------------------------------------
def featured_collections(*, language: str, limit: int = 6) -> list[Collection]:
    """Featured collections, each annotated with `cover_id`: one of its products' pictures."""
    return list(
        Collection.objects.filter(is_featured=True)
        .annotate(cover_id=_cover_image_id(Q(product__collections=OuterRef("pk"))))
        .prefetch_related(translations_prefetch(Collection, language))
        .order_by("position", "id")[:limit]
    )


def collection_by_slug(*, slug: str, language: str) -> Collection | None:
    """The collection with its translated `label` and `intro` annotated (one query)."""
    return (
        Collection.objects.filter(slug=slug)
        .annotate(
            label=_translated(Collection, language),
            intro=_translated(Collection, language, attribute="description"),
        )
        .first()
    )


# --- Product listings -------------------------------------------------------------------------
def published_products() -> QuerySet[Product]:
    return Product.objects.filter(status=PublicationStatus.PUBLISHED)


def products_search_dirty() -> QuerySet[Product]:
    """Products whose text changed since the search last embedded it (search_index_dirty),
    in id order; the search re-embeds them and clears the flag (services)."""
    return Product.objects.filter(search_index_dirty=True).order_by("pk")


def with_card_data(queryset: QuerySet[Product], *, language: str) -> QuerySet[Product]:
    """What a product card shows: name, first picture, sale flag; constant queries per page."""
    on_sale = ProductVariant.objects.filter(product=OuterRef("pk"), compare_at_price__gt=F("price"))
    return queryset.annotate(on_sale=Exists(on_sale)).prefetch_related(
        translations_prefetch(Product, language),
        Prefetch(
            "images",
            queryset=ProductImage.objects.order_by("position", "id"),
            to_attr="ordered_images",
        ),
    )


def new_arrivals(*, language: str, limit: int = 8) -> list[Product]:
    latest = published_products().order_by(*SORT_ORDERINGS[SORT_NEWEST])[:limit]
    return list(with_card_data(latest, language=language))


@dataclass
class ListingFilters:
    """Validated listing filters; prices already in the base currency."""

    metals: list[Material] = field(default_factory=list)
    gemstones: list[GemstoneType] = field(default_factory=list)
    category_ids: set[int] | None = None
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    in_stock: bool = False


def _apply_filters(queryset: QuerySet[Product], filters: ListingFilters, *, skip: str = ""):
    if skip != "metal" and filters.metals:
        queryset = queryset.filter(
            Exists(ProductVariant.objects.filter(product=OuterRef("pk"), metal__in=filters.metals))
        )
    if skip != "gemstone" and filters.gemstones:
        queryset = queryset.filter(
            Exists(
                ProductGemstone.objects.filter(
                    product=OuterRef("pk"), gemstone_type__in=filters.gemstones
                )
            )
        )
    if skip != "category" and filters.category_ids is not None:
        queryset = queryset.filter(category_id__in=filters.category_ids)
    if filters.price_min is not None:
        queryset = queryset.filter(price_min__gte=filters.price_min)
    if filters.price_max is not None:
        queryset = queryset.filter(price_min__lte=filters.price_max)
    if filters.in_stock:
        queryset = queryset.filter(in_stock=True)
    return queryset


def product_listing(
    *, base: QuerySet[Product], filters: ListingFilters, sort: str, language: str
) -> QuerySet[Product]:
    ordering = SORT_ORDERINGS.get(sort, SORT_ORDERINGS[SORT_FEATURED])
    queryset = _apply_filters(base, filters).order_by(*ordering)
    return with_card_data(queryset, language=language)


class _Count(Func):
    """COUNT(DISTINCT ...) without GROUP BY, so it can sit in a correlated subquery."""

    function = "COUNT"
    template = "%(function)s(DISTINCT %(expressions)s)"
    output_field = IntegerField()


def _count_subquery(queryset: QuerySet) -> Coalesce:
    counted = queryset.order_by().annotate(n=_Count("pk")).values("n")
    return Coalesce(Subquery(counted[:1]), Value(0))


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    colour: str = ""


def metal_facet(
    *, base: QuerySet[Product], filters: ListingFilters, language: str
) -> list[FacetOption]:
    """Every metal with the number of matching products (one query).

    Each metal's count starts from that metal's variants (an indexed lookup) and keeps those
    whose product matches: starting from the products would scan the catalog once per metal
    (about three times slower at 10,000 products on SQLite).
    """
    others = _apply_filters(base, filters, skip="metal")
    per_metal = (
        ProductVariant.objects.filter(metal=OuterRef("pk"), product__in=others.values("pk"))
        .order_by()
        .annotate(n=_Count("product_id"))
        .values("n")
    )
    rows = (
        Material.objects.filter(kind=Material.Kind.METAL)
        .annotate(
            label=_translated(Material, language),
            product_count=Coalesce(Subquery(per_metal[:1]), Value(0)),
        )
        .values("slug", "label", "product_count", "colour_hex")
        .order_by("slug")
    )
    selected = {metal.slug for metal in filters.metals}
    return _options(rows, selected)


def gemstone_facet(
    *, base: QuerySet[Product], filters: ListingFilters, language: str
) -> list[FacetOption]:
    others = _apply_filters(base, filters, skip="gemstone")
    rows = (
        GemstoneType.objects.annotate(
            label=_translated(GemstoneType, language),
            product_count=_count_subquery(others.filter(gemstones__gemstone_type=OuterRef("pk"))),
        )
        .values("slug", "label", "product_count", "colour_hex")
        .order_by("slug")
    )
    selected = {gem.slug for gem in filters.gemstones}
    return _options(rows, selected)


def _options(rows, selected: set[str]) -> list[FacetOption]:
    options = [
        FacetOption(
            value=row["slug"],
            label=row["label"] or row["slug"],
            count=row["product_count"],
            selected=row["slug"] in selected,
            colour=safe_colour(row["colour_hex"]),
        )
        for row in rows
    ]
    # An option nobody can pick is noise, unless the shopper already picked it.
    options = [option for option in options if option.count or option.selected]
    return sorted(options, key=lambda option: option.label.casefold())


def category_facet(
    *,
    base: QuerySet[Product],
    filters: ListingFilters,
    tree: CategoryTree,
    choices: list[Category],
    selected: set[str],
) -> list[FacetOption]:
    """Sub-categories with how many matching products each holds, its own and below (one query)."""
    if not choices:
        return []
    others = _apply_filters(base, filters, skip="category")
    per_category = dict(
        others.order_by()
        .values_list("category_id")
        .annotate(n=Count("id"))
        .values_list("category_id", "n")
    )
    options = []
    for category in choices:
        count = sum(per_category.get(pk, 0) for pk in tree.descendant_ids(category))
        if count or category.slug in selected:
            options.append(
                FacetOption(
                    value=category.slug,
                    label=category.safe_translation_getter("name", default=category.slug),
                    count=count,
                    selected=category.slug in selected,
                )
            )
    return options


def metals_by_slug(slugs: Iterable[str]) -> list[Material]:
    slugs = list(slugs)
    if not slugs:
        return []
    return list(Material.objects.filter(kind=Material.Kind.METAL, slug__in=slugs))


def gemstones_by_slug(slugs: Iterable[str]) -> list[GemstoneType]:
    slugs = list(slugs)
    if not slugs:
        return []
    return list(GemstoneType.objects.filter(slug__in=slugs))


# --- Product page -----------------------------------------------------------------------------
def product_for_page(*, handle: str, language: str) -> Product | None:
    """The product with everything its page shows, in the same queries whatever it holds.

    Names of metals and stones come as annotations (`metal_label`, `type_name`, `label`)
    rather than nested translation prefetches, which would add a query only for products
    that have stones or materials.
    """
    return (
        Product.objects.filter(handle=handle)
        .prefetch_related(
            translations_prefetch(Product, language),
            Prefetch(
                "variants",
                queryset=ProductVariant.objects.select_related("metal")
                .annotate(metal_label=_translated(Material, language, ref="metal"))
                .order_by("position", "id"),
            ),
            Prefetch("images", queryset=ProductImage.objects.order_by("position", "id")),
            Prefetch(
                "gemstones",
                queryset=ProductGemstone.objects.select_related("gemstone_type")
                .annotate(type_name=_translated(GemstoneType, language, ref="gemstone_type"))
                .order_by("id"),
            ),
            Prefetch(
                "materials",
                queryset=Material.objects.annotate(label=_translated(Material, language)).order_by(
                    "kind", "slug"
                ),
            ),
        )
        .first()
    )


# --- Search -----------------------------------------------------------------------------------
MAX_SEARCH_WORDS = 8


def search_words(query: str) -> list[str]:
    words = []
    for word in (query or "").split():
        word = word.strip()[:60]
        if word and word.casefold() not in {w.casefold() for w in words}:
            words.append(word)
    return words[:MAX_SEARCH_WORDS]


def search_products_simple(*, query: str, language: str) -> QuerySet[Product]:
    """Published products matching every word of the query (a plain database search).

    A word matches the name or description in the shopper's language or English, the
    handle, a tag or a variant SKU. Products whose name holds the whole query come first.
    """
    words = search_words(query)
    if not words:
        return published_products().none()
    translation_model = Product._parler_meta.root_model
    translations = translation_model.objects.filter(
        master=OuterRef("pk"), language_code__in=fallback_languages(language)
    )
    queryset = published_products()
    for word in words:
        in_text = translations.filter(Q(name__icontains=word) | Q(description__icontains=word))
        in_sku = ProductVariant.objects.filter(product=OuterRef("pk"), sku__icontains=word)
        queryset = queryset.filter(
            Q(Exists(in_text))
            | Q(handle__icontains=word)
            | Q(tags__icontains=word)
            | Q(Exists(in_sku))
        )
    phrase = " ".join(words)
    return queryset.annotate(name_hit=Exists(translations.filter(name__icontains=phrase))).order_by(
        "-name_hit", "-is_featured", "-created_at", "-id"
    )


# --- Cache versioning -------------------------------------------------------------------------
def catalog_version() -> int:
    """The catalog's version number, bumped by every catalog write (catalog/cache.py): other
    apps key what they cache from catalog data on it, so a write invalidates it at once."""
    return _catalog_version()


def product_states(ids: Iterable[int]) -> dict[int, tuple]:
    """(in_stock, price_min, price_max, updated_at) of the published products among `ids`, by
    id: what a product cached elsewhere must still match to be shown (one indexed query)."""
    ids = {int(pk) for pk in ids if pk}
    if not ids:
        return {}
    rows = (
        published_products()
        .filter(pk__in=ids)
        .values_list("pk", "in_stock", "price_min", "price_max", "updated_at")
    )
    return {pk: tuple(state) for pk, *state in rows}
