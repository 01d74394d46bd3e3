"""A stand-in for a real payment provider's gateway (the production settings tests name it)."""

from orders.payments import ChargeResult, PaymentGateway, RefundResult


class ProviderGateway(PaymentGateway):
    code = "provider"

    def charge(self, *, amount, currency, token, idempotency_key):  # pragma: no cover
        return ChargeResult(ChargeResult.FAILED, message="not connected")

    def refund(self, *, reference, amount, currency):  # pragma: no cover
        return RefundResult(False, message="not connected")
