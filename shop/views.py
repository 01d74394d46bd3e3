"""Site-wide pages: home, the currency switcher, and the job list's address from before issue 13."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST, require_safe

from catalog import selectors

from .language import content_language
from .middleware import CURRENCY_SESSION_KEY
from .params import safe_next_url

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


@require_POST
def set_currency(request: HttpRequest) -> HttpResponse:
    """Remembers the shopper's currency in the session and goes back where they were."""
    currency = request.POST.get("currency", "")
    if currency in settings.SHOP_CURRENCIES:
        request.session[CURRENCY_SESSION_KEY] = currency
    return HttpResponseRedirect(safe_next_url(request, request.POST.get("next")) or "/")


@require_safe
def old_job_admin_address(request: HttpRequest, rest: str | None = None) -> HttpResponse:
    """/admin/ai/job/<rest> (before issue 13 step 7 moved jobs to the kernel) ->
    /admin/shop/job/<rest>, permanently, with the query string; the admin checks who may see it
    there. Merchants' bookmarks of the job list, a job or its progress endpoint keep working."""
    target = reverse("admin:shop_job_changelist") + (rest or "")
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{target}?{query}" if query else target, permanent=True)
