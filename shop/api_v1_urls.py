"""Version 1 of the REST API; each app contributes its endpoints from its api_urls.py."""

from django.urls import include, path, re_path

from shop.api import not_found

urlpatterns = [
    path("", include("catalog.api_urls")),
    path("", include("reviews.api_urls")),
    path("", include("customers.api_urls")),
    path("", include("orders.api_urls")),
    path("", include("ai.api_urls")),
    path("", include("assistant.api_urls")),
    # Last: any other address under /api/v1/ answers a JSON 404, not the storefront's HTML page.
    re_path(r"^(?P<path>.*)$", not_found, name="api-not-found"),
]
