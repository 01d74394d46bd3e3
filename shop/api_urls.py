"""REST API root: /api/v1/ (versioned) and the OpenAPI schema with its offline docs.

ReDoc is served by OfflineRedocView: drf-spectacular's stock page links Google Fonts. Swagger UI
is the split view: its start-up script is served from /api/docs/?script, not inline, so the
Content-Security-Policy needs no 'unsafe-inline'.
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from .api import OfflineRedocView

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", OfflineRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("v1/", include("shop.api_v1_urls")),
]
