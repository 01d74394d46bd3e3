"""The catalog's reads: one package, one module per audience.

- `catalog.selectors.storefront`: the pages' reads (listings, facets, product page, navigation)
  and the helpers every read shares (fallback languages, the translations prefetch, a query's
  words). Re-exported here, so `from catalog import selectors` / `from catalog.selectors import x`
  (the storefront, ai, assistant, customers, events) keep working unchanged.
- `catalog.selectors.api`: what the REST API's shapes need (it was `catalog/api_selectors.py`);
  import it by its own name, it is not re-exported, so its `translated`/`ORDERINGS` never shadow
  a storefront name.

Private helpers (leading underscore) are not re-exported: import them from `storefront` if you
really must.
"""

from __future__ import annotations

from .storefront import (
    MAX_SEARCH_WORDS,
    SORT_FEATURED,
    SORT_NEWEST,
    SORT_ORDERINGS,
    SORT_PRICE_ASC,
    SORT_PRICE_DESC,
    CategoryTree,
    FacetOption,
    ListingFilters,
    catalog_version,
    category_cover_ids,
    category_facet,
    category_tree,
    collection_by_slug,
    fallback_languages,
    featured_collections,
    gemstone_facet,
    gemstones_by_slug,
    images_by_id,
    metal_facet,
    metals_by_slug,
    navigation_categories,
    new_arrivals,
    product_for_page,
    product_listing,
    product_states,
    products_search_dirty,
    published_products,
    safe_colour,
    search_products_simple,
    search_words,
    translations_prefetch,
    with_card_data,
)

__all__ = [
    "MAX_SEARCH_WORDS",
    "SORT_FEATURED",
    "SORT_NEWEST",
    "SORT_ORDERINGS",
    "SORT_PRICE_ASC",
    "SORT_PRICE_DESC",
    "CategoryTree",
    "FacetOption",
    "ListingFilters",
    "catalog_version",
    "category_cover_ids",
    "category_facet",
    "category_tree",
    "collection_by_slug",
    "fallback_languages",
    "featured_collections",
    "gemstone_facet",
    "gemstones_by_slug",
    "images_by_id",
    "metal_facet",
    "metals_by_slug",
    "navigation_categories",
    "new_arrivals",
    "product_for_page",
    "product_listing",
    "product_states",
    "products_search_dirty",
    "published_products",
    "safe_colour",
    "search_products_simple",
    "search_words",
    "translations_prefetch",
    "with_card_data",
]
