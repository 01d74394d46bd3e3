"""`GET /api/v1/search/?q=...&lang=...`: ranked product search (ai.search.ranking.search).

Thin: the query string is validated by SearchQuerySerializer, the ranking is the AI
service's, the products are read with catalog selectors and rendered by SearchSerializer.
Errors have the API's JSON shape (shop.api).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response

from catalog import selectors
from catalog.api import CatalogView
from catalog.models import Category, GemstoneType, Material
from catalog.selectors.api import first_by_slug
from catalog.serializers import PricedQuerySerializer, PriceSerializer

from .search import ranking
from .search.ranking import SearchFilters

MAX_LIMIT = 100
MAX_OFFSET = 1000


class SearchQuerySerializer(PricedQuerySerializer):
    q = serializers.CharField(
        max_length=200,
        required=False,
        default="",
        allow_blank=True,
        trim_whitespace=True,
        help_text="What the shopper typed, in any of the shop's languages (nothing: no "
        "results). Metals, purities, "
        "gemstones, categories, colours and price limits (“under 500”, “500円以下”) in it are "
        "understood as filters; typos are tolerated.",
    )
    limit = serializers.IntegerField(min_value=1, max_value=MAX_LIMIT, default=20)
    offset = serializers.IntegerField(min_value=0, max_value=MAX_OFFSET, default=0)
    category = serializers.SlugField(max_length=120, required=False)
    metal = serializers.SlugField(max_length=60, required=False)
    gemstone = serializers.SlugField(max_length=60, required=False)
    price_min = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal(0), required=False
    )
    price_max = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal(0), required=False
    )

    def validate_q(self, value: str) -> str:
        if "\x00" in value:
            raise serializers.ValidationError(_("Null characters are not allowed."))
        return " ".join(value.split())

    def validate(self, attrs):
        low, high = attrs.get("price_min"), attrs.get("price_max")
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError(
                {"price_max": [_("The highest price must not be below the lowest price.")]}
            )
        return attrs


class RecognisedSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=["metal", "gemstone", "category", "purity", "price", "colour"]
    )
    key = serializers.CharField(help_text="Pass it in `ignore` on the storefront to drop it.")
    label = serializers.CharField()
    phrase = serializers.CharField(help_text="The words of the query it was read from.")


class SearchHitSerializer(serializers.Serializer):
    handle = serializers.SlugField()
    name = serializers.CharField()
    web_url = serializers.CharField()
    price = PriceSerializer(help_text="The lowest price of the product's variants.")
    score = serializers.FloatField(
        help_text="Relevance; higher is better (not comparable between queries)."
    )


class SearchSerializer(serializers.Serializer):
    query = serializers.CharField()
    language = serializers.CharField()
    count = serializers.IntegerField(help_text="Results in all, across offsets.")
    results = SearchHitSerializer(many=True)
    recognised = RecognisedSerializer(many=True)
    corrected_query = serializers.CharField(
        allow_blank=True, help_text="The query with its typos corrected, when any were."
    )
    relaxed = serializers.BooleanField(
        help_text="Nothing matched every recognised filter, so they were not applied."
    )


class SearchView(CatalogView):
    """Published products ranked for a query, with what the query was understood to ask."""

    query_serializer_class = SearchQuerySerializer

    @extend_schema(
        operation_id="search",
        summary="Search products (multilingual, typo tolerant)",
        tags=["catalog"],
        parameters=[SearchQuerySerializer],
        responses={200: SearchSerializer},
    )
    def get(self, request):
        query = self.parse_query()
        lookups = (
            ("category", Category, _("There is no category with this slug.")),
            ("metal", Material, _("There is no metal with this slug.")),
            ("gemstone", GemstoneType, _("There is no gemstone with this slug.")),
        )
        for name, model, message in lookups:
            if name in query:
                found = first_by_slug(model, query[name])
                if found is None or (name == "metal" and found.kind != Material.Kind.METAL):
                    raise exceptions.ValidationError({name: [message]})
        pricing = self.serializer_context(query)["pricing"]
        if not query["q"]:
            empty = {
                "query": "",
                "language": self.language,
                "count": 0,
                "results": [],
                "recognised": [],
                "corrected_query": "",
                "relaxed": False,
            }
            return Response(SearchSerializer(empty).data)
        low, high = query.get("price_min"), query.get("price_max")
        if query.get("currency"):
            low = None if low is None else pricing.to_base(low, rounding="min")
            high = None if high is None else pricing.to_base(high, rounding="max")
        filters = SearchFilters(
            metals=[query["metal"]] if "metal" in query else [],
            gemstones=[query["gemstone"]] if "gemstone" in query else [],
            categories=[query["category"]] if "category" in query else [],
            price_min=low,
            price_max=high,
        )
        result = ranking.search(
            query["q"],
            language=self.language,
            filters=filters,
            limit=query["limit"],
            offset=query["offset"],
            currency=query.get("currency"),
            facets=False,
        )
        products = {
            product.pk: product
            for product in selectors.with_card_data(
                selectors.published_products().filter(pk__in=result.product_ids),
                language=self.language,
            )
        }

        def web_url(product) -> str:
            with translation.override(self.language):
                return request.build_absolute_uri(product.get_absolute_url())

        hits = []
        for pk, score in result.hits:
            product = products.get(pk)
            if product is None:  # unpublished since the ranking was computed
                continue
            product.set_current_language(self.language)
            hits.append(
                {
                    "handle": product.handle,
                    "name": product.safe_translation_getter("name", default=product.handle),
                    "web_url": web_url(product),
                    "price": pricing.price(product.price_min),
                    "score": score,
                }
            )
        data = {
            "query": result.query,
            "language": self.language,
            "count": result.total,
            "results": hits,
            "recognised": [item.as_dict() for item in result.recognised if not result.relaxed],
            "corrected_query": result.corrected_query,
            "relaxed": result.relaxed,
        }
        return Response(SearchSerializer(data).data)
