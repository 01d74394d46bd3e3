from decimal import Decimal

from django import template
from django.conf import settings

from shop.language import content_language
from shop.money import format_price

register = template.Library()


@register.simple_tag(takes_context=True)
def price(context, amount: Decimal | None) -> str:
    """{% price product.price_min %}: the amount in the shopper's currency and locale format."""
    if amount is None:
        return ""
    request = context.get("request")
    currency = getattr(request, "currency", settings.SHOP_BASE_CURRENCY)
    return format_price(amount, currency=currency, language=content_language())
