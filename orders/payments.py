"""The payment gateway interface and the offline test gateway.

A real provider is added by writing a class with the same two methods (charge and refund) and
naming it in the SHOP_PAYMENT_GATEWAY setting (a dotted path). The checkout never sees a card
number beyond the call to `charge`: gateways return the last four digits for the receipt.
"""

from __future__ import annotations

import hashlib
import logging
from abc import ABC, abstractmethod
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

DEFAULT_GATEWAY = "orders.payments.TestGateway"

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ChargeResult:
    """What a gateway answers to a charge.

    `status` is "succeeded", "declined" (the card issuer said no: try another card) or "failed"
    (a processing error: the same card may work on a retry). `message` is for the shopper.
    """

    status: str
    reference: str = ""
    message: str = ""
    card_last4: str = ""

    SUCCEEDED = "succeeded"
    DECLINED = "declined"
    FAILED = "failed"

    @property
    def succeeded(self) -> bool:
        return self.status == self.SUCCEEDED

    @property
    def retryable(self) -> bool:
        return self.status == self.FAILED


@dataclass(frozen=True)
class RefundResult:
    succeeded: bool
    reference: str = ""
    message: str = ""


class PaymentGateway(ABC):
    """What the checkout needs from a payment provider."""

    #: Stored on each Payment so the merchant sees which provider took the money.
    code: str = "gateway"
    #: True for a gateway that takes no real money (refused in production unless allowed).
    is_test_gateway: bool = False

    @abstractmethod
    def charge(
        self, *, amount: Decimal, currency: str, token: str, idempotency_key: str
    ) -> ChargeResult:
        """Takes `amount` of `currency` with the payment `token` (a card token or, for the
        test gateway, the card number). The same `idempotency_key` must never charge twice."""

    @abstractmethod
    def refund(
        self, *, reference: str, amount: Decimal, currency: str, idempotency_key: str
    ) -> RefundResult:
        """Gives back `amount` of the charge with gateway `reference`.

        The same `idempotency_key` must never refund twice: a refund sent again with it (a
        retry after a timeout or a failure on our side) answers with the first refund.
        """


def card_digits(token: str) -> str:
    return "".join(character for character in token or "" if character.isdigit())


class TestGateway(PaymentGateway):
    """An offline gateway with the usual test cards, so the whole flow works without a provider.

    4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined, 4000 0000 0000 0119 fails with
    a processing error (a retry may work); any other number is declined with a hint.
    """

    __test__ = False  # not a pytest test class despite its name

    code = "test"
    is_test_gateway = True
    SUCCESS_CARD = "4242424242424242"
    DECLINED_CARD = "4000000000000002"
    PROCESSING_ERROR_CARD = "4000000000000119"

    def charge(
        self, *, amount: Decimal, currency: str, token: str, idempotency_key: str
    ) -> ChargeResult:
        digits = card_digits(token)
        last4 = digits[-4:]
        if not test_gateway_allowed():
            # A store in production left on the test gateway would mark orders paid for test
            # card numbers: no money, goods shipped. It takes no order until it is set up.
            logger.error(
                "The test payment gateway refused a charge: DEBUG is off. Set "
                "SHOP_PAYMENT_GATEWAY to a real provider, or SHOP_ALLOW_TEST_GATEWAY=true for a "
                "store that takes test payments on purpose."
            )
            return ChargeResult(
                ChargeResult.FAILED,
                message=_(
                    "This store cannot take payments yet. Please try again later or contact us."
                ),
            )
        if amount <= 0:
            return ChargeResult(ChargeResult.FAILED, message=_("The amount to charge is invalid."))
        if digits == self.SUCCESS_CARD:
            # Derived from the idempotency key, as a real gateway answers a repeated key with
            # the first charge instead of making a second one.
            digest = hashlib.sha256(idempotency_key.encode()).hexdigest()[:24]
            return ChargeResult(
                ChargeResult.SUCCEEDED, reference=f"test_ch_{digest}", card_last4=last4
            )
        if digits == self.PROCESSING_ERROR_CARD:
            return ChargeResult(
                ChargeResult.FAILED,
                message=_("The payment could not be processed. Please try again."),
                card_last4=last4,
            )
        if digits == self.DECLINED_CARD:
            return ChargeResult(
                ChargeResult.DECLINED, message=_("Your card was declined."), card_last4=last4
            )
        return ChargeResult(
            ChargeResult.DECLINED,
            message=_(
                "Your card was declined. This store takes test payments only: use the card "
                "4242 4242 4242 4242."
            ),
            card_last4=last4,
        )

    def refund(
        self, *, reference: str, amount: Decimal, currency: str, idempotency_key: str
    ) -> RefundResult:
        if not reference.startswith("test_ch_") or amount <= 0:
            return RefundResult(False, message=_("The test gateway does not know this payment."))
        # Derived from the key, as a real provider answers a repeated key with the first refund.
        digest = hashlib.sha256(f"{reference}:{idempotency_key}".encode()).hexdigest()[:24]
        return RefundResult(True, reference=f"test_re_{digest}")


def test_gateway_allowed() -> bool:
    """The test gateway runs with DEBUG on, or where SHOP_ALLOW_TEST_GATEWAY says so (`make
    run`, the tests, a demo store)."""
    return bool(settings.DEBUG or getattr(settings, "SHOP_ALLOW_TEST_GATEWAY", False))


@lru_cache(maxsize=4)
def _gateway_class(path: str) -> type[PaymentGateway]:
    return import_string(path)


def get_gateway() -> PaymentGateway:
    """The gateway named by SHOP_PAYMENT_GATEWAY (dotted path; the test gateway by default)."""
    return _gateway_class(getattr(settings, "SHOP_PAYMENT_GATEWAY", DEFAULT_GATEWAY))()
