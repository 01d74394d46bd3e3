"""REST API of accounts, address books and wishlists under /api/v1/ (thin: validate, call, shape).

A customer only ever reaches their own profile, addresses and wishlist: another customer's
address id is a 404, the same answer as an id that does not exist. Writes are throttled
(scope "writes"). Obtaining a token goes through django-axes like the sign-in page, so
guessing passwords through the API is locked out after the same number of failures.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from shop.api import Pagination, WriteThrottledAPIView, error_response
from shop.language import request_language
from shop.middleware import default_currency_for_language

from . import selectors, services
from .models import ApiToken
from .serializers import (
    AddressBookInput,
    AddressBookOutput,
    ApiTokenInput,
    ApiTokenOutput,
    NewApiTokenOutput,
    ProfileInput,
    ProfileOutput,
    RegisterInput,
    RegisterOutput,
    TokenInput,
    TokenOutput,
    WishlistInput,
    WishlistItemOutput,
)


class LockedOut(exceptions.Throttled):
    default_detail = "Too many failed sign-in attempts. Try again later."
    default_code = "locked_out"

    def __init__(self):
        super().__init__(
            detail=_(
                "Too many failed sign-in attempts for this e-mail address from your "
                "connection. Try again later, or reset your password."
            )
        )


def _currency(request) -> str:
    return getattr(request, "currency", settings.SHOP_BASE_CURRENCY)


def _validated(serializer_class, request, *, partial: bool = False) -> dict:
    serializer = serializer_class(data=request.data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _token_for(user, name: str = "") -> str:
    return services.api_token_create(user=user, name=name).key


class AccountAPIView(WriteThrottledAPIView):
    permission_classes = [IsAuthenticated]


# --- Registration and tokens ------------------------------------------------------------------
class RegisterView(WriteThrottledAPIView):
    # No authentication: a browser session must not turn a sign-up into a CSRF failure.
    authentication_classes: list = []

    @extend_schema(
        operation_id="account_register",
        summary="Create a customer account",
        description="Returns the new profile and an API token. Passwords must pass the "
        "store's password rules (length, not common, not only digits, not like the e-mail).",
        request=RegisterInput,
        responses={
            201: RegisterOutput,
            400: error_response("Invalid input: e-mail taken, weak password, ..."),
        },
        tags=["account"],
    )
    def post(self, request):
        data = _validated(RegisterInput, request)
        language = data.get("preferred_language") or request_language(request)
        user = services.user_register(
            email=data["email"],
            password=data["password"],
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
            preferred_language=language,
            preferred_currency=data.get("preferred_currency")
            or default_currency_for_language(language),
        )
        body = {"user": ProfileOutput(user).data, "token": _token_for(user)}
        return Response(body, status=status.HTTP_201_CREATED)


class TokenView(WriteThrottledAPIView):
    authentication_classes: list = []

    @extend_schema(
        operation_id="account_token",
        summary="Get an API token with e-mail and password",
        description="After too many wrong passwords for one e-mail address from one "
        "address, answers 429 until the lock-out ends (the sign-in page shares the count).",
        request=TokenInput,
        responses={
            200: TokenOutput,
            400: error_response("Missing input, or the e-mail and password do not match."),
            429: error_response("Too many attempts, or locked out after failed sign-ins."),
        },
        tags=["account"],
    )
    def post(self, request):
        data = _validated(TokenInput, request)
        django_request = request._request
        # Through django-axes (it needs Django's request): failures count, lock-outs refuse.
        # `email` (the USERNAME_FIELD) is the credential key django-axes counts failures by.
        user = authenticate(
            request=django_request,
            email=services.normalize_email(data["email"]),
            password=data["password"],
        )
        if getattr(django_request, "axes_locked_out", False):
            # This JSON answer says it; AxesMiddleware would replace it with the HTML page.
            django_request.axes_locked_out = False
            raise LockedOut()
        if user is None or not user.is_active:
            raise exceptions.ValidationError(
                {"non_field_errors": [_("The e-mail address and password do not match.")]}
            )
        # A sign-in like any other: axes resets its failure count, last_login is updated.
        user_logged_in.send(sender=user.__class__, request=django_request, user=user)
        return Response({"token": _token_for(user, data.get("name", ""))})


def _current_token_id(request) -> int | None:
    return request.auth.pk if isinstance(request.auth, ApiToken) else None


class ApiTokenListView(AccountAPIView):
    @extend_schema(
        operation_id="account_tokens_list",
        summary="Your API tokens",
        description="Every token you hold, newest first, with when it was last used and when "
        "it expires (never the key itself). Changing or resetting your password revokes them.",
        responses={200: ApiTokenOutput(many=True)},
        tags=["account"],
    )
    def get(self, request):
        tokens = selectors.api_tokens_for_user(user=request.user)
        context = {"current_token_id": _current_token_id(request)}
        return Response(ApiTokenOutput(tokens, many=True, context=context).data)

    @extend_schema(
        operation_id="account_tokens_create",
        summary="Make another API token",
        description="The key is in the answer once and cannot be shown again.",
        request=ApiTokenInput,
        responses={201: NewApiTokenOutput},
        tags=["account"],
    )
    def post(self, request):
        data = _validated(ApiTokenInput, request)
        created = services.api_token_create(user=request.user, name=data.get("name", ""))
        body = {**ApiTokenOutput(created.token).data, "current": False, "token": created.key}
        return Response(body, status=status.HTTP_201_CREATED)


class ApiTokenDetailView(AccountAPIView):
    @extend_schema(
        operation_id="account_tokens_destroy",
        summary="Revoke one of your API tokens",
        description="It stops working at once (also when it is the one this request used).",
        responses={204: OpenApiResponse(description="Revoked.")},
        tags=["account"],
    )
    def delete(self, request, token_id: int):
        if not services.api_token_revoke(user=request.user, token_id=token_id):
            raise exceptions.NotFound(_("You have no API token with this id."))
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Profile ----------------------------------------------------------------------------------
class ProfileView(AccountAPIView):
    @extend_schema(
        operation_id="account_retrieve",
        summary="Your profile",
        responses={200: ProfileOutput},
        tags=["account"],
    )
    def get(self, request):
        return Response(ProfileOutput(request.user).data)

    @extend_schema(
        operation_id="account_update",
        summary="Change your name or preferences",
        request=ProfileInput,
        responses={200: ProfileOutput},
        tags=["account"],
    )
    def patch(self, request):
        data = _validated(ProfileInput, request, partial=True)
        user = request.user
        services.user_update_profile(
            user=user,
            first_name=data.get("first_name", user.first_name),
            last_name=data.get("last_name", user.last_name),
            preferred_language=data.get("preferred_language", user.preferred_language),
            preferred_currency=data.get("preferred_currency", user.preferred_currency),
        )
        return Response(ProfileOutput(user).data)


# --- Address book -----------------------------------------------------------------------------
OPTIONAL_ADDRESS_FIELDS = ("company", "line2", "region", "postal_code", "phone")


def _own_address(request, address_id: int):
    address = selectors.address_for_user(user=request.user, address_id=address_id)
    if address is None:
        raise exceptions.NotFound(_("No such address in your address book."))
    return address


class AddressListView(AccountAPIView):
    pagination_class = Pagination

    @extend_schema(
        operation_id="account_addresses_list",
        summary="Your address book",
        responses={200: AddressBookOutput(many=True)},
        tags=["account"],
    )
    def get(self, request):
        paginator = Pagination()
        page = paginator.paginate_queryset(
            selectors.addresses_for_user(user=request.user), request, view=self
        )
        return paginator.get_paginated_response(AddressBookOutput(page, many=True).data)

    @extend_schema(
        operation_id="account_addresses_create",
        summary="Add an address",
        request=AddressBookInput,
        responses={201: AddressBookOutput},
        tags=["account"],
    )
    def post(self, request):
        data = dict(_validated(AddressBookInput, request))
        is_default = data.pop("is_default", False)
        address = services.address_create(user=request.user, is_default=is_default, **data)
        return Response(AddressBookOutput(address).data, status=status.HTTP_201_CREATED)


class AddressDetailView(AccountAPIView):
    @extend_schema(
        operation_id="account_addresses_retrieve",
        summary="One of your addresses",
        responses={200: AddressBookOutput},
        tags=["account"],
    )
    def get(self, request, address_id: int):
        return Response(AddressBookOutput(_own_address(request, address_id)).data)

    def _update(self, request, address_id: int, *, partial: bool):
        address = _own_address(request, address_id)
        data = dict(_validated(AddressBookInput, request, partial=partial))
        if not partial:
            # A replacement: optional parts left out are cleared, not kept.
            data = {**dict.fromkeys(OPTIONAL_ADDRESS_FIELDS, ""), **data}
        is_default = data.pop("is_default", None)
        address = services.address_update(address=address, is_default=is_default, **data)
        return Response(AddressBookOutput(address).data)

    @extend_schema(
        operation_id="account_addresses_update",
        summary="Replace one of your addresses",
        request=AddressBookInput,
        responses={200: AddressBookOutput},
        tags=["account"],
    )
    def put(self, request, address_id: int):
        return self._update(request, address_id, partial=False)

    @extend_schema(
        operation_id="account_addresses_partial_update",
        summary="Change one of your addresses",
        request=AddressBookInput,
        responses={200: AddressBookOutput},
        tags=["account"],
    )
    def patch(self, request, address_id: int):
        return self._update(request, address_id, partial=True)

    @extend_schema(
        operation_id="account_addresses_destroy",
        summary="Delete one of your addresses",
        description="When it was the default, your newest other address becomes the default.",
        responses={204: OpenApiResponse(description="Deleted.")},
        tags=["account"],
    )
    def delete(self, request, address_id: int):
        services.address_delete(address=_own_address(request, address_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Wishlist ---------------------------------------------------------------------------------
class WishlistView(AccountAPIView):
    pagination_class = Pagination

    def _context(self, request) -> dict:
        return {
            "request": request,
            "language": request_language(request),
            "currency": _currency(request),
        }

    @extend_schema(
        operation_id="wishlist_list",
        summary="Your wishlist",
        description="Products no longer on sale are left out. Names are in the request's "
        "language, prices in the session's currency.",
        responses={200: WishlistItemOutput(many=True)},
        tags=["wishlist"],
    )
    def get(self, request):
        items = selectors.wishlist_for_user(user=request.user, language=request_language(request))
        paginator = Pagination()
        page = paginator.paginate_queryset(items, request, view=self)
        data = WishlistItemOutput(page, many=True, context=self._context(request)).data
        return paginator.get_paginated_response(data)

    @extend_schema(
        operation_id="wishlist_add",
        summary="Put a product on your wishlist",
        description="Adding a product that is already there changes nothing (200).",
        request=WishlistInput,
        responses={
            201: WishlistItemOutput,
            200: WishlistItemOutput,
            400: error_response("Invalid input, or no such product."),
        },
        tags=["wishlist"],
    )
    def post(self, request):
        data = _validated(WishlistInput, request)
        product = selectors.product_for_wishlist(handle=data["product"])
        if product is None:
            raise exceptions.ValidationError({"product": [_("No product has this handle.")]})
        item, created = services.wishlist_add(
            user=request.user,
            product=product,
            session_key=request.session.session_key or "",
            language=request_language(request),
        )
        product.set_current_language(request_language(request))
        item.product = product
        body = WishlistItemOutput(item, context=self._context(request)).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class WishlistItemView(AccountAPIView):
    @extend_schema(
        operation_id="wishlist_remove",
        summary="Take a product off your wishlist",
        responses={204: OpenApiResponse(description="Removed.")},
        tags=["wishlist"],
    )
    def delete(self, request, handle: str):
        item = selectors.wishlist_item_for_user(user=request.user, handle=handle)
        if item is None:
            raise exceptions.NotFound(_("This product is not on your wishlist."))
        services.wishlist_remove(user=request.user, product=item.product)
        return Response(status=status.HTTP_204_NO_CONTENT)
