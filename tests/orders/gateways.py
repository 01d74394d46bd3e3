"""A payment provider for tests, at the true outside edge: it keeps the provider's side.

`RecordingGateway` takes the test cards like the offline test gateway and remembers every
charge and refund as a provider would. Like a real provider (Stripe's Idempotency-Key), a refund
sent again with the same idempotency key returns the first refund instead of refunding twice; a
refund sent without one (or with a new one each time) refunds again. Select it with
`settings.SHOP_PAYMENT_GATEWAY = GATEWAY_PATH`; `provider` holds what the provider saw.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from orders.payments import RefundResult, TestGateway

GATEWAY_PATH = "tests.orders.gateways.RecordingGateway"


@dataclass
class Provider:
    charges: list[str] = field(default_factory=list)
    refund_calls: list[dict] = field(default_factory=list)
    # reference of the refund -> the charge it gave money back for
    refunds: dict[str, str] = field(default_factory=dict)
    refunds_by_key: dict[str, str] = field(default_factory=dict)
    # Failures to play, in order: "timeout" (refunds, then the answer is lost), "decline".
    refund_failures: list[str] = field(default_factory=list)

    def refunded_charges(self) -> list[str]:
        return sorted(self.refunds.values())


provider = Provider()


def reset() -> Provider:
    global provider
    provider = Provider()
    return provider


class RecordingGateway(TestGateway):
    code = "recording"

    def charge(self, *, amount, currency, token, idempotency_key):
        result = super().charge(
            amount=amount, currency=currency, token=token, idempotency_key=idempotency_key
        )
        if result.succeeded:
            provider.charges.append(result.reference)
        return result

    def refund(self, *, reference: str, amount: Decimal, currency: str, idempotency_key=None):
        provider.refund_calls.append(
            {"reference": reference, "amount": amount, "idempotency_key": idempotency_key}
        )
        failure = provider.refund_failures.pop(0) if provider.refund_failures else None
        if failure == "decline":
            return RefundResult(False, message="The provider declined the refund.")
        if idempotency_key and idempotency_key in provider.refunds_by_key:
            refund = provider.refunds_by_key[idempotency_key]
        else:
            refund = f"re_{len(provider.refunds) + 1}"
            provider.refunds[refund] = reference
            if idempotency_key:
                provider.refunds_by_key[idempotency_key] = refund
        if failure == "timeout":
            raise TimeoutError("The provider did not answer in time.")
        return RefundResult(True, reference=refund)
