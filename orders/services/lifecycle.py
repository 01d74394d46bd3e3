"""The order lifecycle after checkout, with a status event for every change.

    pending -> paid -> processing -> shipped -> delivered
    cancelled: from pending, paid or processing
    refunded:  from paid, processing, shipped or delivered (through the gateway's refund)

An order holds stock from the moment it is paid; cancelling or refunding an order that holds
stock puts it back (a refund after delivery means the piece came back), through catalog.stock,
the one stock API checkout uses too. Cancelling an order that was paid also gives the money
back. Every service locks the order row first, so two merchants clicking at once cannot apply
two transitions from the same status.
"""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.stock import StockShort, stock_release, stock_take

from ..models import Order, OrderStatus, OrderStatusEvent, Payment
from ..payments import get_gateway
from .errors import InvalidTransition, OrderError, OutOfStock, RefundFailed

logger = logging.getLogger(__name__)

S = OrderStatus
TRANSITIONS: dict[str, set[str]] = {
    S.PENDING: {S.PAID, S.CANCELLED},
    S.PAID: {S.PROCESSING, S.CANCELLED, S.REFUNDED},
    S.PROCESSING: {S.SHIPPED, S.CANCELLED, S.REFUNDED},
    S.SHIPPED: {S.DELIVERED, S.REFUNDED},
    S.DELIVERED: {S.REFUNDED},
    S.CANCELLED: set(),
    S.REFUNDED: set(),
}
STOCK_HELD = {S.PAID, S.PROCESSING, S.SHIPPED, S.DELIVERED}
# The statuses order_fulfil ships from (a paid order passes through processing).
FULFILLABLE = (S.PAID, S.PROCESSING)

_ACTIONS = {
    S.PAID: gettext_lazy("marked as paid"),
    S.PROCESSING: gettext_lazy("moved to processing"),
    S.SHIPPED: gettext_lazy("shipped"),
    S.DELIVERED: gettext_lazy("marked as delivered"),
    S.CANCELLED: gettext_lazy("cancelled"),
    S.REFUNDED: gettext_lazy("refunded"),
}


def can_transition(order: Order, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(order.status, set())


def _locked(order: Order) -> Order:
    return Order.objects.select_for_update().get(pk=order.pk)


def _check(order: Order, to_status: str) -> None:
    if not can_transition(order, to_status):
        raise InvalidTransition(
            _("Order %(number)s is %(status)s: it cannot be %(action)s.")
            % {
                "number": order.number,
                "status": str(S(order.status).label).lower(),
                "action": _ACTIONS[to_status],
            }
        )


def _move(order: Order, to_status: str, *, by=None, note: str = "", **changes) -> Order:
    from_status = order.status
    order.status = to_status
    for name, value in changes.items():
        setattr(order, name, value)
    try:
        order.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise OrderError(" ".join(error.messages)) from error
    order.save()
    OrderStatusEvent.objects.create(
        order=order,
        from_status=from_status,
        to_status=to_status,
        note=note[:255],
        created_by=by if by is not None and by.is_authenticated else None,
    )
    return order


def _stock_lines(order: Order) -> list[tuple[int, int]]:
    return [(line.variant_id, line.quantity) for line in order.lines.all() if line.variant_id]


def _take_stock(order: Order) -> None:
    """Takes the order's units through catalog.stock (row locks in id order), or raises
    OutOfStock naming the first line, in the order's own line order, that cannot be filled."""
    try:
        stock_take(_stock_lines(order))
    except StockShort as error:
        short = {shortage.variant_id for shortage in error.shortages}
        line = next(line for line in order.lines.all() if line.variant_id in short)
        raise OutOfStock(
            _("Not enough stock left for %(name)s to fill this order.")
            % {"name": line.product_name}
        ) from error


def _release_stock(order: Order) -> None:
    """Gives the order's units back through catalog.stock."""
    stock_release(_stock_lines(order))


def refund_idempotency_key(payment: Payment) -> str:
    """One key per payment: a refund sent again (a retry after a failure or a lost answer)
    gets the provider's first refund back instead of a second one."""
    return f"refund-{payment.pk}"


def _refund_payments(order: Order, *, reason: str) -> int:
    """Refunds every successful payment through the gateway; returns how many.

    Runs under the order's row lock, so a double click waits and then finds the order refunded
    (the gateway is called once). When a later step fails the transaction rolls back and the
    payment still looks unrefunded here: the retry sends the same idempotency key, and the
    provider answers with the refund it already made.
    """
    payments = list(order.payments.select_for_update().filter(status=Payment.Status.SUCCEEDED))
    if not payments:
        return 0
    gateway = get_gateway()
    for payment in payments:
        try:
            result = gateway.refund(
                reference=payment.reference,
                amount=payment.amount,
                currency=payment.currency,
                idempotency_key=refund_idempotency_key(payment),
            )
        except Exception as error:  # the provider is unreachable or did not answer
            logger.exception("Refund of payment %s failed", payment.pk)
            raise RefundFailed(
                _(
                    "The payment provider did not answer (%(error)s). Nothing was changed; "
                    "please try again: the payment will not be refunded twice."
                )
                % {"error": type(error).__name__}
            ) from error
        if not result.succeeded:
            raise RefundFailed(
                _("The payment could not be refunded: %(reason)s")
                % {"reason": result.message or _("the gateway refused.")}
            )
        payment.status = Payment.Status.REFUNDED
        payment.message = f"{payment.message} – refunded {result.reference} {reason}".strip()[:255]
        payment.save(update_fields=["status", "message"])
    return len(payments)


@transaction.atomic
def order_mark_paid(*, order: Order, by=None, note: str = "") -> Order:
    """A pending order paid outside the gateway (bank transfer...): takes its stock."""
    order = _locked(order)
    _check(order, S.PAID)
    _take_stock(order)
    return _move(order, S.PAID, by=by, note=note or "Marked paid", paid_at=timezone.now())


@transaction.atomic
def order_start_processing(*, order: Order, by=None, note: str = "") -> Order:
    order = _locked(order)
    _check(order, S.PROCESSING)
    return _move(order, S.PROCESSING, by=by, note=note)


@transaction.atomic
def order_ship(*, order: Order, carrier: str, tracking_number: str, by=None) -> Order:
    """Records the parcel and tells the customer by e-mail (in their language)."""
    carrier, tracking_number = (carrier or "").strip(), (tracking_number or "").strip()
    if not carrier or not tracking_number:
        raise OrderError(_("Enter the carrier and the tracking number."), code="tracking_missing")
    order = _locked(order)
    _check(order, S.SHIPPED)
    order = _move(
        order,
        S.SHIPPED,
        by=by,
        note=f"{carrier} {tracking_number}",
        carrier=carrier,
        tracking_number=tracking_number,
        shipped_at=timezone.now(),
    )
    from ..tasks import queue_order_email

    queue_order_email(order=order, kind="shipped")
    return order


def order_fulfil(*, order: Order, carrier: str, tracking_number: str, by=None) -> Order:
    """The merchant's "ship": a paid order goes through processing first (a status event of its
    own), then ships with its parcel (order_ship, which e-mails the customer).

    Each step is its own transaction, as the two admin paths did before this service: when the
    shipping step fails, the order stays in processing, from where it can be shipped again.
    """
    order.refresh_from_db(fields=["status"])  # the stored status decides, not a stale copy
    if order.status == S.PAID:  # the one status of FULFILLABLE that order_ship refuses
        order = order_start_processing(order=order, by=by)
    return order_ship(order=order, carrier=carrier, tracking_number=tracking_number, by=by)


@transaction.atomic
def order_update_tracking(*, order: Order, carrier: str, tracking_number: str, by=None) -> Order:
    """Corrects the carrier or tracking number of a shipped order (no new e-mail)."""
    carrier, tracking_number = (carrier or "").strip(), (tracking_number or "").strip()
    if not carrier or not tracking_number:
        raise OrderError(_("Enter the carrier and the tracking number."), code="tracking_missing")
    order = _locked(order)
    order.carrier, order.tracking_number = carrier, tracking_number
    order.full_clean(validate_unique=False, validate_constraints=False)
    order.save(update_fields=["carrier", "tracking_number", "updated_at"])
    return order


@transaction.atomic
def order_mark_delivered(*, order: Order, by=None, note: str = "") -> Order:
    order = _locked(order)
    _check(order, S.DELIVERED)
    return _move(order, S.DELIVERED, by=by, note=note)


@transaction.atomic
def order_cancel(*, order: Order, by=None, reason: str = "") -> Order:
    """Cancels before shipping: gives the stock back and refunds what was paid."""
    order = _locked(order)
    _check(order, S.CANCELLED)
    refunded = _refund_payments(order, reason=reason)
    if order.status in STOCK_HELD:
        _release_stock(order)
    note = reason or "Cancelled"
    if refunded:
        note = f"{note} (payment refunded)"
    return _move(order, S.CANCELLED, by=by, note=note)


@transaction.atomic
def order_refund(*, order: Order, by=None, reason: str = "") -> Order:
    """Refunds the order's payments through the gateway and gives the stock back."""
    order = _locked(order)
    _check(order, S.REFUNDED)
    _refund_payments(order, reason=reason)
    if order.status in STOCK_HELD:
        _release_stock(order)
    return _move(order, S.REFUNDED, by=by, note=reason or "Refunded")
