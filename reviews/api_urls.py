"""Review endpoints under /api/v1/ (reviews.api); the address is under the product's, as when
reviews were part of catalog's API."""

from django.urls import path

from . import api

app_name = "reviews_api"

urlpatterns = [
    path(
        "products/<str:handle>/reviews/",
        api.ProductReviewsView.as_view(),
        name="product-reviews",
    ),
]
