"""Cart, checkout and order endpoints under /api/v1/ (orders.api)."""

urlpatterns: list = []
