"""Recommendation endpoints under /api/v1/ (ai.api)."""

from django.urls import path

from . import api

app_name = "ai_api"

urlpatterns = [
    path("recommendations/", api.ShopperRecommendationsView.as_view(), name="recommendations"),
    path(
        "products/<str:handle>/similar/",
        api.SimilarProductsView.as_view(),
        name="product-similar",
    ),
    # HTML for the product page (not part of the JSON API's schema).
    path(
        "products/<str:handle>/recommendations/",
        api.product_recommendations_fragment,
        name="product-recommendations",
    ),
]
