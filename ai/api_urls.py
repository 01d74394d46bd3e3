"""AI endpoints under /api/v1/: search (ai.api_search) and recommendations (ai.api)."""

from django.urls import path

from . import api, api_search

app_name = "ai_api"

urlpatterns = [
    path("search/", api_search.SearchView.as_view(), name="search"),
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
