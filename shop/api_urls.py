"""REST API root: /api/v1/ (versioned) and the OpenAPI schema with its offline docs.

ReDoc is served by OfflineRedocView: drf-spectacular's stock page links Google Fonts.
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from .api import OfflineRedocView

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", OfflineRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("v1/", include("shop.api_v1_urls")),
]
