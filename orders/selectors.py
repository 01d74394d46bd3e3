"""Reads for prices in the shopper's currency."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core import signing
from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalog.models import PublicationStatus
from catalog.option_labels import option_texts_for_variants

# Money lives in the kernel (shop.money); these names stay importable from here for the
# modules of orders that read them as `selectors.<name>`.
from shop.money import (  # noqa: F401 - re-exported
    CENT,
    babel_locale,
    clear_exchange_rate_cache,
    convert_at_rate,
    convert_price,
    currency_rate,
    exchange_rates,
    format_money,
    format_price,
    money,
)

from .models import Cart, CartLine, DutyRate, Order, ShippingMethod

# --- Shipping, duties and totals --------------------------------------------------------------


def shipping_methods_for_country(country: str) -> list:
    """Active methods of the first zone (by position) that lists `country`; [] when none does.

    A CountryField(multiple=True) is stored as comma-separated two-letter codes, so a substring
    match on a two-letter code can only match a whole code.
    """
    code = (country or "").upper()
    if len(code) != 2 or not code.isalpha():
        return []
    methods = list(
        ShippingMethod.objects.filter(zone__countries__contains=code, is_active=True)
        .select_related("zone")
        .prefetch_related("translations")
        .order_by("zone__position", "zone_id", "price", "id")
    )
    if not methods:
        return []
    first_zone = methods[0].zone_id
    return [method for method in methods if method.zone_id == first_zone]


def duty_rate_for_country(country: str):
    return DutyRate.objects.filter(country=(country or "").upper()).first()


def shipping_price(method, *, subtotal: Decimal) -> Decimal:
    """The method's price for goods worth `subtotal` (free at or over its threshold)."""
    if method.free_over is not None and subtotal >= method.free_over:
        return money(0)
    return money(method.price)


@dataclass(frozen=True)
class Totals:
    """What an order costs, itemised, in the base currency and in the shopper's currency.

    Duty is charged on the goods unless they are worth less than the country's duty-free
    threshold; tax (VAT, GST...) is charged on goods + shipping + duty, as customs do.
    Each part is converted and rounded on its own and the total charged is their sum, so the
    lines the shopper reads always add up to what they pay.
    """

    currency: str
    exchange_rate: Decimal
    subtotal: Decimal
    shipping: Decimal
    duties: Decimal
    taxes: Decimal
    duty_percent: Decimal = Decimal(0)
    tax_percent: Decimal = Decimal(0)
    tax_name: str = ""
    duty_waived: bool = False

    @property
    def total(self) -> Decimal:
        return self.subtotal + self.shipping + self.duties + self.taxes

    def in_currency(self, amount: Decimal) -> Decimal:
        return convert_at_rate(amount, currency=self.currency, rate=self.exchange_rate)

    @property
    def parts_in_currency(self) -> dict[str, Decimal]:
        return {
            "subtotal": self.in_currency(self.subtotal),
            "shipping": self.in_currency(self.shipping),
            "duties": self.in_currency(self.duties),
            "taxes": self.in_currency(self.taxes),
        }

    @property
    def total_in_currency(self) -> Decimal:
        return sum(self.parts_in_currency.values(), Decimal(0))


def compute_totals(
    *, subtotal: Decimal, shipping_method=None, duty_rate=None, currency: str
) -> Totals:
    """Exact Decimal totals for goods worth `subtotal` (base currency) sent by a method to the
    country of `duty_rate` (None: no duty or tax there), shown in `currency`."""
    subtotal = money(subtotal)
    shipping = shipping_price(shipping_method, subtotal=subtotal) if shipping_method else money(0)
    duties = taxes = money(0)
    duty_percent = tax_percent = Decimal(0)
    tax_name, duty_waived = "", False
    if duty_rate is not None:
        duty_percent, tax_percent, tax_name = (
            duty_rate.duty_percent,
            duty_rate.tax_percent,
            duty_rate.tax_name,
        )
        duty_waived = subtotal < duty_rate.duty_free_under
        if not duty_waived:
            duties = money(subtotal * duty_percent / 100)
        taxes = money((subtotal + shipping + duties) * tax_percent / 100)
    currency, rate = currency_rate(currency)
    return Totals(
        currency=currency,
        exchange_rate=rate,
        subtotal=subtotal,
        shipping=shipping,
        duties=duties,
        taxes=taxes,
        duty_percent=duty_percent,
        tax_percent=tax_percent,
        tax_name=tax_name,
        duty_waived=duty_waived and duty_percent > 0,
    )


@dataclass(frozen=True)
class ShippingOption:
    method: object
    price: Decimal

    @property
    def is_free(self) -> bool:
        return self.price == 0


@dataclass(frozen=True)
class Quote:
    """The shipping choices for a destination and the totals with the chosen (or first) one."""

    country: str
    options: list[ShippingOption]
    method: object
    totals: Totals

    @property
    def ships(self) -> bool:
        return bool(self.options)


def checkout_quote(
    *, subtotal: Decimal, country: str, currency: str, method_code: str = ""
) -> Quote:
    """Methods and totals for sending goods worth `subtotal` to `country`.

    The method is the one with `method_code` when it serves the country, else the cheapest.
    """
    methods = shipping_methods_for_country(country)
    options = [
        ShippingOption(method, shipping_price(method, subtotal=money(subtotal)))
        for method in methods
    ]
    chosen = next((m for m in methods if m.code == method_code), methods[0] if methods else None)
    duty_rate = duty_rate_for_country(country) if methods else None
    totals = compute_totals(
        subtotal=subtotal, shipping_method=chosen, duty_rate=duty_rate, currency=currency
    )
    return Quote(country=(country or "").upper(), options=options, method=chosen, totals=totals)


# --- Carts ------------------------------------------------------------------------------------

# The guest cart's id is kept in the session data (not only as the session key on the cart),
# because signing in gives the session a new key before the guest cart is merged.
CART_SESSION_KEY = "cart_id"


def guest_cart_id(session) -> int | None:
    cart_id = session.get(CART_SESSION_KEY) if session is not None else None
    return cart_id if isinstance(cart_id, int) else None


def cart_for(*, user=None, session=None):
    """The shopper's cart, or None when they have none yet (never creates one)."""
    if user is not None and user.is_authenticated:
        return Cart.objects.filter(user=user).first()
    cart_id = guest_cart_id(session)
    if cart_id is None:
        return None
    return Cart.objects.filter(pk=cart_id, user__isnull=True).first()


def cart_item_count(*, user=None, session=None) -> int:
    """Units in the shopper's cart, in one query (none for a guest without a cart)."""
    if user is not None and user.is_authenticated:
        lines = CartLine.objects.filter(cart__user=user)
    else:
        cart_id = guest_cart_id(session)
        if cart_id is None:
            return 0
        lines = CartLine.objects.filter(cart_id=cart_id, cart__user__isnull=True)
    return lines.aggregate(units=Sum("quantity"))["units"] or 0


@dataclass
class CartItem:
    line: object
    variant: object
    product: object
    name: str
    variant_title: str
    image_url: str
    unit_price: Decimal
    quantity: int
    problem: str = ""
    # Empty for an item no longer published: its page, picture and SKU are not public.
    url: str = ""
    sku: str = ""

    @property
    def line_total(self) -> Decimal:
        return self.unit_price * self.quantity

    @property
    def max_quantity(self) -> int:
        return max(self.variant.stock_quantity, self.quantity)


@dataclass
class CartSummary:
    cart: object
    items: list[CartItem] = field(default_factory=list)

    @property
    def subtotal(self) -> Decimal:
        return money(sum((item.line_total for item in self.items), Decimal(0)))

    @property
    def item_count(self) -> int:
        return sum(item.quantity for item in self.items)

    @property
    def is_empty(self) -> bool:
        return not self.items

    @property
    def problems(self) -> list[str]:
        return [item.problem for item in self.items if item.problem]


def _image_url(variant, product) -> str:
    image = variant.image
    if image is None:
        images = list(product.images.all())
        image = images[0] if images else None
    if image is None:
        return ""
    picture = image.thumbnail or image.image
    try:
        return picture.url if picture else ""
    except ValueError:
        return ""


def product_display_name(product, *, language: str) -> str:
    product.set_current_language(language)
    return product.safe_translation_getter("name", any_language=True) or product.handle


def cart_summary(cart, *, language: str, ring_scale: str | None = None) -> CartSummary:
    """The cart's lines with names in `language`, images, prices and stock problems; ring sizes
    in `ring_scale` (the shopper's, catalog.ring_sizes), else the language's usual scale.

    Five queries whatever the number of lines (lines with variants and products, product
    translations, product images, option labels); none without a cart.
    """
    summary = CartSummary(cart=cart)
    if cart is None:
        return summary
    lines = list(
        cart.lines.select_related("variant__product", "variant__image")
        .prefetch_related("variant__product__translations", "variant__product__images")
        .order_by("added_at", "id")
    )
    option_texts = option_texts_for_variants(
        [line.variant for line in lines], language=language, ring_scale=ring_scale
    )
    for line in lines:
        variant = line.variant
        product = variant.product
        if product.status != PublicationStatus.PUBLISHED:
            # Unpublished since it was added: its name (perhaps a launch not yet announced),
            # page, picture and SKU are not shown; the line can still be removed.
            summary.items.append(
                CartItem(
                    line=line,
                    variant=variant,
                    product=product,
                    name=_("Item no longer available"),
                    variant_title="",
                    image_url="",
                    unit_price=variant.price,
                    quantity=line.quantity,
                    problem=_("This item is no longer available. Please remove it from your bag."),
                )
            )
            continue
        name = product_display_name(product, language=language)
        problem = ""
        if variant.stock_quantity == 0:
            problem = _("%(name)s is sold out. Please remove it from your bag.") % {"name": name}
        elif line.quantity > variant.stock_quantity:
            problem = ngettext(
                "Only %(count)d left of %(name)s.",
                "Only %(count)d left of %(name)s.",
                variant.stock_quantity,
            ) % {"count": variant.stock_quantity, "name": name}
        summary.items.append(
            CartItem(
                line=line,
                variant=variant,
                product=product,
                name=name,
                variant_title=option_texts.variant_title(variant),
                image_url=_image_url(variant, product),
                unit_price=variant.price,
                quantity=line.quantity,
                problem=problem,
                url=product.get_absolute_url(),
                sku=variant.sku,
            )
        )
    return summary


# --- Orders -----------------------------------------------------------------------------------

_ORDER_TOKEN_SALT = "orders.order-access"


def order_access_token(order) -> str:
    """An unguessable token for the order's page, for guests (confirmation page and e-mails).

    Signed with SECRET_KEY, so knowing an order number is never enough to see the order.
    """
    return signing.Signer(salt=_ORDER_TOKEN_SALT).sign(order.number)


def order_number_from_token(token: str) -> str | None:
    try:
        return signing.Signer(salt=_ORDER_TOKEN_SALT).unsign(token or "")
    except signing.BadSignature:
        return None


def _order_detail_queryset():
    return Order.objects.select_related("user").prefetch_related(
        "lines", "status_events", "payments", "return_requests"
    )


def order_for_token(token: str):
    number = order_number_from_token(token)
    if number is None:
        return None
    return _order_detail_queryset().filter(number=number).first()


def order_for_user(*, user, number: str):
    """The user's own order with that number, or None (someone else's order is None too)."""
    if user is None or not user.is_authenticated:
        return None
    # No order number is longer, and PostgreSQL refuses a NUL character (an error, not a miss).
    if not number or len(number) > Order._meta.get_field("number").max_length or "\x00" in number:
        return None
    return _order_detail_queryset().filter(user=user, number=number).first()


def orders_for_user(*, user):
    if user is None or not user.is_authenticated:
        return Order.objects.none()
    return Order.objects.filter(user=user).order_by("-created_at", "-id")


def order_amounts(order, *, language: str) -> dict[str, str]:
    """The order's amounts as the shopper was charged: its currency, at its stored rate."""

    def show(amount: Decimal) -> str:
        return format_money(
            convert_at_rate(amount, currency=order.currency, rate=order.exchange_rate),
            currency=order.currency,
            language=language,
        )

    return {
        "subtotal": show(order.subtotal),
        "shipping": show(order.shipping_cost),
        "duties": show(order.duties),
        "taxes": show(order.taxes),
        "total": format_money(order.total_in_currency, currency=order.currency, language=language),
        "lines": {
            line.pk: {"unit_price": show(line.unit_price), "line_total": show(line.line_total)}
            for line in order.lines.all()
        },
    }


def totals_display(totals: Totals, *, language: str) -> dict[str, str]:
    """A quote's itemised amounts formatted in its currency, as the review page shows them."""
    shown = {
        name: format_money(amount, currency=totals.currency, language=language)
        for name, amount in totals.parts_in_currency.items()
    }
    shown["total"] = format_money(
        totals.total_in_currency, currency=totals.currency, language=language
    )
    return shown


def shipping_options_display(quote: Quote, *, language: str) -> list[dict]:
    """Each shipping choice with its name in `language`, price and delivery estimate."""
    shown = []
    for option in quote.options:
        method = option.method
        method.set_current_language(language)
        price = quote.totals.in_currency(option.price)
        shown.append(
            {
                "code": method.code,
                "name": method.safe_translation_getter("name", any_language=True) or method.code,
                "carrier": method.carrier,
                "price": price,
                "price_display": format_money(
                    price, currency=quote.totals.currency, language=language
                ),
                "is_free": option.is_free,
                "free_over": method.free_over,
                "min_days": method.min_days,
                "max_days": method.max_days,
                "selected": quote.method is not None and method.pk == quote.method.pk,
            }
        )
    return shown


def order_for_idempotency_key(key: str):
    return Order.objects.filter(idempotency_key=key).first() if key else None
