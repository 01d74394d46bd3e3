from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from parler.models import TranslatableModel, TranslatedFields

# ExchangeRate moved to the kernel (issue 13 step 6: shop holds money and exchange rates; same
# table, see shop/models.py). Re-exported here for in-flight branches and scripts that still
# import it from orders; new code imports shop.models.ExchangeRate. Remove once nothing does.
from shop.models import ExchangeRate  # noqa: F401

MONEY = {"max_digits": 12, "decimal_places": 2}


class Cart(models.Model):
    """A shopper's bag: a guest's is tied to the session, a signed-in shopper's to the user.

    When a guest signs in, their cart's lines merge into the user's cart (orders.services).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="carts",
    )
    session_key = models.CharField(max_length=40, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cart")
        verbose_name_plural = _("carts")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(user__isnull=False), name="one_cart_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"Cart {self.pk}"


class CartLine(models.Model):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey(
        "catalog.ProductVariant", on_delete=models.CASCADE, related_name="+"
    )
    quantity = models.PositiveIntegerField(default=1, validators=[MinValueValidator(1)])
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("added_at", "id")
        constraints = [
            models.UniqueConstraint(fields=["cart", "variant"], name="cart_line_unique_variant")
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × variant {self.variant_id}"


class ShippingZone(models.Model):
    """A group of destination countries that share shipping methods (EU, Gulf, Asia, ...)."""

    name = models.CharField(_("name"), max_length=100)
    countries = CountryField(_("countries"), multiple=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("shipping zone")
        verbose_name_plural = _("shipping zones")
        ordering = ("position", "id")

    def __str__(self) -> str:
        return self.name


class ShippingMethod(TranslatableModel):
    """A way to ship to one zone, priced in the base currency (free over a threshold)."""

    zone = models.ForeignKey(ShippingZone, on_delete=models.CASCADE, related_name="methods")
    code = models.SlugField(_("code"), max_length=60)
    carrier = models.CharField(_("carrier"), max_length=60, blank=True)
    price = models.DecimalField(_("price"), **MONEY, validators=[MinValueValidator(Decimal(0))])
    free_over = models.DecimalField(
        _("free for orders over"),
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    min_days = models.PositiveSmallIntegerField(_("delivery days (min)"), default=2)
    max_days = models.PositiveSmallIntegerField(_("delivery days (max)"), default=7)
    is_active = models.BooleanField(_("active"), default=True)
    translations = TranslatedFields(name=models.CharField(_("name"), max_length=100))

    class Meta:
        verbose_name = _("shipping method")
        verbose_name_plural = _("shipping methods")
        ordering = ("zone", "price", "id")
        constraints = [
            models.UniqueConstraint(fields=["zone", "code"], name="shipping_method_code_per_zone")
        ]

    def __str__(self) -> str:
        return self.safe_translation_getter("name", any_language=True) or self.code


class DutyRate(models.Model):
    """Import duty and sales tax (VAT/GST) charged for a destination country.

    Shown to the shopper before payment (delivered duty paid). Orders whose goods are worth
    less than `duty_free_under` pay no duty there (the country's de minimis).
    """

    country = CountryField(_("country"), unique=True)
    duty_percent = models.DecimalField(
        _("import duty %"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    tax_percent = models.DecimalField(
        _("sales tax / VAT %"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    tax_name = models.CharField(_("tax name"), max_length=30, default="VAT")
    duty_free_under = models.DecimalField(
        _("no duty for goods under"),
        **MONEY,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )

    class Meta:
        verbose_name = _("duty and tax rate")
        verbose_name_plural = _("duty and tax rates")
        ordering = ("country",)

    def __str__(self) -> str:
        return (
            f"{self.country.code}: duty {self.duty_percent}%, {self.tax_name} {self.tax_percent}%"
        )


class OrderStatus(models.TextChoices):
    PENDING = "pending", _("Pending payment")
    PAID = "paid", _("Paid")
    PROCESSING = "processing", _("Processing")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")
    REFUNDED = "refunded", _("Refunded")


class Order(models.Model):
    """A placed order. Amounts are in the base currency; the shopper's currency and the rate
    used at checkout are stored so the order always shows what the shopper was charged."""

    number = models.CharField(_("order number"), max_length=20, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="orders",
    )
    email = models.EmailField(_("e-mail"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=OrderStatus.choices,
        default=OrderStatus.PENDING,
        db_index=True,
    )
    language = models.CharField(_("language"), max_length=10, default="en")
    currency = models.CharField(_("currency"), max_length=3)
    exchange_rate = models.DecimalField(_("exchange rate used"), max_digits=18, decimal_places=8)
    # A double submit carries the same key and finds this order instead of making another.
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)

    shipping_name = models.CharField(_("full name"), max_length=150)
    shipping_company = models.CharField(_("company"), max_length=150, blank=True)
    shipping_line1 = models.CharField(_("address line 1"), max_length=200)
    shipping_line2 = models.CharField(_("address line 2"), max_length=200, blank=True)
    shipping_city = models.CharField(_("city"), max_length=100)
    shipping_region = models.CharField(_("region"), max_length=100, blank=True)
    shipping_postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    shipping_country = CountryField(_("country"))
    shipping_phone = models.CharField(_("phone"), max_length=40, blank=True)
    shipping_method_name = models.CharField(_("shipping method"), max_length=100)
    carrier = models.CharField(_("carrier"), max_length=60, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=100, blank=True)

    subtotal = models.DecimalField(_("subtotal"), **MONEY)
    shipping_cost = models.DecimalField(_("shipping"), **MONEY)
    duties = models.DecimalField(_("import duties"), **MONEY)
    taxes = models.DecimalField(_("taxes"), **MONEY)
    total = models.DecimalField(_("total"), **MONEY)
    total_in_currency = models.DecimalField(_("total charged"), **MONEY)

    created_at = models.DateTimeField(_("placed"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    shipped_at = models.DateTimeField(_("shipped"), null=True, blank=True)
    # One marker per e-mail kind (orders.emails), claimed atomically before sending: a retried
    # task or a second click sends nothing more; the sweep sends what is still unmarked.
    confirmation_email_sent_at = models.DateTimeField(
        _("confirmation e-mail sent"), null=True, blank=True
    )
    shipped_email_sent_at = models.DateTimeField(_("shipping e-mail sent"), null=True, blank=True)
    # The bag the order was placed from: a guest's replay of the checkout is answered with the
    # order only from that bag (the same session), never to whoever knows the key and e-mail.
    cart = models.ForeignKey(
        Cart, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ("-created_at",)
        # Cancelling a paid order refunds it: money goes back, unlike the other status changes.
        permissions = [("refund_order", _("Can cancel and refund orders"))]
        indexes = [models.Index(fields=["user", "-created_at"], name="order_user_created")]

    def __str__(self) -> str:
        return self.number


class OrderLine(models.Model):
    """What was bought, copied at checkout so later catalog edits never change an order."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey(
        "catalog.ProductVariant",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    product_name = models.CharField(max_length=255)
    variant_title = models.CharField(max_length=255, blank=True)
    sku = models.CharField(max_length=64, blank=True)
    unit_price = models.DecimalField(**MONEY)
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    line_total = models.DecimalField(**MONEY)

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product_name}"


class OrderStatusEvent(models.Model):
    """The order's history: every status change, who made it and why."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="status_events")
    from_status = models.CharField(max_length=12, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=OrderStatus.choices)
    note = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"{self.from_status or '–'} → {self.to_status}"


class Payment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Succeeded")
        DECLINED = "declined", _("Declined")
        FAILED = "failed", _("Failed")
        REFUNDED = "refunded", _("Refunded")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="payments")
    gateway = models.CharField(max_length=40)
    amount = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    reference = models.CharField(_("gateway reference"), max_length=100, blank=True)
    message = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"{self.gateway} {self.amount} {self.currency} {self.status}"


class ReturnRequest(models.Model):
    """A shopper's request to send back a delivered order, decided by the merchant.

    requested -> approved -> refunded, or requested -> rejected. At most one request per order
    is open (requested or approved) at a time, enforced by the database too, so a double
    submit (page and chat at once) cannot open two. The refund itself is the order's refund
    (orders.services.order_refund: through the gateway, stock back).
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        REFUNDED = "refunded", _("Refunded")

    OPEN = (Status.REQUESTED, Status.APPROVED)

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="return_requests", verbose_name=_("order")
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.REQUESTED,
        db_index=True,
    )
    reason = models.TextField(_("reason"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True, db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    refunded_at = models.DateTimeField(_("refunded"), null=True, blank=True)
    note = models.CharField(_("note to the shopper"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("return request")
        verbose_name_plural = _("return requests")
        ordering = ("-created_at", "-id")
        # Approving and rejecting need change_returnrequest; refunding gives money back and
        # needs orders.refund_order, like cancelling and refunding an order.
        constraints = [
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(status__in=["requested", "approved"]),
                name="one_open_return_request_per_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.order.number} {self.status}" if self.order_id else f"Return {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN
