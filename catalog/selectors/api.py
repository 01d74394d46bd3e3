"""Reads for the catalog REST API, each costing a constant number of queries.

Translations are prefetched for the requested language and English (the fallback) only, and
read with `translated()` from the prefetched rows, so no object ever queries its own text. The
helpers both read modules share (fallback languages, the translations prefetch, a query's
words) are catalog.selectors.storefront's; this module holds only what the API's shapes need.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet

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
from .storefront import (
    fallback_languages,
    published_products,
    search_words,
    translations_prefetch,
)

ORDERINGS = {
    "newest": ("-created_at", "-id"),
    "price": ("price_min", "id"),
    "-price": ("-price_min", "-id"),
}
DEFAULT_ORDERING = "newest"


def translated(obj, name: str, language: str, default: str = "") -> str:
    """`obj`'s field in `language`, else in English, from its prefetched translations."""
    rows = {row.language_code: row for row in obj.translations.all()}
    for code in (language, settings.LANGUAGE_CODE):
        value = getattr(rows.get(code), name, "")
        if value:
            return value
    return default


# --- Categories -------------------------------------------------------------------------------
@dataclass
class CategoryNode:
    category: Category
    depth: int
    path: list[Category]  # from the root down to the category itself
    children: list[Category] = field(default_factory=list)
    product_count: int = 0

    @property
    def parent(self) -> Category | None:
        return self.path[-2] if len(self.path) > 1 else None


@dataclass
class CategoryIndex:
    """Every category (three queries: categories, translations, product counts) as a tree."""

    nodes: list[CategoryNode]
    by_slug: dict[str, CategoryNode]
    by_id: dict[int, CategoryNode]

    def descendant_ids(self, category: Category) -> set[int]:
        found, stack = set(), [category.pk]
        while stack:
            current = stack.pop()
            if current not in found:
                found.add(current)
                stack.extend(child.pk for child in self.by_id[current].children)
        return found


def category_ids(*, slug: str) -> set[int] | None:
    """The category with `slug` and every category below it (one query), None if unknown."""
    rows = list(Category.objects.values_list("id", "parent_id", "slug"))
    start = next((pk for pk, _parent, row_slug in rows if row_slug == slug), None)
    if start is None:
        return None
    children: dict[int | None, list[int]] = {}
    for pk, parent_id, _slug in rows:
        children.setdefault(parent_id, []).append(pk)
    found, stack = set(), [start]
    while stack:
        current = stack.pop()
        if current not in found:
            found.add(current)
            stack.extend(children.get(current, []))
    return found


def category_index(*, language: str) -> CategoryIndex:
    """The tree in display order (depth first, by position), with published product counts.

    A category's count includes the products of the categories below it. A parent loop (which
    the admin should never allow) cannot hang the walk: each category is visited once.
    """
    categories = list(
        Category.objects.order_by("position", "id").prefetch_related(
            translations_prefetch(Category, language)
        )
    )
    own_counts = dict(
        published_products()
        .filter(category__isnull=False)
        .order_by()
        .values_list("category_id")
        .annotate(n=Count("id"))
        .values_list("category_id", "n")
    )
    by_id = {category.pk: category for category in categories}
    children: dict[int | None, list[Category]] = {}
    for category in categories:
        parent_id = category.parent_id if category.parent_id in by_id else None
        children.setdefault(parent_id, []).append(category)

    nodes: list[CategoryNode] = []
    node_by_id: dict[int, CategoryNode] = {}

    def walk(category: Category, path: list[Category]) -> None:
        if category.pk in node_by_id:
            return
        node = CategoryNode(
            category=category,
            depth=len(path),
            path=[*path, category],
            children=children.get(category.pk, []),
        )
        node_by_id[category.pk] = node
        nodes.append(node)
        for child in node.children:
            walk(child, node.path)

    for root in children.get(None, []):
        walk(root, [])
    for category in categories:  # categories caught in a parent loop still get listed
        walk(category, [])
    index = CategoryIndex(
        nodes=nodes, by_slug={n.category.slug: n for n in nodes}, by_id=node_by_id
    )
    for node in nodes:
        node.product_count = sum(
            own_counts.get(pk, 0) for pk in index.descendant_ids(node.category)
        )
    return index


# --- Collections, materials, gemstones --------------------------------------------------------
def collections_for_api(*, language: str) -> QuerySet[Collection]:
    published = Q(products__status=PublicationStatus.PUBLISHED)
    return (
        Collection.objects.annotate(product_count=Count("products", filter=published))
        .prefetch_related(translations_prefetch(Collection, language))
        .order_by("position", "id")
    )


def materials_for_api(*, language: str) -> QuerySet[Material]:
    return Material.objects.prefetch_related(translations_prefetch(Material, language)).order_by(
        "kind", "slug"
    )


def gemstone_types_for_api(*, language: str) -> QuerySet[GemstoneType]:
    return GemstoneType.objects.prefetch_related(
        translations_prefetch(GemstoneType, language)
    ).order_by("slug")


# --- Products ---------------------------------------------------------------------------------
@dataclass
class ProductQuery:
    """Validated filters; prices already in the base currency, slugs already resolved."""

    category_ids: set[int] | None = None
    collection: Collection | None = None
    metal: Material | None = None
    gemstone: GemstoneType | None = None
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    in_stock: bool | None = None
    search: str = ""
    ordering: str = DEFAULT_ORDERING


def _filtered(query: ProductQuery, *, language: str) -> QuerySet[Product]:
    queryset = published_products()
    if query.category_ids is not None:
        queryset = queryset.filter(category_id__in=query.category_ids)
    if query.collection is not None:
        queryset = queryset.filter(
            Exists(
                Collection.products.through.objects.filter(
                    product_id=OuterRef("pk"), collection_id=query.collection.pk
                )
            )
        )
    if query.metal is not None:
        queryset = queryset.filter(
            Exists(ProductVariant.objects.filter(product=OuterRef("pk"), metal=query.metal))
        )
    if query.gemstone is not None:
        queryset = queryset.filter(
            Exists(
                ProductGemstone.objects.filter(product=OuterRef("pk"), gemstone_type=query.gemstone)
            )
        )
    # A product matches a price range when some of its prices fall inside it.
    if query.price_min is not None:
        queryset = queryset.filter(price_max__gte=query.price_min)
    if query.price_max is not None:
        queryset = queryset.filter(price_min__lte=query.price_max)
    if query.in_stock is not None:
        queryset = queryset.filter(in_stock=query.in_stock)
    translation_model = Product._parler_meta.root_model
    for word in search_words(query.search):
        queryset = queryset.filter(
            Exists(
                translation_model.objects.filter(
                    master=OuterRef("pk"),
                    language_code__in=fallback_languages(language),
                    name__icontains=word,
                )
            )
        )
    return queryset


def _on_sale() -> Exists:
    return Exists(
        ProductVariant.objects.filter(product=OuterRef("pk"), compare_at_price__gt=F("price"))
    )


def products_for_api(query: ProductQuery, *, language: str) -> QuerySet[Product]:
    """Published products matching `query`, with what a list item shows (constant queries)."""
    ordering = ORDERINGS.get(query.ordering, ORDERINGS[DEFAULT_ORDERING])
    return (
        _filtered(query, language=language)
        .annotate(on_sale=_on_sale())
        .select_related("category")
        .prefetch_related(
            translations_prefetch(Product, language),
            Prefetch(
                "images",
                queryset=ProductImage.objects.order_by("position", "id"),
                to_attr="ordered_images",
            ),
        )
        .order_by(*ordering)
    )


def product_for_api(*, handle: str, language: str) -> Product | None:
    """A published product with everything its detail shows, in a fixed number of queries."""
    return (
        published_products()
        .filter(handle=handle)
        .annotate(on_sale=_on_sale())
        .select_related("category__parent")
        .prefetch_related(
            translations_prefetch(Product, language),
            translations_prefetch(Category, language, "category__translations"),
            Prefetch(
                "variants",
                queryset=ProductVariant.objects.select_related("metal").order_by("position", "id"),
            ),
            translations_prefetch(Material, language, "variants__metal__translations"),
            Prefetch("images", queryset=ProductImage.objects.order_by("position", "id")),
            Prefetch(
                "gemstones",
                queryset=ProductGemstone.objects.select_related("gemstone_type").order_by("id"),
            ),
            translations_prefetch(GemstoneType, language, "gemstones__gemstone_type__translations"),
            Prefetch("materials", queryset=Material.objects.order_by("kind", "slug")),
            translations_prefetch(Material, language, "materials__translations"),
            Prefetch("collections", queryset=Collection.objects.order_by("position", "id")),
        )
        .first()
    )


def first_by_slug(model, slug: str):
    return model.objects.filter(slug=slug).first()
