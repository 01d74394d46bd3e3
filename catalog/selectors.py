"""Reads from the catalog, shaped so each page costs a constant number of queries."""

from django.db.models import QuerySet

from .models import Category


def navigation_categories(*, language: str) -> list[Category]:
    """Top-level categories with their children, for the header navigation."""
    categories = Category.objects.filter(parent__isnull=True).prefetch_related(
        "translations", "children__translations"
    )
    result = list(categories)
    for category in result:
        category.set_current_language(language)
    return result


def published_products() -> QuerySet:
    from .models import Product, PublicationStatus

    return Product.objects.filter(status=PublicationStatus.PUBLISHED)
