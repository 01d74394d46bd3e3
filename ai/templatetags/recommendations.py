"""Template tags feeding the recommendation blocks of the home, product and cart pages.

They read the request (user, session), the product or the bag from the page's context and
call ai.recommend.serving, so the views need not know about recommendations. Each costs a
constant number of queries; a failure is logged and shows no block rather than breaking the page.

    {% load recommendations %}
    {% recommended_for_you limit=8 as recommended %}
    {% similar_to product limit=8 as similar %}
    {% bought_with product limit=4 as together %}
    {% cart_suggestions_for summary limit=4 as suggestions %}
"""

from __future__ import annotations

import logging

from django import template

from ai.recommend import serving
from shop.language import content_language

register = template.Library()
logger = logging.getLogger(__name__)

MAX_LIMIT = 24


def _empty() -> serving.Recommendations:
    return serving.Recommendations([], "none")


def _shopper(context) -> tuple:
    request = context.get("request")
    if request is None:
        return None, None, ""
    session = getattr(request, "session", None)
    session_key = (getattr(session, "session_key", None) or "") if session is not None else ""
    return request, getattr(request, "user", None), session_key


def _limit(value) -> int:
    try:
        return max(1, min(MAX_LIMIT, int(value)))
    except (TypeError, ValueError):
        return 8


def _bought(request, user, session_key) -> set[int]:
    """What the shopper bought, read once per request whichever blocks ask."""
    cached = getattr(request, "_ai_bought_ids", None) if request is not None else None
    if cached is None:
        cached = serving.bought_by(user=user, session_key=session_key)
        if request is not None:
            request._ai_bought_ids = cached
    return cached


@register.simple_tag(takes_context=True)
def recommended_for_you(context, limit=8):
    request, user, session_key = _shopper(context)
    try:
        return serving.recommend_for_shopper(
            user=user,
            session_key=session_key,
            language=content_language(),
            limit=_limit(limit),
            request=request,
        )
    except Exception:
        logger.exception("Could not compute recommendations for the home page")
        return _empty()


def _product_block(context, product, limit, fetch, what: str):
    """A product page block: `fetch(product, ...)`, or no block when it fails."""
    if product is None or not getattr(product, "pk", None):
        return _empty()
    request, user, session_key = _shopper(context)
    try:
        return fetch(
            product,
            language=content_language(),
            limit=_limit(limit),
            exclude=_bought(request, user, session_key),
        )
    except Exception:
        logger.exception("Could not compute %s for %s", what, product.pk)
        return _empty()


@register.simple_tag(takes_context=True)
def similar_to(context, product, limit=8):
    return _product_block(context, product, limit, serving.similar_products, "similar products")


@register.simple_tag(takes_context=True)
def bought_with(context, product, limit=4):
    return _product_block(
        context, product, limit, serving.bought_together, "bought-together products"
    )


@register.simple_tag(takes_context=True)
def cart_suggestions_for(context, summary=None, limit=4):
    request, user, session_key = _shopper(context)
    items = getattr(summary, "items", None) or []
    product_ids = [item.product.pk for item in items if getattr(item, "product", None)]
    try:
        return serving.cart_suggestions(
            product_ids=product_ids,
            user=user,
            session_key=session_key,
            language=content_language(),
            limit=_limit(limit),
            request=request,
        )
    except Exception:
        logger.exception("Could not compute cart suggestions")
        return _empty()
