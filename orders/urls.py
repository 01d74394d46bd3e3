"""Cart, checkout and order pages (language-prefixed: /en/cart/, /fr/checkout/...)."""

from django.urls import path

from . import views

app_name = "orders"

urlpatterns = [
    path("cart/", views.cart_detail, name="cart"),
    path("cart/add/", views.cart_add, name="cart_add"),
    path("cart/lines/<int:line_id>/", views.cart_line_update, name="cart_line_update"),
    path("cart/lines/<int:line_id>/remove/", views.cart_line_remove, name="cart_line_remove"),
    path("checkout/", views.checkout_details, name="checkout"),
    path("checkout/shipping/", views.checkout_shipping, name="checkout_shipping"),
    path("checkout/review/", views.checkout_review, name="checkout_review"),
    path("checkout/complete/<str:token>/", views.checkout_complete, name="checkout_complete"),
    path("orders/", views.order_history, name="order_history"),
    path("orders/track/<str:token>/", views.order_track, name="order_track"),
    path("orders/<str:number>/", views.order_detail, name="order_detail"),
    path("orders/<str:number>/cancel/", views.order_cancel, name="order_cancel"),
    path("orders/<str:number>/return/", views.order_return, name="order_return"),
    path("orders/<str:number>/address/", views.order_change_address, name="order_address"),
]
