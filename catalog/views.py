"""Storefront pages of the catalog (thin: parse input, call a selector, render)."""

from decimal import Decimal

from babel.numbers import format_currency
from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from shop.language import content_language
from shop.middleware import CURRENCY_SESSION_KEY
from shop.money import babel_locale, convert_price, format_price, to_base
from shop.params import positive_int

from . import selectors
from .cache import listing_cached
from .forms import SORT_CHOICES, ListingFilterForm
from .models import Category, Collection, Product
from .option_labels import OptionTexts, is_ring_size, option_texts_for_product
from .ring_sizes import shopper_scale
from .signals import announce_product_viewed
from .templatetags.storefront import LOW_STOCK, availability_label


def per_page() -> int:
    """Products per listing page (SHOP_PRODUCTS_PER_PAGE)."""
    return max(1, int(getattr(settings, "SHOP_PRODUCTS_PER_PAGE", 24) or 24))


class _CountedPaginator(Paginator):
    """A paginator told its total: the count of a listing is cached with its facets."""

    def __init__(self, object_list, per_page, *, total: int):
        super().__init__(object_list, per_page)
        self._total = total

    @property
    def count(self) -> int:
        return self._total


def _paginate(request: HttpRequest, queryset, *, total: int | None = None):
    """The requested page; a missing, garbled or out-of-range number gives the first or last."""
    if total is None:
        paginator = Paginator(queryset, per_page())
    else:
        paginator = _CountedPaginator(queryset, per_page(), total=total)
    page = paginator.get_page(request.GET.get("page"))
    page_range = list(paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))
    return page, page_range


def query_without(request: HttpRequest, name: str, value: str | None = None) -> str:
    """The current query string without one filter value (or the whole parameter)."""
    params = request.GET.copy()
    params.pop("page", None)
    if value is None:
        params.pop(name, None)
    else:
        params.setlist(name, [item for item in params.getlist(name) if item != value])
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else request.path


def _listing(
    request: HttpRequest,
    *,
    base,
    tree: selectors.CategoryTree,
    heading: str,
    intro: str = "",
    category: Category | None = None,
    collection: Collection | None = None,
    category_choices: list[Category],
    extra: dict | None = None,
) -> HttpResponse:
    language = content_language()
    currency = getattr(request, "currency", settings.SHOP_BASE_CURRENCY)
    form = ListingFilterForm(request.GET)
    form.is_valid()

    # Only categories this page can narrow to are honoured; others are quietly dropped.
    scope = tree.descendant_ids(category) if category else set(tree.by_id)
    chosen_categories = [
        tree.by_slug[slug]
        for slug in form.value("category", [])
        if slug in tree.by_slug and tree.by_slug[slug].pk in scope
    ]
    category_ids = None
    if chosen_categories:
        category_ids = set().union(*(tree.descendant_ids(c) for c in chosen_categories))

    price_min, price_max = form.value("price_min"), form.value("price_max")
    filters = selectors.ListingFilters(
        metals=selectors.metals_by_slug(form.value("metal", [])),
        gemstones=selectors.gemstones_by_slug(form.value("gemstone", [])),
        category_ids=category_ids,
        # Limits typed in the shopper's currency: shop.money.to_base's rule (a product shown
        # at exactly a limit is found).
        price_min=None if price_min is None else to_base(price_min, currency, rounding="min"),
        price_max=None if price_max is None else to_base(price_max, currency, rounding="max"),
        in_stock=bool(form.value("in_stock", False)),
    )
    sort = form.value("sort", selectors.SORT_FEATURED)
    products = selectors.product_listing(base=base, filters=filters, sort=sort, language=language)

    def count_and_facets() -> tuple[int, dict]:
        # Both scan every matching product: cached together (see catalog/cache.py).
        return products.count(), {
            "category": selectors.category_facet(
                base=base,
                filters=filters,
                tree=tree,
                choices=category_choices,
                selected={c.slug for c in chosen_categories},
            ),
            "metal": selectors.metal_facet(base=base, filters=filters, language=language),
            "gemstone": selectors.gemstone_facet(base=base, filters=filters, language=language),
        }

    cache_parts = (
        request.path,
        language,
        currency,
        sorted((k, v) for k, v in request.GET.lists() if k not in ("page", "sort")),
    )
    total, facets = listing_cached(cache_parts, count_and_facets)
    page, page_range = _paginate(request, products, total=total)

    active_filters = []
    for name, options in facets.items():
        for option in options:
            if option.selected:
                active_filters.append(
                    {"label": option.label, "url": query_without(request, name, option.value)}
                )
    if price_min is not None or price_max is not None:
        low = format_price_plain(price_min, currency=currency, language=language)
        high = format_price_plain(price_max, currency=currency, language=language)
        if price_min is not None and price_max is not None:
            label = _("%(low)s to %(high)s") % {"low": low, "high": high}
        elif price_min is not None:
            label = _("From %(low)s") % {"low": low}
        else:
            label = _("Up to %(high)s") % {"high": high}
        params = request.GET.copy()
        for key in ("price_min", "price_max", "page"):
            params.pop(key, None)
        active_filters.append(
            {"label": label, "url": f"?{params.urlencode()}" if params else request.path}
        )
    if filters.in_stock:
        active_filters.append(
            {"label": _("In stock only"), "url": query_without(request, "in_stock")}
        )

    context = {
        "nav_categories": tree.roots,
        "heading": heading,
        "intro": intro,
        "category": category,
        "collection": collection,
        "breadcrumbs": _category_breadcrumbs(tree, category),
        "active_category_ids": _active_ids(tree, category),
        "page_obj": page,
        "page_range": page_range,
        "products": page.object_list,
        "facets": facets,
        "active_filters": active_filters,
        "ignored_filters": form.ignored(),
        "sort": sort,
        "sort_choices": SORT_CHOICES,
        "price_min": "" if price_min is None else price_min,
        "price_max": "" if price_max is None else price_max,
        "in_stock": filters.in_stock,
        "currency": currency,
        "is_filtered": bool(active_filters),
        "clear_url": request.path,
        **(extra or {}),
    }
    return render(request, "catalog/product_list.html", context)


def format_price_plain(amount: Decimal | None, *, currency: str, language: str) -> str:
    """An amount the shopper typed in their currency, formatted (no conversion)."""
    if amount is None:
        return ""
    return format_currency(amount, currency, locale=babel_locale(language))


def _category_breadcrumbs(tree: selectors.CategoryTree, category: Category | None) -> list:
    if category is None:
        return []
    return [*tree.ancestors(category), category]


def _active_ids(tree: selectors.CategoryTree, category: Category | None) -> set[int]:
    if category is None:
        return set()
    return {c.pk for c in _category_breadcrumbs(tree, category)}


def product_list(request: HttpRequest) -> HttpResponse:
    language = content_language()
    tree = selectors.category_tree(language=language)
    return _listing(
        request,
        base=selectors.published_products(),
        tree=tree,
        heading=_("All jewellery"),
        category_choices=tree.roots,
    )


def category_detail(request: HttpRequest, slug: str) -> HttpResponse:
    language = content_language()
    tree = selectors.category_tree(language=language)
    category = tree.by_slug.get(slug)
    if category is None:
        raise Http404(_("No such category."))
    base = selectors.published_products().filter(category_id__in=tree.descendant_ids(category))
    return _listing(
        request,
        base=base,
        tree=tree,
        heading=category.safe_translation_getter("name", default=category.slug),
        intro=category.safe_translation_getter("description", default=""),
        category=category,
        category_choices=list(category.children.all()),
        extra={
            "seo_title": category.safe_translation_getter("seo_title", default=""),
            "seo_description": category.safe_translation_getter("seo_description", default=""),
        },
    )


def collection_detail(request: HttpRequest, slug: str) -> HttpResponse:
    language = content_language()
    collection = selectors.collection_by_slug(slug=slug, language=language)
    if collection is None:
        raise Http404(_("No such collection."))
    tree = selectors.category_tree(language=language)
    return _listing(
        request,
        base=selectors.published_products().filter(collections=collection),
        tree=tree,
        heading=collection.label or collection.slug,
        intro=collection.intro,
        collection=collection,
        category_choices=tree.roots,
    )


# --- Product page -----------------------------------------------------------------------------
def _option_groups(product: Product, variants: list, selected, texts: OptionTexts) -> list[dict]:
    """The product's named options (Metal, Ring size...) with their values in variant order.

    Each value keeps its source text (what the variant picker matches variants on) beside the
    label shown in the shopper's language; a ring size reads in the shopper's scale, with the
    catalog's size beside it ("54 (US 7)"), in the select's own text where every shopper and
    screen reader gets it."""
    groups = []
    for index in (1, 2, 3):
        values = []
        ring_values = set()
        for variant in variants:
            value = getattr(variant, f"option{index}")
            if value and value not in values:
                values.append(value)
            if value and is_ring_size(variant, value):
                ring_values.add(value)
        if not values:
            continue
        name = texts.name(getattr(product, f"option{index}_name")) or _("Option %(number)d") % {
            "number": index
        }
        groups.append(
            {
                "index": index,
                "name": name,
                "values": values,
                "choices": [
                    {
                        "value": value,
                        "label": texts.ring_size(value)
                        if value in ring_values
                        else texts.value(value),
                    }
                    for value in values
                ],
                "selected": getattr(selected, f"option{index}", "") if selected else "",
            }
        )
    return groups


def _select_variant(request: HttpRequest, variants: list):
    wanted = positive_int(request.GET.get("variant"))
    for variant in variants:
        if wanted is not None and variant.pk == wanted:
            return variant
    for variant in variants:
        if variant.stock_quantity > 0:
            return variant
    return variants[0] if variants else None


def _record_view(request: HttpRequest, product, language: str) -> None:
    """Announces the view (ai records one event for the recommender). A guest's view counts
    only when they already have a session (they chose a currency, filled a bag...): a
    cookieless visitor, a bot most often, must not create a session row and an event on
    every page it fetches."""
    if not request.user.is_authenticated:
        # Loading it drops a made-up or expired cookie's key (one indexed read, which the
        # bag in the page header needs anyway).
        request.session.get(CURRENCY_SESSION_KEY)
        if not request.session.session_key:
            return
    announce_product_viewed(
        product_id=product.pk,
        user=request.user,
        session_key=request.session.session_key or "",
        language=language,
    )


def product_detail(request: HttpRequest, handle: str) -> HttpResponse:
    language = content_language()
    product = selectors.product_for_page(handle=handle, language=language)
    if product is None:
        raise Http404(_("No such product."))
    # A draft is previewed by staff who may see the catalog in the admin, and nobody else.
    if not product.is_published and not request.user.has_perm("catalog.view_product"):
        raise Http404(_("No such product."))
    if product.is_published:
        _record_view(request, product, language)

    currency = getattr(request, "currency", settings.SHOP_BASE_CURRENCY)
    tree = selectors.category_tree(language=language)
    category = tree.by_id.get(product.category_id)
    variants = list(product.variants.all())
    images = list(product.images.all())
    image_index = {image.pk: position for position, image in enumerate(images)}
    selected = _select_variant(request, variants)
    option_texts = option_texts_for_product(
        product, variants, language=language, ring_scale=shopper_scale(request)
    )
    option_groups = _option_groups(product, variants, selected, option_texts)

    def money(amount):
        return format_price(amount, currency=currency, language=language)

    variant_data = [
        {
            "id": variant.pk,
            "options": [variant.option1, variant.option2, variant.option3],
            "title": option_texts.variant_title(variant),
            "sku": variant.sku,
            "price": money(variant.price),
            "compare_at": money(variant.compare_at_price) if variant.is_on_sale else "",
            "available": variant.stock_quantity > 0,
            "low": 0 < variant.stock_quantity <= LOW_STOCK,
            "availability": availability_label(variant.stock_quantity),
            "image": image_index.get(variant.image_id),
        }
        for variant in variants
    ]

    materials, seen = [], set()
    for material in product.materials.all():
        seen.add(material.pk)
        materials.append(
            {
                "name": material.label or material.slug,
                "colour": selectors.safe_colour(material.colour_hex),
            }
        )
    for variant in variants:
        if variant.metal_id and variant.metal_id not in seen:
            seen.add(variant.metal_id)
            materials.append(
                {
                    "name": variant.metal_label or variant.metal.slug,
                    "colour": selectors.safe_colour(variant.metal.colour_hex),
                }
            )
    purities = []
    for variant in variants:
        if variant.purity and variant.get_purity_display() not in purities:
            purities.append(variant.get_purity_display())

    name = product.safe_translation_getter("name", default=product.handle)
    description = product.safe_translation_getter("description", default="")
    plain_description = " ".join(strip_tags(description).split())
    seo_description = product.safe_translation_getter("seo_description", default="") or (
        Truncator(plain_description).chars(160)
    )
    context = {
        "nav_categories": tree.roots,
        "active_category_ids": _active_ids(tree, category),
        "breadcrumbs": _category_breadcrumbs(tree, category),
        "product": product,
        "product_name": name,
        "description": description,
        "seo_title": product.safe_translation_getter("seo_title", default="") or name,
        "seo_description": seo_description,
        "images": images,
        "variants": variants,
        "selected_variant": selected,
        "selected_data": next(
            (d for d in variant_data if selected and d["id"] == selected.pk), None
        ),
        "option_groups": option_groups,
        "show_picker": len(variants) > 1,
        "variant_json": {"options": [g["index"] for g in option_groups], "variants": variant_data},
        "materials": materials,
        "purities": purities,
        "gemstones": list(product.gemstones.all()),
        "is_preview": not product.is_published,
        "json_ld": _product_json_ld(
            request, product, name, plain_description, images, variants, currency
        ),
    }
    return render(request, "catalog/product_detail.html", context)


def _product_json_ld(request, product, name, description, images, variants, currency) -> dict:
    """schema.org Product with its offers, for search engines."""
    availability = (
        "https://schema.org/InStock" if product.in_stock else "https://schema.org/OutOfStock"
    )
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": name,
        "description": description[:5000],
        "sku": variants[0].sku if variants and variants[0].sku else product.handle,
        "url": request.build_absolute_uri(product.get_absolute_url()),
        "brand": {"@type": "Brand", "name": product.vendor or settings.SHOP_NAME},
    }
    if images:
        data["image"] = [request.build_absolute_uri(image.image.url) for image in images[:6]]
    if variants:
        low, shown_currency = convert_price(product.price_min, currency=currency)
        high, _currency = convert_price(product.price_max, currency=currency)
        if len(variants) == 1:
            data["offers"] = {
                "@type": "Offer",
                "price": str(low),
                "priceCurrency": shown_currency,
                "availability": availability,
                "url": data["url"],
            }
        else:
            data["offers"] = {
                "@type": "AggregateOffer",
                "lowPrice": str(low),
                "highPrice": str(high),
                "priceCurrency": shown_currency,
                "offerCount": len(variants),
                "availability": availability,
            }
    return data
