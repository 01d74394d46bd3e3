"""Catalog endpoints under /api/v1/ (catalog.api)."""

from django.urls import path

from . import api

app_name = "catalog_api"

urlpatterns = [
    path("products/", api.ProductListView.as_view(), name="product-list"),
    path("products/<str:handle>/", api.ProductDetailView.as_view(), name="product-detail"),
    path("categories/", api.CategoryListView.as_view(), name="category-list"),
    path("categories/<str:slug>/", api.CategoryDetailView.as_view(), name="category-detail"),
    path("collections/", api.CollectionListView.as_view(), name="collection-list"),
    path("collections/<str:slug>/", api.CollectionDetailView.as_view(), name="collection-detail"),
    path("materials/", api.MaterialListView.as_view(), name="material-list"),
    path("gemstones/", api.GemstoneListView.as_view(), name="gemstone-list"),
]
