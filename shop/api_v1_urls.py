"""Version 1 of the REST API; each app contributes its endpoints from its api_urls.py."""

from django.urls import include, path

urlpatterns = [
    path("", include("customers.api_urls")),
    path("", include("orders.api_urls")),
]
