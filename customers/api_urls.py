"""Account, address book and wishlist endpoints under /api/v1/ (customers.api)."""

from django.urls import path

from . import api

urlpatterns = [
    path("account/", api.ProfileView.as_view(), name="api-account"),
    path("account/register/", api.RegisterView.as_view(), name="api-account-register"),
    path("account/token/", api.TokenView.as_view(), name="api-account-token"),
    path("account/tokens/", api.ApiTokenListView.as_view(), name="api-account-tokens"),
    path(
        "account/tokens/<int:token_id>/",
        api.ApiTokenDetailView.as_view(),
        name="api-account-token-detail",
    ),
    path("account/addresses/", api.AddressListView.as_view(), name="api-account-addresses"),
    path(
        "account/addresses/<int:address_id>/",
        api.AddressDetailView.as_view(),
        name="api-account-address",
    ),
    path("wishlist/", api.WishlistView.as_view(), name="api-wishlist"),
    path("wishlist/<slug:handle>/", api.WishlistItemView.as_view(), name="api-wishlist-item"),
]
