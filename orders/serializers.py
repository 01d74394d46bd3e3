"""Explicit input and output shapes of the cart, checkout and order API (orders.api)."""

from babel.numbers import get_currency_name
from django.conf import settings
from django.utils.translation import gettext as _
from django_countries import countries
from rest_framework import serializers

from .forms import MAX_ID
from .services import MAX_LINE_QUANTITY
from .services.checkout import IDEMPOTENCY_KEY_RE

# Labelled with the currency's name, which the schema shows next to each code.
CURRENCY_CHOICES = [
    (code, f"{code} ({get_currency_name(code, locale='en')})") for code in settings.SHOP_CURRENCIES
]

# --- Errors -----------------------------------------------------------------------------------


class ErrorOutput(serializers.Serializer):
    """The body of an error (shop.api.ErrorSerializer is used instead when it exists)."""

    error = serializers.CharField(help_text="What went wrong, for the shopper.")
    code = serializers.CharField(help_text="A stable code for programs.")
    detail = serializers.JSONField(
        required=False, allow_null=True, help_text="Errors per field, or {detail: message}."
    )


# --- Cart -------------------------------------------------------------------------------------


class CartLineOutput(serializers.Serializer):
    id = serializers.IntegerField()
    variant_id = serializers.IntegerField()
    sku = serializers.CharField()
    product_name = serializers.CharField()
    variant_title = serializers.CharField()
    product_url = serializers.CharField()
    image_url = serializers.CharField()
    quantity = serializers.IntegerField()
    unit_price = serializers.DecimalField(max_digits=14, decimal_places=2)
    line_total = serializers.DecimalField(max_digits=14, decimal_places=2)
    problem = serializers.CharField(help_text="Why the line cannot be bought as is, or ''.")


class CartOutput(serializers.Serializer):
    currency = serializers.CharField(help_text="Currency of every amount in this response.")
    item_count = serializers.IntegerField()
    subtotal = serializers.DecimalField(max_digits=14, decimal_places=2)
    lines = CartLineOutput(many=True)


class CartLineCreateInput(serializers.Serializer):
    variant_id = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    sku = serializers.CharField(required=False, max_length=64)
    quantity = serializers.IntegerField(
        required=False, default=1, min_value=1, max_value=MAX_LINE_QUANTITY
    )

    def validate(self, data):
        if ("variant_id" in data) == ("sku" in data):
            raise serializers.ValidationError(_("Give either variant_id or sku (one of them)."))
        return data


class CartLineUpdateInput(serializers.Serializer):
    quantity = serializers.IntegerField(
        min_value=0, max_value=MAX_LINE_QUANTITY, help_text="0 removes the line."
    )


# --- Checkout ---------------------------------------------------------------------------------


class AddressInput(serializers.Serializer):
    full_name = serializers.CharField(max_length=150)
    company = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    line1 = serializers.CharField(max_length=200)
    line2 = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    city = serializers.CharField(max_length=100)
    region = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    postal_code = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    country = serializers.ChoiceField(choices=list(countries))
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")


class QuoteInput(serializers.Serializer):
    country = serializers.ChoiceField(choices=list(countries))
    shipping_method = serializers.CharField(
        required=False, allow_blank=True, max_length=60, default=""
    )
    currency = serializers.ChoiceField(choices=CURRENCY_CHOICES, required=False)


class ShippingOptionOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    carrier = serializers.CharField()
    price = serializers.DecimalField(max_digits=14, decimal_places=2)
    is_free = serializers.BooleanField()
    min_days = serializers.IntegerField()
    max_days = serializers.IntegerField()


class QuoteOutput(serializers.Serializer):
    country = serializers.CharField()
    ships = serializers.BooleanField(help_text="False: the store does not ship there.")
    currency = serializers.CharField()
    exchange_rate = serializers.DecimalField(max_digits=18, decimal_places=8)
    base_currency = serializers.CharField()
    shipping_methods = ShippingOptionOutput(many=True)
    shipping_method = serializers.CharField(allow_null=True)
    subtotal = serializers.DecimalField(max_digits=14, decimal_places=2)
    shipping = serializers.DecimalField(max_digits=14, decimal_places=2)
    duties = serializers.DecimalField(max_digits=14, decimal_places=2)
    duty_percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    taxes = serializers.DecimalField(max_digits=14, decimal_places=2)
    tax_name = serializers.CharField()
    tax_percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    total = serializers.DecimalField(max_digits=14, decimal_places=2)


class CheckoutInput(serializers.Serializer):
    email = serializers.EmailField(
        required=False, max_length=254, help_text="Required for guests; defaults to the account."
    )
    address = AddressInput(required=False, help_text="A new address (or give address_id).")
    address_id = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="An address of your book."
    )
    shipping_method = serializers.CharField(max_length=60, help_text="Code from the quote.")
    payment_token = serializers.CharField(
        max_length=64,
        help_text="A card token of the gateway; for the test gateway the card number "
        "(4242424242424242 succeeds, 4000000000000002 is declined, 4000000000000119 fails).",
    )
    idempotency_key = serializers.RegexField(
        IDEMPOTENCY_KEY_RE,
        required=False,
        help_text="8-64 letters, digits, - or _: the same key never places two orders. "
        "May be sent as the Idempotency-Key header instead (one of the two is required).",
    )
    currency = serializers.ChoiceField(choices=CURRENCY_CHOICES, required=False)
    expected_total = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text="The total (in the order's currency) the shopper was shown, e.g. from the "
        "quote: if it changed, the order is refused with 409 total_changed, not charged.",
    )

    def validate(self, data):
        if ("address" in data) == ("address_id" in data):
            raise serializers.ValidationError(_("Give either address or address_id (one of them)."))
        return data


# --- Orders -----------------------------------------------------------------------------------


class OrderLineOutput(serializers.Serializer):
    product_name = serializers.CharField()
    variant_title = serializers.CharField()
    sku = serializers.CharField()
    quantity = serializers.IntegerField()
    unit_price = serializers.DecimalField(max_digits=14, decimal_places=2)
    line_total = serializers.DecimalField(max_digits=14, decimal_places=2)


class OrderEventOutput(serializers.Serializer):
    status = serializers.CharField()
    label = serializers.CharField()
    at = serializers.DateTimeField()


class ShippingAddressOutput(serializers.Serializer):
    full_name = serializers.CharField()
    company = serializers.CharField()
    line1 = serializers.CharField()
    line2 = serializers.CharField()
    city = serializers.CharField()
    region = serializers.CharField()
    postal_code = serializers.CharField()
    country = serializers.CharField()
    phone = serializers.CharField()


class OrderSummaryOutput(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    created_at = serializers.DateTimeField()
    currency = serializers.CharField()
    total = serializers.DecimalField(max_digits=14, decimal_places=2)
    tracking_number = serializers.CharField()


class OrderOutput(OrderSummaryOutput):
    email = serializers.EmailField()
    language = serializers.CharField()
    exchange_rate = serializers.DecimalField(max_digits=18, decimal_places=8)
    base_currency = serializers.CharField()
    total_base = serializers.DecimalField(max_digits=14, decimal_places=2)
    subtotal = serializers.DecimalField(max_digits=14, decimal_places=2)
    shipping = serializers.DecimalField(max_digits=14, decimal_places=2)
    duties = serializers.DecimalField(max_digits=14, decimal_places=2)
    taxes = serializers.DecimalField(max_digits=14, decimal_places=2)
    shipping_method = serializers.CharField()
    carrier = serializers.CharField()
    paid_at = serializers.DateTimeField(allow_null=True)
    shipped_at = serializers.DateTimeField(allow_null=True)
    shipping_address = ShippingAddressOutput()
    lines = OrderLineOutput(many=True)
    history = OrderEventOutput(many=True)
    url = serializers.CharField(help_text="The order's page (a signed link; keep it private).")
