"""The one stock API (catalog.stock): take, release, short stock, locks in id order."""

import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from catalog.models import Product, ProductVariant
from catalog.stock import StockShort, stock_release, stock_take
from tests.concurrency import run_together
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def _stock(variant) -> int:
    return ProductVariant.objects.get(pk=variant.pk).stock_quantity


def _two_variants(first: int = 5, second: int = 5):
    ring = ProductFactory(handle="stock-ring", variants=[{"price": 100, "stock_quantity": first}])
    chain = ProductFactory(handle="stock-chain", variants=[{"price": 80, "stock_quantity": second}])
    return ring.variants.get(), chain.variants.get()


def test_stock_take_takes_every_line_and_marks_a_sold_out_product_out_of_stock():
    ring, chain = _two_variants(first=2, second=5)

    stock_take([(ring.pk, 2), (chain.pk, 1)])

    assert _stock(ring) == 0
    assert _stock(chain) == 4
    assert Product.objects.get(pk=ring.product_id).in_stock is False
    assert Product.objects.get(pk=chain.product_id).in_stock is True


def test_stock_take_adds_up_lines_of_the_same_variant():
    ring, _chain = _two_variants(first=3)

    with pytest.raises(StockShort) as short:
        stock_take([(ring.pk, 2), (ring.pk, 2)])

    assert (short.value.variant_id, short.value.available, short.value.wanted) == (ring.pk, 3, 4)
    assert _stock(ring) == 3


def test_short_stock_names_every_short_variant_and_takes_nothing():
    ring, chain = _two_variants(first=1, second=0)

    with pytest.raises(StockShort) as short:
        stock_take([(chain.pk, 2), (ring.pk, 3)])

    # In ascending id order, with what is left and what was wanted
    assert [(s.variant_id, s.available, s.wanted) for s in short.value.shortages] == sorted(
        [(ring.pk, 1, 3), (chain.pk, 0, 2)]
    )
    assert f"variant {ring.pk}: 1 left, 3 wanted" in str(short.value)
    assert _stock(ring) == 1
    assert _stock(chain) == 0


def test_stock_release_restores_what_a_take_took_and_the_product_is_back_in_stock():
    ring, chain = _two_variants(first=1, second=4)
    stock_take([(ring.pk, 1), (chain.pk, 2)])
    assert Product.objects.get(pk=ring.product_id).in_stock is False

    stock_release([(ring.pk, 1), (chain.pk, 2)])

    assert _stock(ring) == 1
    assert _stock(chain) == 4
    assert Product.objects.get(pk=ring.product_id).in_stock is True


def test_a_variant_that_no_longer_exists_is_skipped():
    ring, _chain = _two_variants(first=2)
    gone = ProductVariant.objects.order_by("-pk").first().pk + 100

    stock_take([(gone, 1), (ring.pk, 1)])
    stock_release([(gone, 1), (ring.pk, 2)])

    assert _stock(ring) == 3


def test_a_negative_quantity_is_refused():
    ring, _chain = _two_variants()
    with pytest.raises(ValueError):
        stock_take([(ring.pk, -1)])
    assert _stock(ring) == 5


def test_rows_are_locked_and_written_in_ascending_id_order_whatever_the_line_order():
    ring, chain = _two_variants()
    low, high = sorted([ring.pk, chain.pk])

    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        stock_take([(high, 1), (low, 1)])

    sqls = [query["sql"] for query in queries.captured_queries]
    lock = next(sql for sql in sqls if 'FROM "catalog_productvariant"' in sql)
    assert re.search(r'ORDER BY "catalog_productvariant"\."id" ASC', lock)
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in lock
    # The captured SQL has its parameters inlined (SQLite and PostgreSQL alike).
    written = [
        int(match.group(1))
        for sql in sqls
        if sql.startswith('UPDATE "catalog_productvariant"')
        for match in [re.search(r'"catalog_productvariant"\."id" = (\d+)', sql)]
    ]
    assert written == [low, high]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_takes_in_opposite_line_orders_at_once_never_deadlock_nor_oversell():
    ring, chain = _two_variants(first=5, second=5)

    def take(index: int):
        lines = [(ring.pk, 1), (chain.pk, 1)]
        with transaction.atomic():
            return stock_take(lines if index % 2 else lines[::-1])

    outcomes = run_together(12, take)

    taken = [outcome for outcome in outcomes if isinstance(outcome, dict)]
    short = [outcome for outcome in outcomes if isinstance(outcome, StockShort)]
    assert len(taken) == 5, outcomes
    assert len(short) == 7, outcomes
    assert _stock(ring) == 0
    assert _stock(chain) == 0
