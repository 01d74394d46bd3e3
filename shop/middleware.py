"""Site-wide middleware."""

from django.conf import settings

CURRENCY_SESSION_KEY = "currency"


def default_currency_for_language(language_code: str | None) -> str:
    return settings.SHOP_DEFAULT_CURRENCY_BY_LANGUAGE.get(
        language_code or "", settings.SHOP_BASE_CURRENCY
    )


class CurrencyMiddleware:
    """Sets request.currency: the shopper's choice, else the usual currency for the language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.session.get(CURRENCY_SESSION_KEY)
        if chosen not in settings.SHOP_CURRENCIES:
            chosen = default_currency_for_language(getattr(request, "LANGUAGE_CODE", None))
        request.currency = chosen
        return self.get_response(request)
