"""Money in the kernel: exchange rates, conversion both ways, rounding and formatting.

Prices are stored in the base currency (settings.SHOP_BASE_CURRENCY) with two decimals and only
converted to the shopper's currency to be shown (or charged, at the rate an order records).

The rates themselves are rows the merchant edits: the kernel's own model, shop.models.ExchangeRate
(orders' until issue 13 step 6 moved it here, same table). settings.SHOP_EXCHANGE_RATE_MODEL
names it ("shop.ExchangeRate"); the name it had before the move, "orders.ExchangeRate", still
means the same model, and any other "app.Model" with `currency` and `rate` is read through the
app registry. A save or delete of a rate clears the cached rates (connected in shop/apps.py).

`to_base` is the one way an amount typed in the shopper's currency (a price limit in the
listing filter, the catalog and search APIs, or "under 500 EUR" in a search query) becomes a
bound on stored prices. Its rule, the same everywhere: a price limit includes exactly the
products whose price *as shown to the shopper* lies inside it, so a product shown at exactly
the limit is found, at both ends, and one shown a minor unit outside it is not.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Literal

from babel.numbers import format_currency, get_currency_precision
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import models

from .events import after_commit
from .models import ExchangeRate

# The key keeps its old name so processes running the previous code share the entry.
RATES_CACHE_KEY = "orders:exchange-rates"
# Rates change rarely; a short cache keeps every page from paying a query for them while a
# change made in the admin shows within a minute on every web process.
RATES_CACHE_SECONDS = 60

CENT = Decimal("0.01")
# Catalog prices are DecimalFields with two decimals: a base-currency bound is exact at this step.
PRICE_STEP = CENT
_SETTLE_STEPS = 4

# Django language codes to the Babel locales used for number and currency formats.
_BABEL_LOCALES = {
    "zh-hans": "zh_Hans_CN",
    "en": "en_US",
    "ar": "ar_AE",
    "ja": "ja_JP",
    "fr": "fr_FR",
    "de": "de_DE",
    "es": "es_ES",
}


# --- Exchange rates ---------------------------------------------------------------------------


# What SHOP_EXCHANGE_RATE_MODEL may say to mean the kernel's model: its name, and the name it had
# while orders owned it (a settings file written before issue 13 step 6 keeps working).
KERNEL_EXCHANGE_RATE_MODEL_NAMES = frozenset({"shop.exchangerate", "orders.exchangerate"})


def exchange_rate_model() -> type[models.Model]:
    """The model the rates are read from (settings.SHOP_EXCHANGE_RATE_MODEL)."""
    name = settings.SHOP_EXCHANGE_RATE_MODEL
    if name.lower() in KERNEL_EXCHANGE_RATE_MODEL_NAMES:
        return ExchangeRate
    return apps.get_model(name)


def clear_exchange_rate_cache() -> None:
    cache.delete(RATES_CACHE_KEY)


def exchange_rate_changed(**kwargs) -> None:
    """post_save/post_delete of a rate: the cached rates go now, and again once the change
    commits, since a page that read the rates in between would otherwise keep the old ones
    cached for a minute after the merchant's save."""
    clear_exchange_rate_cache()
    after_commit(clear_exchange_rate_cache)


def exchange_rates() -> dict[str, Decimal]:
    """Units of each currency per unit of the base currency (the base itself is 1)."""
    rates = cache.get(RATES_CACHE_KEY)
    if rates is None:
        rates = dict(exchange_rate_model().objects.values_list("currency", "rate"))
        cache.set(RATES_CACHE_KEY, rates, RATES_CACHE_SECONDS)
    rates[settings.SHOP_BASE_CURRENCY] = Decimal(1)
    return rates


def currency_rate(currency: str) -> tuple[str, Decimal]:
    """The currency an amount will really be shown and charged in, with its rate.

    A currency without a (positive) rate falls back to the base currency, so a price is never
    wrong: it is shown in the currency it is stored in.
    """
    rate = exchange_rates().get(currency)
    if rate is None or rate <= 0:
        return settings.SHOP_BASE_CURRENCY, Decimal(1)
    return currency, rate


def minor_unit(currency: str) -> Decimal:
    """The smallest amount shown in `currency`: 0.01 for EUR, 1 for JPY."""
    return Decimal(1).scaleb(-get_currency_precision(currency))


# --- Base currency -> shopper's currency ------------------------------------------------------


def money(amount: Decimal | int | str) -> Decimal:
    """An amount in the base currency, rounded to the cent (half up, as shoppers expect)."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def convert_at_rate(amount: Decimal, *, currency: str, rate: Decimal) -> Decimal:
    """A base-currency amount in `currency` at a given rate (the one stored on an order),
    rounded half up to the currency's minor unit."""
    return (Decimal(amount) * rate).quantize(minor_unit(currency), rounding=ROUND_HALF_UP)


def convert_price(amount: Decimal, *, currency: str) -> tuple[Decimal, str]:
    """The amount in `currency`, rounded to that currency's minor unit, and the currency it is
    really in (the base currency when `currency` has no rate)."""
    currency, rate = currency_rate(currency)
    return convert_at_rate(amount, currency=currency, rate=rate), currency


# --- Shopper's currency -> base currency ------------------------------------------------------


def to_base(amount: Decimal, currency: str, *, rounding: Literal["min", "max"]) -> Decimal:
    """A price limit typed in `currency`, as a bound on prices stored in the base currency.

    `rounding` says which end of a range the limit is. The bound is exact for stored prices
    (multiples of PRICE_STEP):
    - "min": the lowest stored price shown at `amount` or more; filter with `price >= bound`;
    - "max": the highest stored price shown at `amount` or less; filter with `price <= bound`.
    "Shown" is convert_price: the price times the rate, rounded half up to the minor unit. So
    a product shown at exactly the limit is included at both ends, one shown a minor unit
    outside is not. A currency without a rate is read as the base currency, as prices are then
    shown in it.
    """
    amount = Decimal(amount)
    currency, rate = currency_rate(currency)

    def shown(price: Decimal) -> Decimal:
        return convert_at_rate(price, currency=currency, rate=rate)

    half = minor_unit(currency) / 2
    # Decimal division is not exact: the estimate is settled on the true edge, which is at
    # most a step or two away (bounded, so a 28-digit amount cannot loop for ever).
    if rounding == "max":
        # Shown at `amount` or less <=> price * rate < amount + half a unit.
        bound = ((amount + half) / rate).quantize(PRICE_STEP, rounding=ROUND_FLOOR)
        for _step in range(_SETTLE_STEPS):
            if shown(bound) > amount:
                bound -= PRICE_STEP
            elif shown(bound + PRICE_STEP) <= amount:
                bound += PRICE_STEP
            else:
                break
        return bound
    if rounding == "min":
        # Shown at `amount` or more <=> price * rate >= amount - half a unit.
        bound = ((amount - half) / rate).quantize(PRICE_STEP, rounding=ROUND_CEILING)
        for _step in range(_SETTLE_STEPS):
            if shown(bound) < amount:
                bound += PRICE_STEP
            elif shown(bound - PRICE_STEP) >= amount:
                bound -= PRICE_STEP
            else:
                break
        return bound
    raise ValueError(f"rounding must be 'min' or 'max', not {rounding!r}")


# --- Formatting -------------------------------------------------------------------------------


def babel_locale(language_code: str) -> str:
    return _BABEL_LOCALES.get(language_code, language_code.replace("-", "_"))


def format_money(amount: Decimal, *, currency: str, language: str) -> str:
    """An amount already in `currency` (no conversion), formatted for `language`."""
    return format_currency(amount, currency, locale=babel_locale(language))


def format_price(amount: Decimal, *, currency: str, language: str) -> str:
    """A base-currency amount shown in `currency` as a shopper in `language` expects it."""
    converted, currency = convert_price(amount, currency=currency)
    return format_money(converted, currency=currency, language=language)


def exchange_rate_set(*, currency: str, rate: Decimal | str) -> ExchangeRate:
    """Sets how many units of `currency` one base unit buys (a new currency gets a row).

    Validated like the admin's form (a three-letter code, a positive rate); the cached rates
    are dropped by the model's signal, so pages convert with the new rate at once.
    """
    row = ExchangeRate.objects.filter(currency=currency).first() or ExchangeRate(currency=currency)
    row.rate = Decimal(str(rate))
    row.full_clean(validate_unique=False)
    row.save()
    return row
