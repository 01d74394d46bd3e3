"""The storefront's search page and its autocomplete (the shopper-facing side of ai.search).

Moved from catalog (issue 13): the pages live beside the ranking they show, so catalog never
calls ai. They read products with catalog's selectors and share the listings' paging and
query-string helpers (catalog.views.per_page, catalog.views.query_without).
"""

from decimal import Decimal

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from catalog import selectors
from catalog import views as catalog_views
from shop.language import content_language
from shop.money import format_price
from shop.params import page_number

from .search import ranking, suggest
from .search.ranking import SearchFilters

MAX_QUERY_LENGTH = 200


MAX_FILTER_VALUES = 20


def _toggle(request: HttpRequest, name: str, value: str) -> str:
    """The current query string with one value of a list parameter added or removed."""
    params = request.GET.copy()
    params.pop("page", None)
    values = params.getlist(name)
    params.setlist(name, [v for v in values if v != value] if value in values else [*values, value])
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else request.path


def _price_bucket(value: str) -> tuple[Decimal | None, Decimal | None]:
    """A price facet value "100-250" or "5000-" (base currency); nonsense gives no limit."""
    low, _sep, high = (value or "").partition("-")
    try:
        bounds = [Decimal(part) if part else None for part in (low, high)]
    except ArithmeticError:
        return None, None
    if any(b is not None and (not b.is_finite() or b < 0 or b > 10**9) for b in bounds):
        return None, None
    return bounds[0], bounds[1]


def search(request: HttpRequest) -> HttpResponse:
    """Ranked search (ai.search.ranking) with facets, chips and highlighting."""
    language = content_language()
    currency = getattr(request, "currency", settings.SHOP_BASE_CURRENCY)
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    tree = selectors.category_tree(language=language)
    context = {
        "nav_categories": tree.roots,
        "query": query,
        "suggestions": tree.roots[:8],
        "page_obj": None,
        "products": [],
    }
    if not selectors.search_words(query):
        return render(request, "ai/search.html", context)

    def values(name: str) -> list[str]:
        return [v[:80] for v in request.GET.getlist(name) if v][:MAX_FILTER_VALUES]

    price = request.GET.get("price", "")[:40]
    price_min, price_max = _price_bucket(price)
    filters = SearchFilters(
        metals=values("metal"),
        gemstones=values("gemstone"),
        categories=values("category"),
        price_min=price_min,
        price_max=price_max,
        ignore=values("ignore"),
    )
    number = page_number(request.GET.get("page"), last_page=99_999)
    per_page = catalog_views.per_page()
    result = ranking.search(
        query,
        language=language,
        filters=filters,
        limit=per_page,
        offset=(number - 1) * per_page,
        currency=currency,
    )
    paginator = Paginator(range(result.total), per_page)
    page = paginator.get_page(number)
    if page.number != number and result.total:  # past the last page: show the last one
        result = ranking.search(
            query,
            language=language,
            filters=filters,
            limit=per_page,
            offset=(page.number - 1) * per_page,
            currency=currency,
        )
    found = {
        product.pk: product
        for product in selectors.with_card_data(
            selectors.published_products().filter(pk__in=result.product_ids), language=language
        )
    }
    products = [found[pk] for pk in result.product_ids if pk in found]
    for product in products:
        name = product.safe_translation_getter("name", default=product.handle)
        product.highlighted_name = suggest.highlight(name, result.matched_terms)

    chips = []
    for item in result.recognised if not result.relaxed else []:
        label = item.label
        if item.kind == "price":
            label = item.phrase
        chips.append(
            {"label": label, "kind": item.kind, "url": _toggle(request, "ignore", item.key)}
        )
    facets = {}
    for name, options in result.facets.items():
        facets[name] = [
            {
                "label": option.label,
                "count": option.count,
                "selected": option.selected or (name == "price" and option.value == price),
                "url": _toggle(request, name, option.value),
            }
            for option in options
        ]
    for option, raw in zip(facets.get("price", []), result.facets.get("price", []), strict=True):
        low, high = _price_bucket(raw.value)
        option["label"] = _price_label(low, high, currency=currency, language=language)
    for name in ("metal", "gemstone", "category"):
        for option in facets.get(name, []):
            if option["selected"]:
                chips.append({"label": option["label"], "kind": name, "url": option["url"]})
    if price_min is not None or price_max is not None:
        chips.append(
            {
                "label": _price_label(price_min, price_max, currency=currency, language=language),
                "kind": "price",
                "url": catalog_views.query_without(request, "price"),
            }
        )
    did_you_mean = []
    if not result.total:
        did_you_mean = suggest.search_autocomplete(query[:60], language=language, limit=5)
    page_range = list(paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))
    context.update(
        page_obj=page if result.total else None,
        page_range=page_range,
        products=products,
        total=result.total,
        chips=chips,
        facets=facets,
        relaxed=result.relaxed,
        corrected_query=result.corrected_query,
        did_you_mean=did_you_mean,
        currency=currency,
    )
    return render(request, "ai/search.html", context)


def _price_label(low, high, *, currency: str, language: str) -> str:
    if low is not None and high is not None:
        return _("%(low)s to %(high)s") % {
            "low": format_price(low, currency=currency, language=language),
            "high": format_price(high, currency=currency, language=language),
        }
    if low is not None:
        return _("From %(low)s") % {"low": format_price(low, currency=currency, language=language)}
    if high is not None:
        return _("Up to %(high)s") % {
            "high": format_price(high, currency=currency, language=language)
        }
    return ""


def search_suggest(request: HttpRequest) -> JsonResponse:
    """Autocomplete for the header search box: {"query", "suggestions": [{text, kind, url}]}."""
    language = content_language()
    prefix = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    suggestions = []
    if prefix:
        for item in suggest.search_autocomplete(prefix, language=language, limit=8):
            if item["kind"] == "product":
                url = reverse("catalog:product", kwargs={"handle": item["value"]})
            elif item["kind"] == "category":
                url = reverse("catalog:category", kwargs={"slug": item["value"]})
            else:
                url = f"{reverse('search:results')}?{urlencode({'q': item['text']})}"
            suggestions.append({"text": item["text"], "kind": item["kind"], "url": url})
    response = JsonResponse({"query": prefix, "suggestions": suggestions})
    response["Cache-Control"] = "private, max-age=60"
    return response
