"""Template context shared by every storefront page."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from catalog.selectors import navigation_categories

from .language import request_language


def storefront(request) -> dict:
    language = request_language(request)
    return {
        "shop_name": settings.SHOP_NAME,
        "currencies": settings.SHOP_CURRENCIES,
        "current_currency": getattr(request, "currency", settings.SHOP_BASE_CURRENCY),
        # Lazy: pages that do not show the navigation (admin, errors) pay no query for it.
        "nav_categories": SimpleLazyObject(lambda: navigation_categories(language=language)),
    }
