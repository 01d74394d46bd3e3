"""Read-only catalog endpoints of the REST API: products, categories, collections, materials.

Thin views: validate the query string with an input serializer, call catalog.selectors.api,
render with an output serializer. Texts come in the language asked for (`?lang=`, else the
Accept-Language header, else English), prices in the base currency and in `?currency=`.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from shop.api import HANDLE_PARAMETER, AutoSchema, Pagination
from shop.language import request_language
from shop.validators import is_slug

from .models import Collection, GemstoneType, Material
from .selectors.api import (
    ProductQuery,
    category_ids,
    category_index,
    collections_for_api,
    first_by_slug,
    gemstone_types_for_api,
    materials_for_api,
    product_for_api,
    products_for_api,
)
from .serializers import (
    CategoryDetailSerializer,
    CategoryListItemSerializer,
    CollectionSerializer,
    GemstoneTypeSerializer,
    LanguageQuerySerializer,
    MaterialSerializer,
    PricedQuerySerializer,
    Pricing,
    ProductDetailSerializer,
    ProductListItemSerializer,
    ProductListQuerySerializer,
    base_price_bounds,
)

TAGS = ["catalog"]
# What a SlugField accepts: anything else cannot name a product or category, so it is a 404
# without a query (and a NUL byte never reaches the database driver).


def _shown(value: str, limit: int = 80) -> str:
    return value if len(value) <= limit else value[:limit] + "…"


class CatalogView(GenericAPIView):
    """Parses the query string with `query_serializer_class`; answers in the chosen language."""

    schema = AutoSchema()
    pagination_class = None
    query_serializer_class = LanguageQuerySerializer
    language = settings.LANGUAGE_CODE

    def parse_query(self) -> dict:
        # An empty parameter (?category=) means "no filter", as in an HTML form.
        data = {key: value for key, value in self.request.query_params.items() if value != ""}
        # Codes are matched the way people write them: zh-Hans, eur.
        if "lang" in data:
            data["lang"] = data["lang"].lower()
        if "currency" in data:
            data["currency"] = data["currency"].upper()
        serializer = self.query_serializer_class(data=data)
        serializer.is_valid(raise_exception=True)
        query = serializer.validated_data
        self.language = query.get("lang") or request_language(self.request)
        return query

    def serializer_context(self, query: dict) -> dict:
        currency = query.get("currency") or settings.SHOP_BASE_CURRENCY
        return {
            "request": self.request,
            "language": self.language,
            "pricing": Pricing(currency=currency, language=self.language),
        }

    def render(self, serializer_class, instance, query: dict, *, many: bool = False):
        # Choice labels, storefront URLs and formats follow the requested language.
        with translation.override(self.language):
            return serializer_class(
                instance, many=many, context=self.serializer_context(query)
            ).data

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code < 400:
            response["Content-Language"] = self.language
        return response


def _not_found(message: str) -> exceptions.NotFound:
    return exceptions.NotFound(detail=message)


def _unknown(field: str, message: str) -> exceptions.ValidationError:
    return exceptions.ValidationError({field: [message]})


class ProductListView(CatalogView):
    """Published products, newest first unless `ordering` says otherwise, 24 per page."""

    pagination_class = Pagination
    query_serializer_class = ProductListQuerySerializer

    @extend_schema(
        operation_id="products_list",
        summary="List products",
        tags=TAGS,
        parameters=[ProductListQuerySerializer],
        responses={200: ProductListItemSerializer(many=True)},
    )
    def get(self, request):
        query = self.parse_query()
        context = self.serializer_context(query)
        price_min, price_max = base_price_bounds(query, context["pricing"])
        product_query = ProductQuery(
            price_min=price_min,
            price_max=price_max,
            in_stock=query.get("in_stock"),
            search=query.get("q", ""),
            ordering=query["ordering"],
        )
        if "category" in query:
            product_query.category_ids = category_ids(slug=query["category"])
            if product_query.category_ids is None:
                raise _unknown("category", _("There is no category with this slug."))
        lookups = (
            ("collection", Collection, _("There is no collection with this slug.")),
            ("metal", Material, _("There is no metal with this slug.")),
            ("gemstone", GemstoneType, _("There is no gemstone with this slug.")),
        )
        for name, model, message in lookups:
            if name in query:
                found = first_by_slug(model, query[name])
                if found is None or (name == "metal" and found.kind != Material.Kind.METAL):
                    raise _unknown(name, message)
                setattr(product_query, name, found)
        page = self.paginate_queryset(products_for_api(product_query, language=self.language))
        data = self.render(ProductListItemSerializer, page, query, many=True)
        return self.get_paginated_response(data)


class ProductDetailView(CatalogView):
    """A published product; drafts and archived products are 404 here."""

    query_serializer_class = PricedQuerySerializer

    @extend_schema(
        operation_id="products_retrieve",
        summary="A product with its variants, pictures, gemstones and materials",
        tags=TAGS,
        parameters=[
            PricedQuerySerializer,
            HANDLE_PARAMETER,
        ],
        responses={200: ProductDetailSerializer},
    )
    def get(self, request, handle: str):
        query = self.parse_query()
        product = None
        if is_slug(handle):
            product = product_for_api(handle=handle, language=self.language)
        if product is None:
            raise _not_found(
                _("There is no product with the handle “%(handle)s”.") % {"handle": _shown(handle)}
            )
        return Response(self.render(ProductDetailSerializer, product, query))


class CategoryListView(CatalogView):
    """Every category, flat, in tree order (depth first); `parent` and `depth` give the tree."""

    @extend_schema(
        operation_id="categories_list",
        summary="List categories",
        tags=TAGS,
        parameters=[LanguageQuerySerializer],
        responses={200: CategoryListItemSerializer(many=True)},
    )
    def get(self, request):
        query = self.parse_query()
        nodes = category_index(language=self.language).nodes
        return Response(self.render(CategoryListItemSerializer, nodes, query, many=True))


class CategoryDetailView(CatalogView):
    """A category, its breadcrumbs (ancestors) and its sub-categories."""

    @extend_schema(
        operation_id="categories_retrieve",
        summary="A category with its breadcrumbs and sub-categories",
        tags=TAGS,
        parameters=[
            LanguageQuerySerializer,
            OpenApiParameter("slug", str, OpenApiParameter.PATH),
        ],
        responses={200: CategoryDetailSerializer},
    )
    def get(self, request, slug: str):
        query = self.parse_query()
        node = category_index(language=self.language).by_slug.get(slug)
        if node is None:
            raise _not_found(
                _("There is no category with the slug “%(slug)s”.") % {"slug": _shown(slug)}
            )
        return Response(self.render(CategoryDetailSerializer, node, query))


class CollectionListView(CatalogView):
    """Every collection, in the merchant's order, with its number of published products."""

    @extend_schema(
        operation_id="collections_list",
        summary="List collections",
        tags=TAGS,
        parameters=[LanguageQuerySerializer],
        responses={200: CollectionSerializer(many=True)},
    )
    def get(self, request):
        query = self.parse_query()
        collections = collections_for_api(language=self.language)
        return Response(self.render(CollectionSerializer, collections, query, many=True))


class CollectionDetailView(CatalogView):
    """A collection; its products are at `products_url`."""

    @extend_schema(
        operation_id="collections_retrieve",
        summary="A collection",
        tags=TAGS,
        parameters=[LanguageQuerySerializer, OpenApiParameter("slug", str, OpenApiParameter.PATH)],
        responses={200: CollectionSerializer},
    )
    def get(self, request, slug: str):
        query = self.parse_query()
        collection = None
        if is_slug(slug):
            collection = collections_for_api(language=self.language).filter(slug=slug).first()
        if collection is None:
            raise _not_found(
                _("There is no collection with the slug “%(slug)s”.") % {"slug": _shown(slug)}
            )
        return Response(self.render(CollectionSerializer, collection, query))


class MaterialListView(CatalogView):
    """Metals and other materials; a metal's slug is what the product list's `metal` takes."""

    @extend_schema(
        operation_id="materials_list",
        summary="List materials",
        tags=TAGS,
        parameters=[LanguageQuerySerializer],
        responses={200: MaterialSerializer(many=True)},
    )
    def get(self, request):
        query = self.parse_query()
        materials = materials_for_api(language=self.language)
        return Response(self.render(MaterialSerializer, materials, query, many=True))


class GemstoneListView(CatalogView):
    """Gemstone types; a slug is what the product list's `gemstone` takes."""

    @extend_schema(
        operation_id="gemstones_list",
        summary="List gemstone types",
        tags=TAGS,
        parameters=[LanguageQuerySerializer],
        responses={200: GemstoneTypeSerializer(many=True)},
    )
    def get(self, request):
        query = self.parse_query()
        gemstones = gemstone_types_for_api(language=self.language)
        return Response(self.render(GemstoneTypeSerializer, gemstones, query, many=True))
