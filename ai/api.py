"""Recommendation endpoints of the REST API (issue 5).

GET /api/v1/recommendations/            for the caller: the signed-in user (session or token)
                                        or the guest's session; nobody can ask for someone else.
GET /api/v1/products/<handle>/similar/  "you may also like" for a published product.

Thin views: the query string is validated by an input serializer, ai.recommend.serving
computes, output
serializers render (products as in the catalog API's lists). Errors follow shop/api.py.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.serializers import PricedQuerySerializer, Pricing, ProductListItemSerializer
from shop.api import HANDLE_PARAMETER, AutoSchema, error_body
from shop.language import request_language
from shop.validators import is_slug

from .recommend import serving

TAGS = ["recommendations"]
MAX_LIMIT = 24


# --- serializers -------------------------------------------------------------------------------
class RecommendationQuerySerializer(PricedQuerySerializer):
    limit = serializers.IntegerField(
        min_value=1, max_value=MAX_LIMIT, default=12, help_text="How many products (1-24)."
    )


class RecommendationItemSerializer(serializers.Serializer):
    product = ProductListItemSerializer()
    score = serializers.FloatField(help_text="Higher is a stronger recommendation.")
    reason = serializers.CharField(
        allow_blank=True, help_text='Why, when it helps ("Because you viewed …"); else empty.'
    )


class RecommendationListSerializer(serializers.Serializer):
    source = serializers.ChoiceField(
        choices=["personal", "history", "popular", "similar", "content", "together", "none"],
        help_text="personal: precomputed for you; history: from your recent visits; popular: "
        "what sells in your country or language; similar/content: products like this one.",
    )
    results = RecommendationItemSerializer(many=True)


# --- views -------------------------------------------------------------------------------------
class RecommendationView(APIView):
    schema = AutoSchema()

    def parse_query(self, request) -> dict:
        data = {key: value for key, value in request.query_params.items() if value != ""}
        if "lang" in data:
            data["lang"] = data["lang"].lower()
        if "currency" in data:
            data["currency"] = data["currency"].upper()
        serializer = RecommendationQuerySerializer(data=data)
        serializer.is_valid(raise_exception=True)
        query = dict(serializer.validated_data)
        query["lang"] = query.get("lang") or request_language(request)
        return query

    def render(self, request, recommendations, query: dict) -> Response:
        language = query["lang"]
        context = {
            "request": request,
            "language": language,
            "pricing": Pricing(
                currency=query.get("currency") or settings.SHOP_BASE_CURRENCY, language=language
            ),
        }
        payload = {
            "source": recommendations.source,
            "results": [
                {"product": s.product, "score": s.score, "reason": s.reason}
                for s in recommendations.items
            ],
        }
        with translation.override(language):
            data = RecommendationListSerializer(payload, context=context).data
        response = Response(data)
        response["Content-Language"] = language
        response["Cache-Control"] = "private, no-store"
        return response


class ShopperRecommendationsView(RecommendationView):
    """Products recommended to the caller; guests get them from their session's history."""

    @extend_schema(
        operation_id="recommendations_list",
        summary="Recommended products for the caller (signed-in user or guest session)",
        tags=TAGS,
        parameters=[RecommendationQuerySerializer],
        responses={200: RecommendationListSerializer},
    )
    def get(self, request):
        query = self.parse_query(request)
        session = getattr(request, "session", None)
        with translation.override(query["lang"]):
            recommendations = serving.recommend_for_shopper(
                user=request.user,
                session_key=(getattr(session, "session_key", None) or "") if session else "",
                language=query["lang"],
                limit=query["limit"],
                request=request,
            )
        return self.render(request, recommendations, query)


class SimilarProductsView(RecommendationView):
    """Products like a published product (shoppers' behaviour and descriptions alike)."""

    @extend_schema(
        operation_id="products_similar",
        summary="Products similar to a product",
        tags=TAGS,
        parameters=[
            RecommendationQuerySerializer,
            HANDLE_PARAMETER,
        ],
        responses={200: RecommendationListSerializer},
    )
    def get(self, request, handle: str):
        query = self.parse_query(request)
        product = serving.recommendable_product(handle=handle) if is_slug(handle) else None
        if product is None:
            shown = handle if len(handle) <= 80 else handle[:80] + "…"
            raise exceptions.NotFound(
                _("There is no product with the handle “%(handle)s”.") % {"handle": shown}
            )
        session = getattr(request, "session", None)
        exclude = serving.bought_by(
            user=request.user,
            session_key=(getattr(session, "session_key", None) or "") if session else "",
        )
        with translation.override(query["lang"]):
            recommendations = serving.similar_products(
                product, language=query["lang"], limit=query["limit"], exclude=exclude
            )
        return self.render(request, recommendations, query)


# --- the product page's blocks, as an HTML fragment ------------------------------------------
def product_recommendations_fragment(request, handle: str):
    """GET: the "Often bought together" and "You may also like" sections of a product page,
    as HTML (fetched by static/js/recommendations.js, so the page costs no query more).

    `?lang=` and `?currency=` say how to show them; a plain Django view, outside the OpenAPI
    schema. 404 (JSON, as the API) for an unknown or unpublished product, 405 for other methods.
    """
    from django.http import HttpResponseNotAllowed, JsonResponse
    from django.shortcuts import render

    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    product = serving.recommendable_product(handle=handle) if is_slug(handle) else None
    if product is None:
        message = _("There is no product with the handle “%(handle)s”.") % {"handle": handle[:80]}
        return JsonResponse(
            error_body(message=message, code="not_found", detail={"detail": message}), status=404
        )
    codes = [code for code, _name in settings.LANGUAGES]
    language = request.GET.get("lang", "")
    language = language if language in codes else request_language(request)
    currency = request.GET.get("currency", "").upper()
    if currency in settings.SHOP_CURRENCIES:
        request.currency = currency
    with translation.override(language):
        response = render(
            request, "ai/includes/product_page_recommendations.html", {"product": product}
        )
    response["Content-Language"] = language
    response["Cache-Control"] = "private, no-store"
    return response
