"""Errors the order services raise: each carries a message for the shopper (already translated
into the active language) and a short code for API clients."""


class OrderError(Exception):
    code = "invalid"
    http_status = 400

    def __init__(self, message, *, code: str | None = None):
        self.message = str(message)
        if code:
            self.code = code
        super().__init__(self.message)


class CartError(OrderError):
    code = "cart_invalid"


class ProductUnavailable(CartError):
    code = "unavailable"
    http_status = 409


class OutOfStock(CartError):
    code = "out_of_stock"
    http_status = 409


class EmptyCart(OrderError):
    code = "cart_empty"


class ShippingUnavailable(OrderError):
    code = "no_shipping"


class PaymentFailed(OrderError):
    """The gateway did not take the money: "card_declined" or "processing_error"."""

    code = "card_declined"
    http_status = 402

    @property
    def retryable(self) -> bool:
        return self.code == "processing_error"


class TotalChanged(OrderError):
    """The total to charge is not the one the shopper was shown (bag, price or rate changed)."""

    code = "total_changed"
    http_status = 409


class IdempotencyConflict(OrderError):
    code = "idempotency_conflict"
    http_status = 409


class OrderAlreadyPlaced(IdempotencyConflict):
    """A guest's checkout replayed from another bag (session): the order exists, and only the
    shopper who placed it (their session, their e-mail) may see it."""

    code = "already_placed"


class InvalidTransition(OrderError):
    code = "invalid_transition"
    http_status = 409


class RefundFailed(OrderError):
    code = "refund_failed"
    http_status = 502


class AddressInvalid(OrderError):
    """The new shipping address is incomplete or malformed; `errors` maps each field (the names
    of ShippingAddress) to its messages, for a form to show next to the field."""

    code = "address_invalid"

    def __init__(self, message, *, errors: dict[str, list[str]] | None = None, code=None):
        self.errors = errors or {}
        super().__init__(message, code=code)


class AddressChangeRefused(OrderError):
    """The new address would change what the order costs (another shipping zone, other duties
    or taxes): the shop re-prices it, not the shopper."""

    code = "contact_shop"
    http_status = 409
