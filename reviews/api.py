"""Review endpoints: /api/v1/products/<handle>/reviews/ (list approved reviews; create one).

Only approved reviews are listed: pending and rejected ones never leave the admin. Creating
needs a signed-in customer (token or session), one review per product; the answer says whether
the review is published or awaiting moderation. Writes are throttled (scope "writes").

Photos come as multipart/form-data (one or more files in `photos`) and are checked by the same
service as the web form's (count, size, a real image, format): all or nothing. A photo's URL
is the review_photo view's, which keeps photos of unpublished reviews private.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS, AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error

from reviews.models import ReviewSentiment
from shop.api import (
    HANDLE_PARAMETER,
    AutoSchema,
    Pagination,
    WriteThrottledAPIView,
    error_response,
)
from shop.validators import is_slug

from . import selectors, services

TAGS = ["reviews"]


class ReviewPhotoOutput(serializers.Serializer):
    url = serializers.SerializerMethodField()
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)

    def get_url(self, photo) -> str:
        request = self.context.get("request")
        url = photo.get_absolute_url()
        return request.build_absolute_uri(url) if request is not None else url


class AspectOutput(serializers.Serializer):
    label = serializers.ChoiceField(choices=ReviewSentiment.choices)
    score = serializers.FloatField()
    mentions = serializers.IntegerField()


class ReviewOutput(serializers.Serializer):
    id = serializers.IntegerField()
    rating = serializers.IntegerField(min_value=1, max_value=5)
    title = serializers.CharField()
    text = serializers.CharField()
    author = serializers.SerializerMethodField()
    language = serializers.CharField()
    verified_purchase = serializers.BooleanField(source="is_verified_purchase")
    status = serializers.CharField()
    sentiment = serializers.SerializerMethodField()
    sentiment_score = serializers.FloatField(allow_null=True)
    aspects = serializers.SerializerMethodField()
    photos = ReviewPhotoOutput(many=True)
    created_at = serializers.DateTimeField()

    def get_author(self, review) -> str:
        name = review.author_name.strip()
        if name:
            return name.split()[0] if review.author_id else name
        return _("Customer")

    def get_sentiment(self, review) -> str | None:
        return review.sentiment or None

    @extend_schema_field(serializers.DictField(child=AspectOutput()))
    def get_aspects(self, review) -> dict[str, dict]:
        aspects = review.aspects if isinstance(review.aspects, dict) else {}
        return {
            name: {
                "label": value.get("label", "neutral"),
                "score": float(value.get("score", 0.0)),
                "mentions": int(value.get("mentions", 1)),
            }
            for name, value in aspects.items()
            if isinstance(value, dict)
        }


class ReviewListQuery(serializers.Serializer):
    rating = serializers.IntegerField(
        required=False, min_value=1, max_value=5, help_text="Only reviews with these stars."
    )
    sentiment = serializers.ChoiceField(
        required=False, choices=ReviewSentiment.choices, help_text="Only reviews of this sentiment."
    )


class ReviewInput(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    text = serializers.CharField(min_length=3, max_length=5000)


@extend_schema_field(OpenApiTypes.BINARY)
class PhotoFileField(serializers.FileField):
    """An uploaded file, documented as binary (the schema does not split request components,
    where drf-spectacular would otherwise describe a FileField as a URI)."""


class ReviewMultipartInput(ReviewInput):
    """The same fields as JSON, plus photos (multipart/form-data only)."""

    photos = serializers.ListField(
        child=PhotoFileField(),
        required=False,
        help_text="Optional photos: JPEG, PNG, WEBP or GIF, at most SHOP_REVIEW_MAX_PHOTOS "
        "(4 by default), each at most SHOP_MAX_IMAGE_UPLOAD_BYTES. One bad photo refuses "
        "the whole review.",
    )


def _product_or_404(handle: str):
    product = selectors.product_for_reviews(handle=handle) if is_slug(handle) else None
    if product is None:
        shown = handle if len(handle) <= 80 else handle[:80] + "…"
        raise exceptions.NotFound(
            _("There is no product with the handle “%(handle)s”.") % {"handle": shown}
        )
    return product


class ProductReviewsView(WriteThrottledAPIView):
    """GET: approved reviews of a product, newest first; POST: write one (signed in)."""

    schema = AutoSchema()
    pagination_class = Pagination  # also tells the schema the list is paginated
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def get_permissions(self):
        # Reading is public; writing needs a customer (no request: the view as a whole is public).
        request = getattr(self, "request", None)
        if request is not None and request.method not in SAFE_METHODS:
            return [IsAuthenticated()]
        return [AllowAny()]

    @extend_schema(
        operation_id="product_reviews_list",
        summary="Approved reviews of a product",
        tags=TAGS,
        parameters=[
            ReviewListQuery,
            HANDLE_PARAMETER,
        ],
        responses={200: ReviewOutput(many=True)},
    )
    def get(self, request, handle: str):
        data = {key: value for key, value in request.query_params.items() if value != ""}
        query = ReviewListQuery(data=data)
        query.is_valid(raise_exception=True)
        product = _product_or_404(handle)
        reviews = selectors.filter_reviews(
            selectors.public_reviews(product=product),
            rating=query.validated_data.get("rating"),
            sentiment=query.validated_data.get("sentiment"),
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(reviews, request, view=self)
        body = ReviewOutput(page, many=True, context={"request": request}).data
        return paginator.get_paginated_response(body)

    @extend_schema(
        operation_id="product_reviews_create",
        summary="Review a product (once per customer)",
        description="The review is published at once, or held for moderation when the store "
        "requires approval or the review looks like spam: `status` says which. Its sentiment "
        "is scored shortly after. To attach photos, send multipart/form-data with one or more "
        "files in `photos`; if one photo is refused, nothing is saved.",
        tags=TAGS,
        parameters=[
            HANDLE_PARAMETER,
        ],
        request={
            "application/json": ReviewInput,
            "multipart/form-data": ReviewMultipartInput,
            "application/x-www-form-urlencoded": ReviewInput,
        },
        responses={
            201: ReviewOutput,
            400: error_response("Invalid input, or the customer already reviewed the product."),
        },
    )
    def post(self, request, handle: str):
        # Files only arrive in multipart bodies; a JSON "photos" key is refused, not ignored.
        serializer = ReviewMultipartInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        product = _product_or_404(handle)
        data = serializer.validated_data
        try:
            review = services.review_create(
                product=product,
                author=request.user,
                rating=data["rating"],
                title=data.get("title", ""),
                text=data["text"],
                photos=data.get("photos", []),
            )
        except DjangoValidationError as exc:
            raise exceptions.ValidationError(detail=as_serializer_error(exc)) from exc
        body = ReviewOutput(review, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)
