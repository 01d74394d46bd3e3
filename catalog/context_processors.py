"""Template context of every storefront page that catalog provides: the navigation."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from shop.language import request_language

from .selectors import navigation_categories


def navigation(request: HttpRequest) -> dict:
    language = request_language(request)
    # Lazy: pages that do not show the navigation (admin, errors) pay no query for it.
    return {
        "nav_categories": SimpleLazyObject(lambda: navigation_categories(language=language)),
    }
