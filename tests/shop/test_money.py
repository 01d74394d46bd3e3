"""shop.money.to_base: a price limit in the shopper's currency includes exactly the products
whose price, as the shopper sees it, lies inside the limit."""

from decimal import Decimal

import pytest
from django.core.cache import cache

from shop.money import convert_price, to_base
from tests.factories import ExchangeRateFactory

RATES = {"EUR": "0.92", "JPY": "151.5", "AED": "3.6725", "CHF": "0.5"}


@pytest.fixture
def rates(db):
    cache.clear()
    for currency, rate in RATES.items():
        ExchangeRateFactory(currency=currency, rate=Decimal(rate))
    yield
    cache.clear()


def shown(price: Decimal, currency: str) -> Decimal:
    return convert_price(price, currency=currency)[0]


@pytest.mark.parametrize("currency", ["USD", "EUR", "JPY", "AED", "CHF", "GBP"])
def test_a_limit_includes_exactly_the_prices_shown_inside_it(rates, currency):
    # Every stored price (a cent apart) around a few limits: the base-currency bound keeps
    # exactly those shown at or below a "max" limit, at or above a "min" limit.
    prices = [Decimal(cents).scaleb(-2) for cents in range(9_900, 10_110)]
    seen = {price: shown(price, currency) for price in prices}
    for price in prices[::17]:
        for limit in {seen[price], seen[price] + Decimal("0.01")}:
            high = to_base(limit, currency, rounding="max")
            low = to_base(limit, currency, rounding="min")
            for candidate in prices:
                assert (candidate <= high) == (seen[candidate] <= limit), (candidate, limit)
                assert (candidate >= low) == (seen[candidate] >= limit), (candidate, limit)


def test_half_a_cent_rounds_up_as_the_shopper_sees_it(rates):
    # At 0.5, 100.01 USD is 50.005 EUR, shown as 50.01 EUR: outside "up to 50", inside "from
    # 50.01" (the listing used to include it in the first, the API to drop it from the second).
    assert shown(Decimal("100.01"), "CHF") == Decimal("50.01")
    assert to_base(Decimal("50"), "CHF", rounding="max") == Decimal("100.00")
    assert to_base(Decimal("50.01"), "CHF", rounding="min") == Decimal("100.01")


def test_a_currency_without_a_rate_is_read_as_the_base_currency(rates):
    # Prices are then shown in the base currency, so the limit is a base-currency amount.
    assert to_base(Decimal("99.999"), "GBP", rounding="max") == Decimal("99.99")
    assert to_base(Decimal("99.991"), "GBP", rounding="min") == Decimal("100.00")


def test_yen_limits_are_whole_yen(rates):
    # 100.00 USD is 15,150 yen; 100.01 USD is 15,151.515 yen, shown as 15,152.
    assert to_base(Decimal("15150"), "JPY", rounding="max") == Decimal("100.00")
    assert to_base(Decimal("15151"), "JPY", rounding="max") == Decimal("100.00")
    assert to_base(Decimal("15152"), "JPY", rounding="min") == Decimal("100.01")


def test_an_unknown_rounding_is_refused(rates):
    with pytest.raises(ValueError):
        to_base(Decimal("1"), "EUR", rounding="nearest")  # type: ignore[arg-type]


def test_exchange_rate_set_creates_updates_and_refuses_bad_values(db):
    from django.core.exceptions import ValidationError

    from shop.models import ExchangeRate
    from shop.money import exchange_rate_set

    cache.clear()
    exchange_rate_set(currency="EUR", rate="0.90")
    assert convert_price(Decimal("100.00"), currency="EUR")[0] == Decimal("90.00")

    # A new rate replaces the old one and the cached rates with it
    exchange_rate_set(currency="EUR", rate=Decimal("0.95"))
    assert ExchangeRate.objects.get(currency="EUR").rate == Decimal("0.95")
    assert convert_price(Decimal("100.00"), currency="EUR")[0] == Decimal("95.00")

    # A code that is not ISO 4217's shape, or a rate that is not positive, is refused
    for currency, rate in (("eur", "1"), ("EURO", "1"), ("GBP", "0"), ("GBP", "-1")):
        with pytest.raises(ValidationError):
            exchange_rate_set(currency=currency, rate=rate)
    assert not ExchangeRate.objects.filter(currency="GBP").exists()
    cache.clear()
