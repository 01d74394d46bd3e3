"""The storefront's home page: featured collections, new arrivals, category tiles.

Catalog's page (issue 13: it lived in the kernel, which then imported catalog); mounted at the
language root by catalog.root_urls with the URL name "home".
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from shop.language import content_language

from . import selectors

NEW_ARRIVALS = 8
# Where a merchant looking at an empty store should go; the first that exists wins.
_ADMIN_IMPORT_URL_NAMES = (
    "admin:catalog_product_import",
    "admin:catalog_product_changelist",
    "admin:index",
)


def _admin_import_url() -> str:
    for name in _ADMIN_IMPORT_URL_NAMES:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return ""


def home(request: HttpRequest) -> HttpResponse:
    language = content_language()
    tree = selectors.category_tree(language=language)
    collections = selectors.featured_collections(language=language)
    arrivals = selectors.new_arrivals(language=language, limit=NEW_ARRIVALS)
    tiles = tree.roots[:8]
    category_covers = selectors.category_cover_ids(categories=tiles) if arrivals else {}
    images = selectors.images_by_id(
        [c.cover_id for c in collections] + list(category_covers.values())
    )
    for collection in collections:
        collection.cover = images.get(collection.cover_id)
    for category in tiles:
        category.cover = images.get(category_covers.get(category.pk))
    context = {
        "nav_categories": tree.roots,
        "collections": collections,
        "new_arrivals": arrivals,
        "category_tiles": tiles,
        "admin_import_url": _admin_import_url() if request.user.is_staff else "",
    }
    return render(request, "home.html", context)
