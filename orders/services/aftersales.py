"""After-sales actions a shopper starts (their order page, the shop assistant): cancel before
shipping, request a return after delivery, change the shipping address before shipping; and the
merchant's decisions on return requests (approve, reject, refund).

Every action:
- locks the order row first (SELECT ... FOR UPDATE, as lifecycle.py does), so the page and the
  chat acting at once, or a double click, apply it once;
- is idempotent: doing it again returns what the first call made (the cancelled order, the open
  return request, the unchanged address) without a second refund or a second row;
- is logged in the order's history (OrderStatusEvent). An action that does not change the
  status (a return request, an address change) is an event from the status to itself, with a
  note; the merchant reads those notes, so they are in the store's working language (English),
  like the lifecycle's own notes.

The `order_can_*` checks return (allowed, reason): the reason is shown to the shopper (page or
chat), translated into the active language. Ownership is the caller's job: these services act on
the order they are given.
"""

from dataclasses import fields as dataclass_fields
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django_countries import countries

from ..models import Order, OrderStatus, OrderStatusEvent, ReturnRequest
from ..selectors import duty_rate_for_country, money, shipping_methods_for_country
from .checkout import ShippingAddress
from .errors import (
    AddressChangeRefused,
    AddressInvalid,
    InvalidTransition,
    OrderError,
    ShippingUnavailable,
)
from .lifecycle import order_cancel, order_refund

S = OrderStatus
RR = ReturnRequest.Status

# Before the parcel leaves: the order can still be cancelled or sent elsewhere.
BEFORE_SHIPPING = (S.PENDING, S.PAID, S.PROCESSING)
ADDRESS_FIELDS: tuple[str, ...] = tuple(field.name for field in dataclass_fields(ShippingAddress))
REQUIRED_ADDRESS_FIELDS = ("full_name", "line1", "city", "country")
MAX_REASON_LENGTH = 2000
MAX_NOTE_LENGTH = 500


def _actor(by):
    return by if by is not None and getattr(by, "is_authenticated", False) else None


def _locked(order: Order) -> Order:
    return Order.objects.select_for_update().get(pk=order.pk)


def _log(order: Order, *, note: str, by=None) -> OrderStatusEvent:
    """An entry in the order's history that does not change its status."""
    return OrderStatusEvent.objects.create(
        order=order,
        from_status=order.status,
        to_status=order.status,
        note=note[:255],
        created_by=_actor(by),
    )


def _status_label(order: Order) -> str:
    return str(S(order.status).label).lower()


# --- Reads ------------------------------------------------------------------------------------


def return_window_days() -> int:
    return max(0, int(getattr(settings, "SHOP_RETURN_WINDOW_DAYS", 30)))


def order_delivered_at(order: Order) -> datetime | None:
    """When the order was delivered: its last move into "delivered" in the status history.

    Uses the prefetched history when there is one (the order page prefetches it). An order
    marked delivered without an event (imported data) counts from when it shipped.
    """
    delivered = [
        event.created_at
        for event in order.status_events.all()
        if event.to_status == S.DELIVERED and event.from_status != S.DELIVERED
    ]
    if delivered:
        return max(delivered)
    if order.status == S.DELIVERED:
        return order.shipped_at or order.created_at
    return None


def order_return_window_ends(order: Order) -> datetime | None:
    """The last moment a return can be requested, or None when the order is not delivered."""
    delivered_at = order_delivered_at(order)
    if delivered_at is None:
        return None
    return delivered_at + timedelta(days=return_window_days())


def order_open_return_request(order: Order) -> ReturnRequest | None:
    """The order's return request that is still being handled (requested or approved)."""
    return order.return_requests.filter(status__in=ReturnRequest.OPEN).order_by("-id").first()


def order_can_cancel(order: Order) -> tuple[bool, str]:
    if order.status in BEFORE_SHIPPING:
        return True, ""
    if order.status == S.CANCELLED:
        return False, _("This order is already cancelled.")
    if order.status == S.REFUNDED:
        return False, _("This order has been refunded.")
    if order.status == S.DELIVERED:
        return False, _(
            "This order has been delivered, so it can no longer be cancelled. You can request a "
            "return instead."
        )
    return False, _(
        "This order has already shipped, so it can no longer be cancelled. You can request a "
        "return once it has been delivered."
    )


def order_can_return(order: Order, *, now: datetime | None = None) -> tuple[bool, str]:
    if order.status in BEFORE_SHIPPING:
        return False, _(
            "This order has not been delivered yet. You can still cancel it before it ships."
        )
    if order.status == S.SHIPPED:
        return False, _(
            "This order is on its way. You can request a return once it has been delivered."
        )
    if order.status == S.CANCELLED:
        return False, _("This order was cancelled.")
    if order.status == S.REFUNDED:
        return False, _("This order has been refunded.")
    requests = list(order.return_requests.all())
    if any(request.is_open for request in requests):
        return False, _("A return has already been requested for this order.")
    if any(request.status == RR.REJECTED for request in requests):
        return False, _(
            "Your return request for this order was declined. Please contact us if you have "
            "any questions."
        )
    ends = order_return_window_ends(order)
    if ends is None or (now or timezone.now()) > ends:
        return False, _(
            "The %(days)d-day return period for this order ended on %(date)s. Please contact "
            "us if you have a problem with it."
        ) % {
            "days": return_window_days(),
            "date": formats.date_format(timezone.localtime(ends), "DATE_FORMAT") if ends else "",
        }
    return True, ""


def order_can_change_address(order: Order) -> tuple[bool, str]:
    if order.status in BEFORE_SHIPPING:
        return True, ""
    if order.status in (S.SHIPPED, S.DELIVERED):
        return False, _(
            "This order has already shipped, so its address can no longer be changed. Please "
            "contact the carrier with your tracking number."
        )
    return False, _("This order is %(status)s: its address can no longer be changed.") % {
        "status": _status_label(order)
    }


# --- Cancel -----------------------------------------------------------------------------------


@transaction.atomic
def order_cancel_by_customer(*, order: Order, by=None, reason: str = "") -> Order:
    """The shopper cancels before shipping: lifecycle.order_cancel refunds what was paid through
    the gateway and gives the stock back. An order already cancelled is returned unchanged (no
    second refund)."""
    order = _locked(order)
    if order.status == S.CANCELLED:
        return order
    allowed, why = order_can_cancel(order)
    if not allowed:
        raise InvalidTransition(why, code="cannot_cancel")
    reason = (reason if isinstance(reason, str) else "").strip()
    note = "Cancelled by the customer" + (f": {reason[:180]}" if reason else "")
    return order_cancel(order=order, by=by, reason=note)


# --- Returns ----------------------------------------------------------------------------------


def _clean_text(value, *, max_length: int, label: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) or "\x00" in value:
        raise OrderError(_("Enter a valid %(field)s.") % {"field": label}, code="invalid_text")
    value = value.strip()
    if len(value) > max_length:
        raise OrderError(
            _("The %(field)s can be at most %(max)d characters long.")
            % {"field": label, "max": max_length},
            code="text_too_long",
        )
    return value


@transaction.atomic
def order_return_request(*, order: Order, reason: str, by=None) -> ReturnRequest:
    """Opens a return request for a delivered order within the return window
    (SHOP_RETURN_WINDOW_DAYS from delivery). A request already open is returned, not doubled."""
    reason = _clean_text(reason, max_length=MAX_REASON_LENGTH, label=_("reason"))
    order = _locked(order)
    existing = order_open_return_request(order)
    if existing is not None:
        return existing
    allowed, why = order_can_return(order)
    if not allowed:
        raise InvalidTransition(why, code="cannot_return")
    return_request = ReturnRequest(order=order, reason=reason, requested_by=_actor(by))
    return_request.full_clean(validate_constraints=False)
    return_request.save()
    note = f"Return requested by the customer (request #{return_request.pk})"
    _log(order, note=f"{note}: {reason}" if reason else note, by=by)
    return return_request


def _locked_request(return_request: ReturnRequest) -> tuple[Order, ReturnRequest]:
    """Locks the order, then the request (the order first, as order_return_request does)."""
    order = Order.objects.select_for_update().get(pk=return_request.order_id)
    locked = ReturnRequest.objects.select_for_update().get(pk=return_request.pk)
    locked.order = order
    return order, locked


def _refuse(return_request: ReturnRequest, action: str) -> InvalidTransition:
    return InvalidTransition(
        _("The return request for order %(number)s is %(status)s: it cannot be %(action)s.")
        % {
            "number": return_request.order.number,
            "status": str(RR(return_request.status).label).lower(),
            "action": action,
        },
        code="invalid_return_transition",
    )


@transaction.atomic
def return_request_approve(*, return_request: ReturnRequest, by) -> ReturnRequest:
    """The merchant accepts the return (the shopper sends the piece back); refund comes next."""
    order, return_request = _locked_request(return_request)
    if return_request.status == RR.APPROVED:
        return return_request
    if return_request.status != RR.REQUESTED:
        raise _refuse(return_request, _("approved"))
    return_request.status = RR.APPROVED
    return_request.decided_at = timezone.now()
    return_request.decided_by = _actor(by)
    return_request.save(update_fields=["status", "decided_at", "decided_by"])
    _log(order, note=f"Return request #{return_request.pk} approved", by=by)
    _email(return_request, "return_approved")
    return return_request


@transaction.atomic
def return_request_reject(*, return_request: ReturnRequest, by, note: str = "") -> ReturnRequest:
    """The merchant declines the return (requested, or approved but not refunded yet)."""
    note = _clean_text(note, max_length=MAX_NOTE_LENGTH, label=_("note"))
    order, return_request = _locked_request(return_request)
    if return_request.status == RR.REJECTED:
        return return_request
    if return_request.status not in ReturnRequest.OPEN:
        raise _refuse(return_request, _("rejected"))
    return_request.status = RR.REJECTED
    return_request.decided_at = timezone.now()
    return_request.decided_by = _actor(by)
    return_request.note = note
    return_request.save(update_fields=["status", "decided_at", "decided_by", "note"])
    message = f"Return request #{return_request.pk} rejected"
    _log(order, note=f"{message}: {note}" if note else message, by=by)
    return return_request


@transaction.atomic
def return_request_refund(*, return_request: ReturnRequest, by) -> ReturnRequest:
    """Refunds an approved return through lifecycle.order_refund: the gateway gives the money
    back and the stock is restored (the piece came back), as for any refund after delivery.

    An order the merchant already refunded another way is not refunded twice: the request is
    marked refunded. When the gateway fails, nothing changes and the merchant can retry.
    """
    order, return_request = _locked_request(return_request)
    if return_request.status == RR.REFUNDED:
        return return_request
    if return_request.status != RR.APPROVED:
        if return_request.status == RR.REQUESTED:
            raise InvalidTransition(
                _("Approve the return request for order %(number)s before refunding it.")
                % {"number": order.number},
                code="invalid_return_transition",
            )
        raise _refuse(return_request, _("refunded"))
    if order.status != S.REFUNDED:
        order = order_refund(
            order=order, by=by, reason=f"Return request #{return_request.pk} refunded"
        )
    else:
        _log(order, note=f"Return request #{return_request.pk} marked refunded", by=by)
    return_request.order = order
    return_request.status = RR.REFUNDED
    return_request.refunded_at = timezone.now()
    if return_request.decided_by_id is None:
        return_request.decided_by = _actor(by)
    return_request.save(update_fields=["status", "refunded_at", "decided_by"])
    _email(return_request, "return_refunded")
    return return_request


def _email(return_request: ReturnRequest, kind: str) -> None:
    """Tells the shopper, once the decision is committed (orders.tasks)."""
    from ..tasks import queue_return_email

    queue_return_email(return_request=return_request, kind=kind)


# --- Shipping address -------------------------------------------------------------------------


def _order_field(name: str) -> str:
    return "shipping_name" if name == "full_name" else f"shipping_{name}"


def _field_label(name: str) -> str:
    return str(Order._meta.get_field(_order_field(name)).verbose_name)


def clean_shipping_address(address) -> ShippingAddress:
    """Checks a new address as the checkout's address form does (required fields, lengths, a
    known country); raises AddressInvalid with the errors per field."""
    if not isinstance(address, dict):
        raise AddressInvalid(_("Enter the new address."), errors={})
    errors: dict[str, list[str]] = {}
    unknown = sorted(str(key) for key in address if key not in ADDRESS_FIELDS)
    if unknown:
        raise AddressInvalid(
            _("Unknown address fields: %(fields)s.") % {"fields": ", ".join(unknown)[:200]}
        )
    values: dict[str, str] = {}
    for name in ADDRESS_FIELDS:
        value = address.get(name)
        if value is None:
            value = ""
        if not isinstance(value, str) or "\x00" in value:
            errors.setdefault(name, []).append(_("Enter a valid value."))
            continue
        value = value.strip()
        max_length = Order._meta.get_field(_order_field(name)).max_length
        if name in REQUIRED_ADDRESS_FIELDS and not value:
            errors.setdefault(name, []).append(_("This field is required."))
        elif max_length and len(value) > max_length:
            errors.setdefault(name, []).append(
                _("Ensure this value has at most %(max)d characters.") % {"max": max_length}
            )
        values[name] = value
    country = values.get("country", "").upper()
    if "country" not in errors and country not in dict(countries):
        errors.setdefault("country", []).append(_("Select a valid country."))
    if errors:
        message = "; ".join(
            f"{_field_label(name)}: {' '.join(messages)}" for name, messages in errors.items()
        )
        raise AddressInvalid(message, errors=errors)
    values["country"] = country
    return ShippingAddress(**values)


def _duties_and_taxes(order: Order, country: str) -> tuple[Decimal, Decimal]:
    """The duty and tax the order's goods and shipping would pay in `country` (as checkout
    computes them, orders.selectors.compute_totals)."""
    rate = duty_rate_for_country(country)
    if rate is None:
        return money(0), money(0)
    duties = money(0)
    if order.subtotal >= rate.duty_free_under:
        duties = money(order.subtotal * rate.duty_percent / 100)
    taxes = money((order.subtotal + order.shipping_cost + duties) * rate.tax_percent / 100)
    return duties, taxes


def _country_name(code: str) -> str:
    return str(countries.name(code)) or code


def _check_destination(order: Order, address: ShippingAddress) -> None:
    """The new country must be served, and must not change what the order costs: the same
    shipping zone (the same methods and prices) and the same duty and tax for these goods."""
    methods = shipping_methods_for_country(address.country)
    if not methods:
        raise ShippingUnavailable(
            _("Sorry, we do not ship to %(country)s yet.")
            % {"country": _country_name(address.country)},
            code="no_shipping",
        )
    old_country = order.shipping_country.code if order.shipping_country else ""
    if address.country == old_country:
        return
    old_methods = shipping_methods_for_country(old_country)
    same_zone = bool(old_methods) and old_methods[0].zone_id == methods[0].zone_id
    same_charges = _duties_and_taxes(order, address.country) == (
        money(order.duties),
        money(order.taxes),
    )
    if not (same_zone and same_charges):
        raise AddressChangeRefused(
            _(
                "Sending this order to %(country)s would change its shipping cost or import "
                "duties and taxes, so we cannot change it here. Please contact us and we will "
                "sort it out with you."
            )
            % {"country": _country_name(address.country)}
        )


def _one_line(fields: dict) -> str:
    parts = [
        fields["shipping_name"],
        fields["shipping_company"],
        fields["shipping_line1"],
        fields["shipping_line2"],
        " ".join(p for p in (fields["shipping_postal_code"], fields["shipping_city"]) if p),
        fields["shipping_region"],
        fields["shipping_country"],
        fields["shipping_phone"],
    ]
    return ", ".join(str(part) for part in parts if part)


@transaction.atomic
def order_change_shipping_address(*, order: Order, address: dict, by=None) -> Order:
    """Sends an order that has not shipped yet to another address.

    `address` has the fields of ShippingAddress (full_name, company, line1, line2, city, region,
    postal_code, country, phone); it replaces the whole address. A change of country is taken
    only when the order would cost the same there; otherwise AddressChangeRefused asks the
    shopper to contact the shop (the order is never re-priced silently). The same address again
    changes nothing and logs nothing.
    """
    new_address = clean_shipping_address(address)
    order = _locked(order)
    allowed, why = order_can_change_address(order)
    if not allowed:
        raise InvalidTransition(why, code="cannot_change_address")
    _check_destination(order, new_address)
    new_fields = new_address.order_fields()
    old_fields = {name: str(getattr(order, name) or "") for name in new_fields}
    if old_fields == new_fields:
        return order
    for name, value in new_fields.items():
        setattr(order, name, value)
    try:
        order.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise AddressInvalid(" ".join(error.messages)) from error
    order.save(update_fields=[*new_fields, "updated_at"])
    old_line, new_line = _one_line(old_fields), _one_line(new_fields)
    _log(
        order,
        note=f"Address changed by the customer: {old_line[:115]} → {new_line[:115]}",
        by=by,
    )
    return order
