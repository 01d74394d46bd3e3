"""Reads for prices in the shopper's currency."""

from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_currency, get_currency_precision
from django.conf import settings
from django.core.cache import cache

from .models import ExchangeRate

_RATES_CACHE_KEY = "orders:exchange-rates"
# Rates change rarely; a short cache keeps every page from paying a query for them while a
# change made in the admin shows within a minute on every web process.
_RATES_CACHE_SECONDS = 60

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


def clear_exchange_rate_cache() -> None:
    cache.delete(_RATES_CACHE_KEY)


def exchange_rates() -> dict[str, Decimal]:
    """Units of each currency per unit of the base currency (the base itself is 1)."""
    rates = cache.get(_RATES_CACHE_KEY)
    if rates is None:
        rates = dict(ExchangeRate.objects.values_list("currency", "rate"))
        cache.set(_RATES_CACHE_KEY, rates, _RATES_CACHE_SECONDS)
    rates[settings.SHOP_BASE_CURRENCY] = Decimal(1)
    return rates


def convert_price(amount: Decimal, *, currency: str) -> tuple[Decimal, str]:
    """The amount in `currency`, rounded to that currency's minor unit.

    Falls back to the base currency when no rate is known, so a price is never wrong.
    """
    rate = exchange_rates().get(currency)
    if rate is None:
        currency, rate = settings.SHOP_BASE_CURRENCY, Decimal(1)
    quantum = Decimal(1).scaleb(-get_currency_precision(currency))
    return (Decimal(amount) * rate).quantize(quantum, rounding=ROUND_HALF_UP), currency


def babel_locale(language_code: str) -> str:
    return _BABEL_LOCALES.get(language_code, language_code.replace("-", "_"))


def format_price(amount: Decimal, *, currency: str, language: str) -> str:
    """A base-currency amount shown in `currency` as a shopper in `language` expects it."""
    converted, currency = convert_price(amount, currency=currency)
    return format_currency(converted, currency, locale=babel_locale(language))
