"""Cart, checkout and order endpoints under /api/v1/ (orders.api)."""

from django.urls import path

from . import api

urlpatterns = [
    path("cart/", api.CartView.as_view(), name="api-cart"),
    path("cart/lines/", api.CartLinesView.as_view(), name="api-cart-lines"),
    path("cart/lines/<int:line_id>/", api.CartLineView.as_view(), name="api-cart-line"),
    path("checkout/", api.CheckoutView.as_view(), name="api-checkout"),
    path("checkout/quote/", api.CheckoutQuoteView.as_view(), name="api-checkout-quote"),
    path("orders/", api.OrderListView.as_view(), name="api-orders"),
    path("orders/<str:number>/", api.OrderDetailView.as_view(), name="api-order"),
]
