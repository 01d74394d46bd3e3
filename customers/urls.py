from django.urls import path

from . import (
    signals_login,  # noqa: F401  (the session follows the customer's preferences)
    views,
)

app_name = "customers"

urlpatterns = [
    path("", views.account, name="account"),
    path("register/", views.register, name="register"),
    path("login/", views.CustomerLoginView.as_view(), name="login"),
    path("logout/", views.CustomerLogoutView.as_view(), name="logout"),
    path("password/", views.CustomerPasswordChangeView.as_view(), name="password_change"),
    path("password/reset/", views.CustomerPasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        views.CustomerPasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.CustomerPasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        views.CustomerPasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("profile/", views.profile, name="profile"),
    path("tokens/", views.api_tokens, name="api_tokens"),
    path("tokens/<int:token_id>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("addresses/", views.address_list, name="addresses"),
    path("addresses/add/", views.address_add, name="address_add"),
    path("addresses/<int:address_id>/", views.address_edit, name="address_edit"),
    path("addresses/<int:address_id>/delete/", views.address_delete, name="address_delete"),
    path(
        "addresses/<int:address_id>/default/",
        views.address_set_default,
        name="address_set_default",
    ),
    path("wishlist/", views.wishlist, name="wishlist"),
    path("wishlist/add/<slug:handle>/", views.wishlist_add, name="wishlist_add"),
    path("wishlist/remove/<slug:handle>/", views.wishlist_remove, name="wishlist_remove"),
]
