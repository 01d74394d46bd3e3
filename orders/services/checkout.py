"""Placing an order: one transaction that locks the stock, charges the card and records it all.

Design (why a declined card never sells stock): inside one database transaction we lock the
cart's variants with SELECT ... FOR UPDATE (in id order, so two checkouts never deadlock),
re-check the stock, create the order as "pending" with its lines, then charge the card. Only a
successful charge decrements the stock, marks the order "paid" and clears the cart; a declined
or failed charge raises, and the whole transaction rolls back: no order, no stock taken, the
cart untouched, and the shopper can retry (with another card, or the same one after a
processing error). Holding the row locks across the gateway call is the price of never
charging for an item someone else just bought; for the test gateway the call is instant.
The locks and the decrement are catalog.stock's (stock_lock, stock_take), the one stock API
the order lifecycle uses too.

Idempotency: the checkout form carries a key generated when the page was rendered. The first
submit stores it on the order (a unique column); a second submit with the same key, whether
sequential or at the same moment (it waits on the same row locks, then sees the committed
order), returns that order without charging again.
"""

import logging
import re
import secrets
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from catalog.models import Product, ProductVariant, PublicationStatus
from catalog.option_labels import option_texts_for_variants
from catalog.ring_sizes import scale_for
from catalog.stock import StockShort, stock_lock, stock_take
from shop.events import after_commit

from ..models import Cart, Order, OrderLine, OrderStatus, OrderStatusEvent, Payment
from ..payments import ChargeResult, PaymentGateway, get_gateway
from ..selectors import (
    compute_totals,
    duty_rate_for_country,
    money,
    product_display_name,
    shipping_methods_for_country,
)
from ..signals import announce_order_placed
from .errors import (
    EmptyCart,
    IdempotencyConflict,
    OrderAlreadyPlaced,
    OrderError,
    OutOfStock,
    PaymentFailed,
    ProductUnavailable,
    ShippingUnavailable,
    TotalChanged,
)

logger = logging.getLogger(__name__)

IDEMPOTENCY_KEY_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
# Order numbers: date plus 8 random characters without look-alikes (0/O, 1/I/L).
_NUMBER_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


@dataclass(frozen=True)
class ShippingAddress:
    full_name: str
    line1: str
    city: str
    country: str
    company: str = ""
    line2: str = ""
    region: str = ""
    postal_code: str = ""
    phone: str = ""

    @classmethod
    def from_address(cls, address) -> "ShippingAddress":
        """From a customers.Address of the address book."""
        return cls(
            full_name=address.full_name,
            company=address.company,
            line1=address.line1,
            line2=address.line2,
            city=address.city,
            region=address.region,
            postal_code=address.postal_code,
            country=address.country.code,
            phone=address.phone,
        )

    @property
    def country_name(self) -> str:
        return str(countries.name(self.country)) or self.country

    @property
    def lines(self) -> list[str]:
        """The address as printed on a label, one line per entry, empty parts left out."""
        city_line = " ".join(part for part in (self.postal_code, self.city) if part)
        parts = [
            self.full_name,
            self.company,
            self.line1,
            self.line2,
            city_line,
            self.region,
            self.country_name,
        ]
        return [part for part in parts if part]

    def order_fields(self) -> dict:
        fields = {f"shipping_{name}": str(value).strip() for name, value in asdict(self).items()}
        fields["shipping_name"] = fields.pop("shipping_full_name")
        fields["shipping_country"] = fields["shipping_country"].upper()
        return fields


def new_order_number() -> str:
    suffix = "".join(secrets.choice(_NUMBER_ALPHABET) for _ in range(8))
    return f"{timezone.now():%y%m%d}-{suffix}"


def _find_order_for_key(*, key: str, user, email: str, cart: Cart | None) -> Order | None:
    """The order an earlier submit with this key placed, if it belongs to the same shopper.

    A customer's replay is theirs when it comes from their account. A guest has no account: a
    replay is answered with the order only when it comes from the bag (the session) that placed
    it. Whoever else knows the key and the e-mail learns only that the order was placed, never
    its address or tracking link.
    """
    order = Order.objects.filter(idempotency_key=key).first()
    if order is None:
        return None
    if user is not None and user.is_authenticated:
        same_shopper = order.user_id == user.pk
    else:
        same_shopper = order.user_id is None and order.email.lower() == email.strip().lower()
    if not same_shopper:
        raise IdempotencyConflict(
            _("This checkout was already submitted. Please reload the page and try again.")
        )
    if order.user_id is None and (cart is None or order.cart_id != cart.pk):
        raise OrderAlreadyPlaced(
            _(
                "This order was already placed. Its confirmation was sent to your e-mail "
                "address; the link in it shows the order."
            )
        )
    # Tells callers (the API answers 200 instead of 201) that no new order was placed.
    order.replayed = True
    return order


def _line_name(variant: ProductVariant, language: str) -> str:
    return product_display_name(variant.product, language=language)


def _refund_quietly(gateway: PaymentGateway, charge: ChargeResult, amount, currency) -> None:
    """Gives the money back when a charge succeeded but the order could not be saved."""
    try:
        result = gateway.refund(
            reference=charge.reference,
            amount=amount,
            currency=currency,
            idempotency_key=f"orphan-{charge.reference}"[:64],
        )
        if not result.succeeded:
            logger.error("Refund of orphan charge %s failed: %s", charge.reference, result.message)
    except Exception:
        logger.exception("Refund of orphan charge %s failed", charge.reference)


class _Attempt:
    charge: ChargeResult | None = None
    amount: Decimal = Decimal(0)
    currency: str = ""
    order: Order | None = None
    # Set by the first on-commit callback: from then on the paid order stands, whatever fails.
    committed: bool = False

    def mark_committed(self) -> None:
        self.committed = True


def order_place(
    *,
    cart: Cart | None,
    email: str,
    address: ShippingAddress,
    shipping_method_code: str,
    payment_token: str,
    idempotency_key: str,
    currency: str,
    language: str,
    user=None,
    expected_total: Decimal | None = None,
) -> Order:
    """Turns the cart into a paid order, or raises an OrderError and changes nothing.

    `expected_total` is the total (in `currency`) the shopper was shown: when the bag, a price
    or the exchange rate changed since, TotalChanged is raised instead of charging another
    amount than the one the shopper agreed to.

    Raises EmptyCart, ProductUnavailable, OutOfStock, ShippingUnavailable, PaymentFailed
    (card_declined / processing_error) or IdempotencyConflict, each with a message for the
    shopper in the active language. An order an earlier call with the same key placed is
    returned with `order.replayed = True` (also when that call ran at the same moment).
    """
    key = (idempotency_key or "").strip()
    if not IDEMPOTENCY_KEY_RE.match(key):
        raise OrderError(
            _("The checkout form has expired. Please reload the page."),
            code="invalid_idempotency_key",
        )
    user = user if user is not None and user.is_authenticated else None
    existing = _find_order_for_key(key=key, user=user, email=email, cart=cart)
    if existing is not None:
        return existing

    gateway = get_gateway()
    attempt = _Attempt()
    try:
        with transaction.atomic():
            return _place_locked(
                cart=cart,
                email=email,
                address=address,
                shipping_method_code=shipping_method_code,
                payment_token=payment_token,
                key=key,
                currency=currency,
                language=language,
                user=user,
                gateway=gateway,
                attempt=attempt,
                expected_total=expected_total,
            )
    except IntegrityError:
        if attempt.committed:
            return _committed_order(attempt)
        # Two submits with one key on carts with no item in common did not wait for each
        # other; the unique key let only one order in. Give this one's money back.
        if attempt.charge is not None and attempt.charge.succeeded:
            _refund_quietly(gateway, attempt.charge, attempt.amount, attempt.currency)
        existing = _find_order_for_key(key=key, user=user, email=email, cart=cart)
        if existing is not None:
            return existing
        raise
    except Exception:
        if attempt.committed:
            return _committed_order(attempt)
        if attempt.charge is not None and attempt.charge.succeeded:
            _refund_quietly(gateway, attempt.charge, attempt.amount, attempt.currency)
        raise


def _committed_order(attempt: _Attempt) -> Order:
    """The order of a transaction that committed before something raised.

    On-commit work goes through shop.events.after_commit, which never raises; this is the
    second line: an error raised after the commit (a callback registered some other way) is
    logged, and the shopper gets their paid order instead of an error and a refund.
    """
    logger.exception("Order %s committed, then something failed; the order stands", attempt.order)
    return attempt.order


def _place_locked(
    *,
    cart: Cart | None,
    email: str,
    address: ShippingAddress,
    shipping_method_code: str,
    payment_token: str,
    key: str,
    currency: str,
    language: str,
    user,
    gateway: PaymentGateway,
    attempt: _Attempt,
    expected_total: Decimal | None = None,
) -> Order:
    # Registered first, so it runs first when the transaction commits.
    after_commit(attempt.mark_committed)
    lines = list(cart.lines.order_by("variant_id")) if cart is not None else []
    variant_ids = sorted({line.variant_id for line in lines})
    # Locks only the variant rows (of=self), in id order, before anything is checked.
    variants = stock_lock(variant_ids)
    # A concurrent submit with the same key may have committed while we waited for the locks.
    existing = _find_order_for_key(key=key, user=user, email=email, cart=cart)
    if existing is not None:
        return existing
    if cart is not None:
        lines = [line for line in cart.lines.order_by("variant_id") if line.variant_id in variants]
    if cart is None or not lines:
        raise EmptyCart(_("Your bag is empty."))
    products = {
        product.pk: product
        for product in Product.objects.filter(
            pk__in={variant.product_id for variant in variants.values()}
        ).prefetch_related("translations")
    }
    for variant in variants.values():
        variant.product = products[variant.product_id]

    for line in lines:
        variant = variants[line.variant_id]
        if variant.product.status != PublicationStatus.PUBLISHED:
            # Not named: an unpublished product's name may be an unannounced one.
            raise ProductUnavailable(
                _("An item in your bag is no longer available. Please remove it from your bag.")
            )
        name = _line_name(variant, language)
        if variant.stock_quantity < line.quantity:
            if variant.stock_quantity == 0:
                message = _("Sorry, %(name)s is out of stock.") % {"name": name}
            else:
                message = _(
                    "Sorry, %(name)s is out of stock: only %(count)d left, you asked for "
                    "%(wanted)d."
                ) % {"name": name, "count": variant.stock_quantity, "wanted": line.quantity}
            raise OutOfStock(message)

    country = address.country.upper()
    methods = shipping_methods_for_country(country)
    if not methods:
        raise ShippingUnavailable(_("Sorry, we do not ship to this country yet."))
    method = next((m for m in methods if m.code == shipping_method_code), None)
    if method is None:
        raise ShippingUnavailable(
            _("Please choose one of the shipping methods offered for this country."),
            code="shipping_method_invalid",
        )
    subtotal = money(sum(variants[line.variant_id].price * line.quantity for line in lines))
    totals = compute_totals(
        subtotal=subtotal,
        shipping_method=method,
        duty_rate=duty_rate_for_country(country),
        currency=currency,
    )
    if expected_total is not None and totals.total_in_currency != expected_total:
        raise TotalChanged(
            _(
                "Your order total has changed since you reviewed it (your bag, a price or the "
                "exchange rate changed). Please check the new total and pay again."
            )
        )

    method.set_current_language(language)
    order = Order(
        number=new_order_number(),
        user=user,
        email=(user.email if user is not None and not email else email).strip(),
        status=OrderStatus.PENDING,
        language=language,
        currency=totals.currency,
        exchange_rate=totals.exchange_rate,
        idempotency_key=key,
        cart=cart,
        shipping_method_name=method.safe_translation_getter("name", any_language=True)
        or method.code,
        carrier=method.carrier,
        subtotal=totals.subtotal,
        shipping_cost=totals.shipping,
        duties=totals.duties,
        taxes=totals.taxes,
        total=totals.total,
        total_in_currency=totals.total_in_currency,
        **address.order_fields(),
    )
    try:
        # Uniqueness is enforced by the database (and the key was checked under the locks).
        order.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise OrderError(" ".join(error.messages), code="invalid_address") from error
    order.save()
    attempt.order = order
    order_lines = []
    # The snapshot keeps the options as the shopper read them, in the order's language, with
    # ring sizes in the scale of the country it ships to and the catalog's size beside them.
    option_texts = option_texts_for_variants(
        [variants[line.variant_id] for line in lines],
        language=language,
        ring_scale=scale_for(language, address.country),
    )
    for line in lines:
        variant = variants[line.variant_id]
        order_line = OrderLine(
            order=order,
            variant=variant,
            product_name=_line_name(variant, language)[:255],
            variant_title=option_texts.variant_title(variant)[:255],
            sku=variant.sku,
            unit_price=variant.price,
            quantity=line.quantity,
            line_total=money(variant.price * line.quantity),
        )
        # The order and variant were just saved and locked: no need to query them again.
        order_line.full_clean(exclude=["order", "variant"])
        order_lines.append(order_line)
    OrderLine.objects.bulk_create(order_lines)
    OrderStatusEvent.objects.create(
        order=order, to_status=OrderStatus.PENDING, note="Order placed", created_by=user
    )

    amount = order.total_in_currency
    attempt.amount, attempt.currency = amount, order.currency
    if amount > 0:
        charge = gateway.charge(
            amount=amount, currency=order.currency, token=payment_token, idempotency_key=key
        )
        attempt.charge = charge
        if not charge.succeeded:
            logger.info("Payment %s for cart %s: %s", charge.status, cart.pk, charge.message)
            raise PaymentFailed(
                charge.message or _("Your card was declined."),
                code="processing_error" if charge.retryable else "card_declined",
            )
        Payment.objects.create(
            order=order,
            gateway=gateway.code,
            amount=amount,
            currency=order.currency,
            status=Payment.Status.SUCCEEDED,
            reference=charge.reference[:100],
            # Only the last four digits are ever kept, for the receipt.
            message=f"Card ending {charge.card_last4}" if charge.card_last4 else "",
        )

    # Checked above under the same locks, so this cannot fall short; it also recomputes the
    # availability of products that sold out (listings filter on Product.in_stock).
    try:
        stock_take([(line.variant_id, line.quantity) for line in lines])
    except StockShort as error:  # pragma: no cover - the rows are locked since the check
        name = _line_name(variants[error.variant_id], language)
        raise OutOfStock(_("Sorry, %(name)s is out of stock.") % {"name": name}) from error
    order.status = OrderStatus.PAID
    order.paid_at = timezone.now()
    order.save(update_fields=["status", "paid_at", "updated_at"])
    OrderStatusEvent.objects.create(
        order=order,
        from_status=OrderStatus.PENDING,
        to_status=OrderStatus.PAID,
        note="Payment received",
        created_by=user,
    )
    cart.lines.all().delete()
    announce_order_placed(
        order_id=order.pk,
        lines=[(variants[line.variant_id].product_id, line.quantity) for line in lines],
        user=user,
        session_key=cart.session_key,
        country=country,
        language=language,
    )
    from ..tasks import queue_order_email

    queue_order_email(order=order, kind="confirmation")
    return order
