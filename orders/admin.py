"""What the merchant sees: orders with filters, history and fulfilment actions; shipping
zones with their methods; duty and tax rates. (Exchange rates are the kernel's: shop/admin.py.)

Every status change goes through orders.services, so the admin records the same history,
restores the same stock and sends the same e-mails as any other caller. Moving an order along
(paid, processing, shipped, delivered) needs orders.change_order; cancelling and refunding, which
give money back, need orders.refund_order.

Return requests (opened by shoppers from their order page or the assistant) are approved or
rejected with orders.change_returnrequest; refunding one gives money back and needs
orders.refund_order, like refunding an order.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from parler.admin import TranslatableAdmin, TranslatableTabularInline

from shop.language import content_language

from . import services
from .models import (
    DutyRate,
    Order,
    OrderLine,
    OrderStatus,
    OrderStatusEvent,
    Payment,
    ReturnRequest,
    ShippingMethod,
    ShippingZone,
)
from .selectors import format_money


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    fields = ("product_name", "variant_title", "sku", "unit_price", "quantity", "line_total")
    readonly_fields = fields


class OrderStatusEventInline(ReadOnlyInline):
    model = OrderStatusEvent
    fields = ("created_at", "from_status", "to_status", "note", "created_by")
    readonly_fields = fields
    verbose_name = _("status change")
    verbose_name_plural = _("status history")


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = ("created_at", "gateway", "amount", "currency", "status", "reference", "message")
    readonly_fields = fields


class ReturnRequestInline(ReadOnlyInline):
    """The order's return requests; each links to its page, where the merchant decides."""

    model = ReturnRequest
    fields = ("created_at", "status", "reason", "decided_at", "decided_by", "refunded_at")
    readonly_fields = fields
    show_change_link = True
    verbose_name_plural = _("return requests")


SHIPPABLE = services.FULFILLABLE  # what the ship action offers
REFUND_PERMISSION = "orders.refund_order"


class ShipForm(forms.Form):
    """The parcel of one order, on the "Ship with tracking" page."""

    carrier = forms.CharField(label=_("Carrier"), max_length=60)
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=100)


def _run_transition(modeladmin, request, queryset, service, done_message: str) -> None:
    """Applies a lifecycle service to each selected order and says which ones could not move."""
    moved, refused = 0, []
    for order in queryset.order_by("pk"):
        try:
            service(order=order, by=request.user)
            moved += 1
        except services.OrderError as error:
            refused.append(error.message)
    if moved:
        modeladmin.message_user(request, done_message % {"count": moved}, messages.SUCCESS)
    for message in refused:
        modeladmin.message_user(request, message, messages.ERROR)


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = (
        "number",
        "created_at",
        "email",
        "status",
        "shipping_country",
        "total_charged",
        "total",
        "tracking_number",
    )
    list_filter = (
        "status",
        "shipping_country",
        "currency",
        ("created_at", admin.DateFieldListFilter),
    )
    search_fields = ("number", "email", "tracking_number", "shipping_name")
    date_hierarchy = "created_at"
    list_select_related = ("user",)
    list_per_page = 50
    inlines = (OrderLineInline, PaymentInline, ReturnRequestInline, OrderStatusEventInline)
    actions = ("mark_paid", "start_processing", "ship", "mark_delivered", "cancel", "refund")
    fieldsets = (
        (None, {"fields": ("number", "status", "created_at", "paid_at", "shipped_at")}),
        (_("Customer"), {"fields": ("user", "email", "language")}),
        (
            _("Shipping"),
            {
                "fields": (
                    "shipping_method_name",
                    "carrier",
                    "tracking_number",
                    "shipping_name",
                    "shipping_company",
                    "shipping_line1",
                    "shipping_line2",
                    "shipping_city",
                    "shipping_region",
                    "shipping_postal_code",
                    "shipping_country",
                    "shipping_phone",
                ),
                "description": _(
                    "To ship a paid order, enter the carrier and tracking number and save: "
                    "the order is marked shipped and the customer gets an e-mail in their "
                    "language."
                ),
            },
        ),
        (
            _("Amounts (base currency)"),
            {"fields": ("subtotal", "shipping_cost", "duties", "taxes", "total")},
        ),
        (_("Charged"), {"fields": ("currency", "exchange_rate", "total_in_currency")}),
    )
    editable_fields = ("carrier", "tracking_number")

    def get_readonly_fields(self, request, obj=None):
        fields = [name for fieldset in self.fieldsets for name in fieldset[1]["fields"]]
        if obj is not None and obj.status in (
            OrderStatus.PAID,
            OrderStatus.PROCESSING,
            OrderStatus.SHIPPED,
        ):
            return [name for name in fields if name not in self.editable_fields]
        return fields

    def has_add_permission(self, request) -> bool:
        return False  # orders come from the checkout

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # cancel or refund instead: the history must stay

    def has_refund_permission(self, request) -> bool:
        """Cancelling a paid order refunds it: both need orders.refund_order."""
        return request.user.has_perm(REFUND_PERMISSION)

    @admin.display(description=_("charged"), ordering="total_in_currency")
    def total_charged(self, order: Order) -> str:
        return format_money(
            order.total_in_currency, currency=order.currency, language=content_language()
        )

    def save_model(self, request, obj, form, change):
        """Carrier and tracking number are the only fields saved here, through the services."""
        if not change or not {"carrier", "tracking_number"} & set(form.changed_data):
            return
        carrier = form.cleaned_data.get("carrier", "")
        tracking = form.cleaned_data.get("tracking_number", "")
        order = Order.objects.get(pk=obj.pk)
        try:
            if order.status == OrderStatus.SHIPPED:
                services.order_update_tracking(
                    order=order, carrier=carrier, tracking_number=tracking, by=request.user
                )
                self.message_user(request, _("Tracking updated."), messages.SUCCESS)
                return
            services.order_fulfil(
                order=order, carrier=carrier, tracking_number=tracking, by=request.user
            )
            self.message_user(
                request, _("Order shipped; the customer has been e-mailed."), messages.SUCCESS
            )
        except services.OrderError as error:
            self.message_user(request, error.message, messages.ERROR)

    @admin.action(description=_("Mark paid"), permissions=["change"])
    def mark_paid(self, request, queryset):
        _run_transition(
            self, request, queryset, services.order_mark_paid, _("%(count)d order(s) marked paid.")
        )

    @admin.action(description=_("Start processing"), permissions=["change"])
    def start_processing(self, request, queryset):
        _run_transition(
            self,
            request,
            queryset,
            services.order_start_processing,
            _("%(count)d order(s) moved to processing."),
        )

    @admin.action(description=_("Ship with tracking…"), permissions=["change"])
    def ship(self, request, queryset):
        """An intermediate page asks the carrier and tracking number of each selected order;
        applying it ships them through services.order_fulfil (a paid order passes through
        processing; each customer is e-mailed)."""
        orders = list(queryset.order_by("pk"))
        shippable = [order for order in orders if order.status in SHIPPABLE]
        for order in orders:
            if order.status not in SHIPPABLE:
                self.message_user(
                    request,
                    _("Order %(number)s is %(status)s: it cannot be shipped.")
                    % {"number": order.number, "status": order.get_status_display().lower()},
                    messages.ERROR,
                )
        if not shippable:
            return None
        applying = "apply" in request.POST
        rows = [
            (
                order,
                ShipForm(
                    request.POST if applying else None,
                    prefix=f"order-{order.pk}",
                    initial={"carrier": order.carrier},
                ),
            )
            for order in shippable
        ]
        if applying and all(form.is_valid() for _order, form in rows):
            shipped = 0
            for order, form in rows:
                try:
                    services.order_fulfil(order=order, by=request.user, **form.cleaned_data)
                    shipped += 1
                except services.OrderError as error:
                    self.message_user(request, error.message, messages.ERROR)
            if shipped:
                self.message_user(
                    request,
                    _("%(count)d order(s) shipped; the customers have been e-mailed.")
                    % {"count": shipped},
                    messages.SUCCESS,
                )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Ship orders"),
            "opts": self.model._meta,
            "rows": rows,
            "action_name": "ship",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "selected": [order.pk for order in shippable],
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/orders/order/ship.html", context)

    @admin.action(description=_("Mark delivered"), permissions=["change"])
    def mark_delivered(self, request, queryset):
        _run_transition(
            self,
            request,
            queryset,
            services.order_mark_delivered,
            _("%(count)d order(s) marked delivered."),
        )

    @admin.action(
        description=_("Cancel (refunds any payment, restores stock)"), permissions=["refund"]
    )
    def cancel(self, request, queryset):
        _run_transition(
            self, request, queryset, services.order_cancel, _("%(count)d order(s) cancelled.")
        )

    @admin.action(
        description=_("Refund (through the payment gateway, restores stock)"),
        permissions=["refund"],
    )
    def refund(self, request, queryset):
        _run_transition(
            self, request, queryset, services.order_refund, _("%(count)d order(s) refunded.")
        )


def _run_return_action(modeladmin, request, queryset, service, done_message: str) -> None:
    """Applies a return-request service to each selected request; says which could not move."""
    done, refused = 0, []
    for return_request in queryset.select_related("order").order_by("pk"):
        try:
            service(return_request=return_request, by=request.user)
            done += 1
        except services.OrderError as error:
            refused.append(error.message)
    if done:
        modeladmin.message_user(request, done_message % {"count": done}, messages.SUCCESS)
    for message in refused:
        modeladmin.message_user(request, message, messages.ERROR)


@admin.register(ReturnRequest)
class ReturnRequestAdmin(admin.ModelAdmin):
    """Shoppers' return requests: approve (the shopper sends the pieces back), then refund
    through the payment gateway once they arrive, or reject with a note to the shopper (write
    the note on the request's page first; it is shown on their order page)."""

    list_display = (
        "id",
        "order_link",
        "customer_email",
        "status",
        "created_at",
        "decided_at",
        "refunded_at",
    )
    list_display_links = ("id",)
    list_filter = ("status", ("created_at", admin.DateFieldListFilter))
    search_fields = ("order__number", "order__email", "reason")
    list_select_related = ("order",)
    date_hierarchy = "created_at"
    list_per_page = 50
    actions = ("approve", "reject", "refund")
    fields = (
        "order_link",
        "customer_email",
        "status",
        "reason",
        "created_at",
        "requested_by",
        "decided_at",
        "decided_by",
        "refunded_at",
        "note",
    )
    readonly_fields = (
        "order_link",
        "customer_email",
        "status",
        "reason",
        "created_at",
        "requested_by",
        "decided_at",
        "decided_by",
        "refunded_at",
    )

    def has_add_permission(self, request) -> bool:
        return False  # shoppers open them (order page, assistant)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # reject instead: the history must stay

    def has_refund_permission(self, request) -> bool:
        """Refunding a return gives money back: orders.refund_order, as for an order."""
        return request.user.has_perm(REFUND_PERMISSION)

    @admin.display(description=_("order"), ordering="order__number")
    def order_link(self, return_request: ReturnRequest) -> str:
        url = reverse("admin:orders_order_change", args=[return_request.order_id])
        return format_html('<a href="{}">{}</a>', url, return_request.order.number)

    @admin.display(description=_("e-mail"), ordering="order__email")
    def customer_email(self, return_request: ReturnRequest) -> str:
        return return_request.order.email

    def save_model(self, request, obj, form, change):
        """Only the note to the shopper is edited here; decisions go through the actions."""
        if change and "note" in form.changed_data:
            obj.save(update_fields=["note"])

    @admin.action(
        description=_("Approve (the shopper sends the pieces back)"), permissions=["change"]
    )
    def approve(self, request, queryset):
        _run_return_action(
            self,
            request,
            queryset,
            services.return_request_approve,
            _("%(count)d return request(s) approved; the shoppers have been e-mailed."),
        )

    @admin.action(
        description=_("Reject (with the note written on the request)"), permissions=["change"]
    )
    def reject(self, request, queryset):
        def reject_with_note(*, return_request, by):
            return services.return_request_reject(
                return_request=return_request, by=by, note=return_request.note
            )

        _run_return_action(
            self, request, queryset, reject_with_note, _("%(count)d return request(s) rejected.")
        )

    @admin.action(
        description=_("Refund (through the payment gateway, restores stock)"),
        permissions=["refund"],
    )
    def refund(self, request, queryset):
        _run_return_action(
            self,
            request,
            queryset,
            services.return_request_refund,
            _("%(count)d return(s) refunded; the shoppers have been e-mailed."),
        )


class ShippingMethodInline(TranslatableTabularInline):
    model = ShippingMethod
    extra = 0
    fields = ("code", "name", "carrier", "price", "free_over", "min_days", "max_days", "is_active")


@admin.register(ShippingZone)
class ShippingZoneAdmin(admin.ModelAdmin):
    list_display = ("name", "country_count", "method_count", "position")
    list_editable = ("position",)
    search_fields = ("name", "countries")
    inlines = (ShippingMethodInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(method_total=Count("methods"))

    @admin.display(description=_("countries"))
    def country_count(self, zone: ShippingZone) -> int:
        return len(zone.countries)

    @admin.display(description=_("methods"), ordering="method_total")
    def method_count(self, zone: ShippingZone) -> int:
        return zone.method_total


@admin.register(ShippingMethod)
class ShippingMethodAdmin(TranslatableAdmin):
    list_display = (
        "__str__",
        "code",
        "zone",
        "carrier",
        "price",
        "free_over",
        "min_days",
        "max_days",
        "is_active",
    )
    list_filter = ("zone", "is_active")
    list_select_related = ("zone",)
    search_fields = ("code", "translations__name", "carrier")


@admin.register(DutyRate)
class DutyRateAdmin(admin.ModelAdmin):
    list_display = ("country", "duty_percent", "tax_name", "tax_percent", "duty_free_under")
    list_editable = ("duty_percent", "tax_name", "tax_percent", "duty_free_under")
    search_fields = ("country", "tax_name")
    ordering = ("country",)
