"""Template helpers for the storefront: language alternates, product pictures, availability."""

from babel.core import UnknownLocaleError
from babel.numbers import get_currency_symbol
from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import translate_url
from django.utils.translation import get_language_info, ngettext
from django.utils.translation import gettext as _

from shop.language import content_language
from shop.money import babel_locale

register = template.Library()

PLACEHOLDER_IMAGE = "img/placeholder.svg"
# Up to this many pieces left, the shopper is told exactly how many.
LOW_STOCK = 3


def translated_path(path: str, language: str) -> str:
    """`path` (with its query string) in `language`; a path no view knows keeps its own rest."""
    translated = translate_url(path, language)
    current = content_language()
    if translated == path and language != current:
        prefix = f"/{current}/"
        if path.startswith(prefix):
            translated = f"/{language}/{path[len(prefix) :]}"
    return translated


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """Every language of the shop with this page's address in it (for hreflang and switcher)."""
    request = context.get("request")
    if request is None:
        return []
    current = content_language()
    links = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        path = translated_path(request.path, code)
        links.append(
            {
                "code": code,
                "name": info["name_local"],
                "bidi": info["bidi"],
                "current": code == current,
                "path": path,
                "next": translated_path(request.get_full_path(), code),
                "absolute": request.build_absolute_uri(path),
            }
        )
    return links


@register.simple_tag(takes_context=True)
def absolute_url(context, path: str = "") -> str:
    request = context.get("request")
    if request is None:
        return path
    return request.build_absolute_uri(path or request.path)


@register.filter
def card_image(product):
    """The product's first picture, from whichever prefetch the page made; None without one."""
    images = getattr(product, "ordered_images", None)
    if images is None:
        images = list(product.images.all())
    return images[0] if images else None


@register.simple_tag
def image_src(image, size: str = "thumbnail") -> str:
    """URL of a picture's thumbnail (or the full image), or of the local placeholder."""
    # Templates pass "" for a missing picture (images.0 of an empty list), not only None.
    thumbnail, original = getattr(image, "thumbnail", None), getattr(image, "image", None)
    if size == "thumbnail" and thumbnail:
        return thumbnail.url
    if original:
        return original.url
    return static(PLACEHOLDER_IMAGE)


def availability_label(stock: int) -> str:
    if stock <= 0:
        return _("Out of stock")
    if stock <= LOW_STOCK:
        return ngettext("Only %(count)d left", "Only %(count)d left", stock) % {"count": stock}
    return _("In stock")


@register.filter
def availability(variant) -> str:
    return availability_label(variant.stock_quantity if variant is not None else 0)


@register.simple_tag
def currency_symbol(code: str) -> str:
    """The symbol shoppers of the current language know the currency by (€, ￥, د.إ.‏...)."""
    try:
        return get_currency_symbol(code, locale=babel_locale(content_language()))
    except (UnknownLocaleError, ValueError):  # a bad setting must not take the page down
        return code
