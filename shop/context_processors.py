"""Template context shared by every storefront page (the navigation: catalog.context_processors)."""

from django.conf import settings


def storefront(request) -> dict:
    return {
        "shop_name": settings.SHOP_NAME,
        "currencies": settings.SHOP_CURRENCIES,
        "current_currency": getattr(request, "currency", settings.SHOP_BASE_CURRENCY),
    }
