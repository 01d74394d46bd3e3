"""Account, address book and wishlist endpoints under /api/v1/ (customers.api)."""

urlpatterns: list = []
