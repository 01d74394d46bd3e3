"""The one stock API: every write to a variant's stock_quantity outside the merchant's own edits
(the admin's stock list, imports, the demo) goes through here.

Locks: the variant rows are locked with SELECT ... FOR UPDATE (only the variant rows, of=self)
in ascending id order, always. Two transactions that need some of the same variants then wait
for each other in the same order and never deadlock, whatever order their lines came in
(a checkout's bag, an order's lines). The locks are held until the caller's transaction ends,
so call these inside the transaction that records why the stock moved (the order), and the
stock and that record commit or roll back together.

Writes are `stock_quantity = stock_quantity +/- n` in the database, never a value computed in
Python, so they stay right even for a caller that read the row before it was locked.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from .models import Product, ProductVariant
from .services import product_refresh_availability

StockLines = Sequence[tuple[int, int]]  # (variant_id, quantity)


@dataclass(frozen=True)
class Shortage:
    variant_id: int
    available: int
    wanted: int


class StockShort(Exception):
    """Not enough stock for one or more variants; nothing was taken.

    `shortages` lists every short variant in ascending id order (the first one is also
    `variant_id` / `available` / `wanted`). The message is for logs and the merchant, not
    translated: callers that talk to shoppers word their own from these figures.
    """

    def __init__(self, shortages: Sequence[Shortage]):
        self.shortages = tuple(shortages)
        first = self.shortages[0]
        self.variant_id, self.available, self.wanted = (
            first.variant_id,
            first.available,
            first.wanted,
        )
        super().__init__(
            "; ".join(
                f"variant {item.variant_id}: {item.available} left, {item.wanted} wanted"
                for item in self.shortages
            )
        )


def _quantities(lines: Iterable[tuple[int, int]]) -> dict[int, int]:
    """{variant_id: quantity}, lines for the same variant added up, in ascending id order."""
    totals: dict[int, int] = {}
    for variant_id, quantity in lines:
        if variant_id is None:
            continue
        quantity = int(quantity)
        if quantity < 0:
            raise ValueError(f"A stock line cannot be negative: {variant_id}, {quantity}")
        totals[variant_id] = totals.get(variant_id, 0) + quantity
    return dict(sorted(totals.items()))


def stock_lock(variant_ids: Iterable[int]) -> dict[int, ProductVariant]:
    """Locks the variants' rows in ascending id order; returns {id: variant} of those that exist.

    Must run inside a transaction (the locks last until it ends). A checkout locks first and
    checks its bag against the locked rows, then takes the stock with stock_take once paid.
    """
    ids = sorted({pk for pk in variant_ids if pk is not None})
    if not ids:
        return {}
    return {
        variant.pk: variant
        for variant in ProductVariant.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .order_by("pk")
    }


def _refresh(product_ids: Iterable[int]) -> None:
    for product in Product.objects.filter(pk__in=sorted(set(product_ids))).order_by("pk"):
        product_refresh_availability(product=product)


@transaction.atomic
def stock_take(lines: StockLines) -> dict[int, ProductVariant]:
    """Takes `quantity` units of each `(variant_id, quantity)` line, or raises StockShort and
    takes nothing.

    Variants that no longer exist are skipped (an order line whose piece was deleted). The
    products of variants that ran out get their availability recomputed (listings filter on
    it; it can only change when a variant reaches 0). Returns the locked variants as they were
    before the take, {id: variant}.
    """
    wanted = _quantities(lines)
    variants = stock_lock(wanted)
    shortages = [
        Shortage(variant_id=pk, available=variants[pk].stock_quantity, wanted=quantity)
        for pk, quantity in wanted.items()
        if pk in variants and variants[pk].stock_quantity < quantity
    ]
    if shortages:
        raise StockShort(shortages)
    for pk, quantity in wanted.items():
        if pk in variants and quantity:
            ProductVariant.objects.filter(pk=pk).update(
                stock_quantity=F("stock_quantity") - quantity
            )
    _refresh(
        variants[pk].product_id
        for pk, quantity in wanted.items()
        if pk in variants and quantity and variants[pk].stock_quantity == quantity
    )
    return variants


@transaction.atomic
def stock_release(lines: StockLines) -> dict[int, ProductVariant]:
    """Puts back `quantity` units of each `(variant_id, quantity)` line (a cancelled or refunded
    order); variants that no longer exist are skipped. Every product touched gets its
    availability recomputed. Returns the locked variants as they were before, {id: variant}."""
    given = _quantities(lines)
    variants = stock_lock(given)
    for pk, quantity in given.items():
        if pk in variants and quantity:
            ProductVariant.objects.filter(pk=pk).update(
                stock_quantity=F("stock_quantity") + quantity
            )
    _refresh(variant.product_id for variant in variants.values())
    return variants
