"""REST API of the cart, checkout and orders under /api/v1/ (thin: validate, call, shape).

Guests are recognised by their session cookie, signed-in customers by session or token.
A customer only ever reaches their own cart lines and orders: anything else is a 404, the
same answer as for an id that does not exist. Writes are throttled (scope "writes"); a guest
whose cart lives in a session cookie must send the CSRF token (cookie "csrftoken", header
X-CSRFToken), as signed-in session users do, so another site cannot act on their cart.
"""

from django.conf import settings
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import APIException
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import SAFE_METHODS, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.models import ProductVariant
from shop.api import WriteThrottledAPIView
from shop.language import request_language

from . import selectors, services
from .cart_session import cart_for_request
from .models import CartLine, Order
from .serializers import (
    CartLineCreateInput,
    CartLineUpdateInput,
    CartOutput,
    CheckoutInput,
    OrderOutput,
    OrderSummaryOutput,
    QuoteInput,
    QuoteOutput,
)
from .services.checkout import IDEMPOTENCY_KEY_RE

try:  # the project-wide error component, when shop.api provides it
    from shop.api import ErrorSerializer as ErrorOutput
except ImportError:  # pragma: no cover
    from .serializers import ErrorOutput

ERRORS = {
    400: OpenApiResponse(ErrorOutput, description="Invalid input"),
    404: OpenApiResponse(ErrorOutput, description="Not found (or not yours)"),
}


class ApiError(APIException):
    """An error in the API's one shape: {"error": message, "code": code, "detail": ...}.

    `detail` holds the field errors of invalid input, else {"detail": message} as DRF has it.
    """

    def __init__(self, message: str, *, code: str = "invalid", status_code: int = 400, detail=None):
        self.status_code = status_code
        message = str(message)
        body = {
            "error": message,
            "code": code,
            "detail": detail if detail is not None else {"detail": message},
        }
        super().__init__(detail=body)


def _invalid(serializer) -> ApiError:
    messages = []
    for name, errors in serializer.errors.items():
        texts = errors if isinstance(errors, list) else [errors]
        for text in texts:
            if isinstance(text, dict):  # a nested serializer (the address)
                text = "; ".join(
                    f"{key}: {' '.join(map(str, value))}" for key, value in text.items()
                )
            messages.append(str(text) if name == "non_field_errors" else f"{name}: {text}")
    return ApiError(" ".join(messages) or _("Invalid request."), detail=serializer.errors)


def _from_service(error: services.OrderError) -> ApiError:
    return ApiError(error.message, code=error.code, status_code=error.http_status)


def _validated(serializer_class, data):
    serializer = serializer_class(data=data)
    if not serializer.is_valid():
        raise _invalid(serializer)
    return serializer.validated_data


def _currency(request, chosen: str | None = None) -> str:
    chosen = chosen or request.query_params.get("currency")
    if chosen in settings.SHOP_CURRENCIES:
        return chosen
    return getattr(request, "currency", settings.SHOP_BASE_CURRENCY)


class OrdersAPIView(WriteThrottledAPIView):
    """Writes are throttled (shop.api); CSRF is checked for cookie-based guests."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if (
            request.method not in SAFE_METHODS
            and not request.user.is_authenticated
            and settings.SESSION_COOKIE_NAME in request.COOKIES
        ):
            SessionAuthentication().enforce_csrf(request)


# --- Cart -------------------------------------------------------------------------------------


def _cart_data(request) -> dict:
    currency, rate = selectors.currency_rate(_currency(request))
    summary = selectors.cart_summary(
        selectors.cart_for(user=request.user, session=request.session),
        language=request_language(request),
    )

    def amount(value):
        return selectors.convert_at_rate(value, currency=currency, rate=rate)

    lines = [
        {
            "id": item.line.pk,
            "variant_id": item.variant.pk,
            "sku": item.sku,
            "product_name": item.name,
            "variant_title": item.variant_title,
            "product_url": item.url,
            "image_url": item.image_url,
            "quantity": item.quantity,
            "unit_price": amount(item.unit_price),
            "line_total": amount(item.line_total),
            "problem": item.problem,
        }
        for item in summary.items
    ]
    get_token(request)  # sets the csrftoken cookie guests need for their next write
    return CartOutput(
        {
            "currency": currency,
            "item_count": summary.item_count,
            "subtotal": sum((line["line_total"] for line in lines), amount(0)),
            "lines": lines,
        }
    ).data


CURRENCY_PARAMETER = OpenApiParameter(
    "currency", str, enum=settings.SHOP_CURRENCIES, description="Show amounts in this currency."
)


class CartView(OrdersAPIView):
    @extend_schema(
        operation_id="cart_retrieve",
        summary="Your cart (guests: the session's)",
        parameters=[CURRENCY_PARAMETER],
        responses={200: CartOutput},
        tags=["cart"],
    )
    def get(self, request):
        return Response(_cart_data(request))


class CartLinesView(OrdersAPIView):
    @extend_schema(
        operation_id="cart_lines_create",
        summary="Add an item to your cart",
        request=CartLineCreateInput,
        parameters=[CURRENCY_PARAMETER],
        responses={
            201: CartOutput,
            409: OpenApiResponse(ErrorOutput, description="Stock"),
            **ERRORS,
        },
        tags=["cart"],
    )
    def post(self, request):
        data = _validated(CartLineCreateInput, request.data)
        variants = ProductVariant.objects.select_related("product")
        if "variant_id" in data:
            variant = variants.filter(pk=data["variant_id"]).first()
        else:
            variant = variants.filter(sku=data["sku"]).exclude(sku="").first()
        if variant is None:
            raise ApiError(_("No such product variant."), code="not_found", status_code=404)
        cart = cart_for_request(request)
        try:
            services.cart_add(cart=cart, variant=variant, quantity=data["quantity"])
        except services.CartError as error:
            raise _from_service(error) from error
        return Response(_cart_data(request), status=status.HTTP_201_CREATED)


def _own_line(request, line_id: int) -> CartLine:
    cart = selectors.cart_for(user=request.user, session=request.session)
    line = CartLine.objects.filter(pk=line_id, cart=cart).first() if cart else None
    if line is None:
        raise ApiError(_("No such line in your cart."), code="not_found", status_code=404)
    return line


class CartLineView(OrdersAPIView):
    @extend_schema(
        operation_id="cart_lines_update",
        summary="Change a line's quantity (0 removes it)",
        request=CartLineUpdateInput,
        parameters=[CURRENCY_PARAMETER],
        responses={
            200: CartOutput,
            409: OpenApiResponse(ErrorOutput, description="Stock"),
            **ERRORS,
        },
        tags=["cart"],
    )
    def patch(self, request, line_id: int):
        line = _own_line(request, line_id)
        data = _validated(CartLineUpdateInput, request.data)
        try:
            services.cart_set_quantity(line=line, quantity=data["quantity"])
        except services.CartError as error:
            raise _from_service(error) from error
        return Response(_cart_data(request))

    @extend_schema(
        operation_id="cart_lines_destroy",
        summary="Remove a line from your cart",
        responses={204: None, 404: ERRORS[404]},
        tags=["cart"],
    )
    def delete(self, request, line_id: int):
        services.cart_remove_line(line=_own_line(request, line_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Checkout ---------------------------------------------------------------------------------


def _quote_data(request, *, country: str, method_code: str, currency: str) -> dict:
    cart = selectors.cart_for(user=request.user, session=request.session)
    summary = selectors.cart_summary(cart, language=request_language(request))
    quote = selectors.checkout_quote(
        subtotal=summary.subtotal, country=country, currency=currency, method_code=method_code
    )
    totals = quote.totals
    parts = totals.parts_in_currency
    options = selectors.shipping_options_display(quote, language=request_language(request))
    return QuoteOutput(
        {
            "country": quote.country,
            "ships": quote.ships,
            "currency": totals.currency,
            "exchange_rate": totals.exchange_rate,
            "base_currency": settings.SHOP_BASE_CURRENCY,
            "shipping_methods": options,
            "shipping_method": quote.method.code if quote.method else None,
            **parts,
            "duty_percent": totals.duty_percent,
            "tax_name": totals.tax_name,
            "tax_percent": totals.tax_percent,
            "total": totals.total_in_currency,
        }
    ).data


class CheckoutQuoteView(OrdersAPIView):
    """Shipping methods for a country and the totals of your cart sent there."""

    @extend_schema(
        operation_id="checkout_quote_retrieve",
        summary="Shipping methods and totals for a destination",
        parameters=[
            OpenApiParameter("country", str, required=True, description="ISO 3166 code"),
            OpenApiParameter("shipping_method", str, description="A method code"),
            CURRENCY_PARAMETER,
        ],
        responses={200: QuoteOutput, 400: ERRORS[400]},
        tags=["checkout"],
    )
    def get(self, request):
        return self._quote(request, request.query_params)

    @extend_schema(
        operation_id="checkout_quote_create",
        summary="Shipping methods and totals for a destination",
        request=QuoteInput,
        responses={200: QuoteOutput, 400: ERRORS[400]},
        tags=["checkout"],
    )
    def post(self, request):
        return self._quote(request, request.data)

    def _quote(self, request, data):
        if hasattr(data, "dict"):
            data = data.dict()
        validated = _validated(QuoteInput, data)
        return Response(
            _quote_data(
                request,
                country=validated["country"],
                method_code=validated["shipping_method"],
                currency=_currency(request, validated.get("currency")),
            )
        )

    def get_throttles(self):
        # A quote changes nothing: only the general throttles apply, even to POST.
        return APIView.get_throttles(self)

    def initial(self, request, *args, **kwargs):
        APIView.initial(self, request, *args, **kwargs)


def order_data(request, order: Order) -> dict:
    def amount(value):
        return selectors.convert_at_rate(value, currency=order.currency, rate=order.exchange_rate)

    return OrderOutput(
        {
            "number": order.number,
            "status": order.status,
            "status_label": order.get_status_display(),
            "created_at": order.created_at,
            "paid_at": order.paid_at,
            "shipped_at": order.shipped_at,
            "email": order.email,
            "language": order.language,
            "currency": order.currency,
            "exchange_rate": order.exchange_rate,
            "base_currency": settings.SHOP_BASE_CURRENCY,
            "total_base": order.total,
            "subtotal": amount(order.subtotal),
            "shipping": amount(order.shipping_cost),
            "duties": amount(order.duties),
            "taxes": amount(order.taxes),
            "total": order.total_in_currency,
            "shipping_method": order.shipping_method_name,
            "carrier": order.carrier,
            "tracking_number": order.tracking_number,
            "shipping_address": {
                "full_name": order.shipping_name,
                "company": order.shipping_company,
                "line1": order.shipping_line1,
                "line2": order.shipping_line2,
                "city": order.shipping_city,
                "region": order.shipping_region,
                "postal_code": order.shipping_postal_code,
                "country": order.shipping_country.code,
                "phone": order.shipping_phone,
            },
            "lines": [
                {
                    "product_name": line.product_name,
                    "variant_title": line.variant_title,
                    "sku": line.sku,
                    "quantity": line.quantity,
                    "unit_price": amount(line.unit_price),
                    "line_total": amount(line.line_total),
                }
                for line in order.lines.all()
            ],
            "history": [
                {
                    "status": event.to_status,
                    "label": event.get_to_status_display(),
                    "at": event.created_at,
                }
                for event in order.status_events.all()
            ],
            "url": request.build_absolute_uri(
                reverse("orders:order_track", kwargs={"token": selectors.order_access_token(order)})
            ),
        }
    ).data


IDEMPOTENCY_HEADER = "Idempotency-Key"


def _idempotency_key(request, data) -> str:
    """The key of the Idempotency-Key header, else of the body; both must agree if both given."""
    header = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
    body = data.get("idempotency_key", "")
    if header and not IDEMPOTENCY_KEY_RE.match(header):
        raise ApiError(
            _("The Idempotency-Key header must be 8-64 letters, digits, - or _."),
            code="invalid_idempotency_key",
        )
    if header and body and header != body:
        raise ApiError(
            _("The Idempotency-Key header and idempotency_key differ."),
            code="invalid_idempotency_key",
        )
    key = header or body
    if not key:
        raise ApiError(
            _("Send an Idempotency-Key header (or idempotency_key in the body)."),
            code="idempotency_key_required",
        )
    return key


class CheckoutView(OrdersAPIView):
    @extend_schema(
        operation_id="checkout_create",
        summary="Place and pay for the order of your cart",
        description=(
            "Charges the card and places the order in one step. Sending the same "
            "idempotency_key again returns the same order (200) without charging again: to "
            "the same account, or for a guest to the same session (cart); from anywhere else "
            "it is a 409 with code already_placed and no order data. "
            "402: the payment was declined (code card_declined) or failed (processing_error: "
            "a retry may work; use a new idempotency_key for a new attempt). 409: an item is "
            "out of stock or unavailable, or the total is not expected_total (total_changed)."
        ),
        request=CheckoutInput,
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                str,
                OpenApiParameter.HEADER,
                description="The idempotency key (or idempotency_key in the body).",
            )
        ],
        responses={
            201: OrderOutput,
            200: OpenApiResponse(OrderOutput, description="Already placed with this key"),
            402: OpenApiResponse(ErrorOutput, description="Payment declined or failed"),
            409: OpenApiResponse(
                ErrorOutput,
                description="Out of stock, total changed, key reused, or already placed",
            ),
            400: ERRORS[400],
        },
        tags=["checkout"],
    )
    def post(self, request):
        data = _validated(CheckoutInput, request.data)
        user = request.user if request.user.is_authenticated else None
        email = data.get("email") or (user.email if user else "")
        if not email:
            raise ApiError(_("An e-mail address is required."), code="email_required")
        if "address_id" in data:
            saved = user.addresses.filter(pk=data["address_id"]).first() if user else None
            if saved is None:
                raise ApiError(_("No such address in your address book."), code="address_not_found")
            address = services.ShippingAddress.from_address(saved)
        else:
            address = services.ShippingAddress(**data["address"])
        key = _idempotency_key(request, data)
        try:
            order = services.order_place(
                cart=selectors.cart_for(user=request.user, session=request.session),
                email=email,
                address=address,
                shipping_method_code=data["shipping_method"],
                payment_token=data["payment_token"],
                idempotency_key=key,
                currency=_currency(request, data.get("currency")),
                language=request_language(request),
                user=user,
                expected_total=data.get("expected_total"),
            )
        except services.OrderError as error:
            raise _from_service(error) from error
        return Response(
            order_data(request, order),
            status=status.HTTP_200_OK
            if getattr(order, "replayed", False)
            else status.HTTP_201_CREATED,
        )


# --- Orders -----------------------------------------------------------------------------------


class OrderPagination(PageNumberPagination):
    page_size = 20


class OrderListView(OrdersAPIView):
    permission_classes = [IsAuthenticated]
    # Named here so the schema documents the paginated envelope (count, next, results...).
    pagination_class = OrderPagination

    @extend_schema(
        operation_id="orders_list",
        summary="Your orders, newest first",
        responses={200: OrderSummaryOutput(many=True)},
        tags=["orders"],
    )
    def get(self, request):
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(
            selectors.orders_for_user(user=request.user), request, view=self
        )
        rows = [
            {
                "number": order.number,
                "status": order.status,
                "status_label": order.get_status_display(),
                "created_at": order.created_at,
                "currency": order.currency,
                "total": order.total_in_currency,
                "tracking_number": order.tracking_number,
            }
            for order in page
        ]
        return paginator.get_paginated_response(OrderSummaryOutput(rows, many=True).data)


class OrderDetailView(OrdersAPIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="orders_retrieve",
        summary="One of your orders, with its history and tracking",
        responses={200: OrderOutput, 404: ERRORS[404]},
        tags=["orders"],
    )
    def get(self, request, number: str):
        order = selectors.order_for_user(user=request.user, number=number)
        if order is None:
            raise ApiError(_("No such order."), code="not_found", status_code=404)
        return Response(order_data(request, order))
