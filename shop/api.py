"""API-wide pieces every endpoint shares: the JSON error format, the write-throttled base view,
pagination, the schema class.

Every error an API client can see has one shape:

    {"error": "<one clear sentence>", "code": "<machine code>", "detail": <DRF's detail>}

`detail` is what DRF would have returned (field errors for a 400, {"detail": ...} otherwise),
so clients that read DRF's usual errors keep working.
"""

from __future__ import annotations

import json
import logging
import sys

from csp.decorators import csp_update
from django.conf import settings
from django.core import signals
from django.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
)
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.template import engines
from django.templatetags.static import static
from django.urls import Resolver404, resolve, reverse
from django.utils.decorators import method_decorator
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import SAFE_METHODS, AllowAny
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from .throttling import ScopedRateThrottle

logger = logging.getLogger("django.request")


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("The request body is too large.")
    default_code = "payload_too_large"


# Django exceptions a view (or the request parsing under it) may raise for bad input become the
# DRF exceptions that fit, so they answer 4xx JSON instead of an HTML page or a 500.


def _as_api_exception(exc: Exception) -> exceptions.APIException | None:
    if isinstance(exc, exceptions.APIException):
        return exc
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied()
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(detail=as_serializer_error(exc))
    if isinstance(exc, (RequestDataTooBig, TooManyFieldsSent)):
        return PayloadTooLarge()
    if isinstance(exc, (SuspiciousOperation, BadRequest, UnicodeDecodeError)):
        return exceptions.ParseError(detail=_("The request could not be read."))
    return None


def _first_message(detail) -> tuple[str, str]:
    """The first (field path, message) of a nested DRF error detail."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            path, message = _first_message(value)
            if message:
                if key in (
                    "non_field_errors",
                    settings.REST_FRAMEWORK.get("NON_FIELD_ERRORS_KEY", "non_field_errors"),
                ):
                    return path, message
                return (f"{key}.{path}" if path else str(key)), message
        return "", ""
    if isinstance(detail, list):
        for index, value in enumerate(detail):
            path, message = _first_message(value)
            if message:
                # Lists of field errors are flat; only nested objects carry an index.
                nested = isinstance(value, (dict, list))
                return (f"{index}.{path}" if nested and path else path), message
        return "", ""
    return "", force_str(detail) if detail is not None else ""


def _code_of(exc: exceptions.APIException) -> str:
    if isinstance(exc, exceptions.ValidationError):
        return "invalid"
    codes = exc.get_codes()
    return codes if isinstance(codes, str) else exc.default_code


def error_message(exc: exceptions.APIException, data) -> str:
    if isinstance(exc, exceptions.ValidationError):
        field, message = _first_message(data)
        if field and message:
            return _("Invalid input: %(field)s: %(message)s") % {
                "field": field,
                "message": message,
            }
        return message or _("Invalid input.")
    if isinstance(data, dict) and "detail" in data:
        return force_str(data["detail"])
    _field, message = _first_message(data)
    return message or force_str(exc.default_detail)


def exception_handler(exc, context):
    """DRF's handler, with every error carried as {"error": message, "code": ..., "detail": ...}.

    Django's Http404, PermissionDenied and ValidationError, bad request bodies and bodies over
    the upload limit become 404, 403, 400, 400 and 413. Anything else is a bug: it is logged
    and answered with a JSON 500 (DEBUG shows Django's technical page instead).
    """
    api_exc = _as_api_exception(exc)
    if api_exc is None:
        if settings.DEBUG:
            return None
        request = context.get("request")
        logger.error(
            "Internal Server Error: %s",
            getattr(request, "path", "?"),
            exc_info=sys.exc_info() if sys.exc_info()[1] is exc else (type(exc), exc, None),
            extra={"status_code": 500, "request": getattr(request, "_request", request)},
        )
        # What Django's own 500 handling does, so error reporters (and the test client,
        # which re-raises it) still hear about the crash.
        signals.got_request_exception.send(
            sender=None, request=getattr(request, "_request", request)
        )
        return Response(
            {
                "error": _("Something went wrong on our side. Please try again later."),
                "code": "server_error",
                "detail": None,
            },
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    response = drf_exception_handler(api_exc, context)
    if response is None:  # pragma: no cover - DRF handles every APIException
        return None
    data = response.data
    if isinstance(data, dict) and "error" in data:
        return response  # the view already speaks this format
    response.data = {
        "error": error_message(api_exc, data),
        "code": _code_of(api_exc),
        "detail": data,
    }
    return response


def error_body(*, message: str, code: str, detail=None) -> dict:
    return {"error": message, "code": code, "detail": detail}


@csrf_exempt  # nothing to protect: it only ever answers 404
def not_found(request, path: str = ""):
    """Every address under /api/v1/ that no endpoint answers: JSON 404, for any method.

    A GET without the trailing slash for an address that exists is redirected, as Django's
    APPEND_SLASH would do if this catch-all did not exist.
    """
    if request.method in ("GET", "HEAD") and not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found:
            target = request.path + "/"
            if request.META.get("QUERY_STRING"):
                target += "?" + request.META["QUERY_STRING"]
            return HttpResponsePermanentRedirect(target)
    message = _("There is no API endpoint at %(path)s.") % {"path": request.path}
    return JsonResponse(
        error_body(message=message, code="not_found", detail={"detail": message}), status=404
    )


# --- Documentation pages ---------------------------------------------------------------------
_REDOC_PAGE = """<!DOCTYPE html>
<html>
  <head>
    <title>{{ title }}</title>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <style>body { margin: 0; padding: 0; }</style>
  </head>
  <body>
    <div id="redoc-container" data-schema-url="{{ schema_url }}"></div>
    {{ settings|json_script:"redoc-settings" }}
    <script src="{{ redoc_standalone }}"></script>
    <script src="{{ redoc_init }}"></script>
  </body>
</html>
"""


# ReDoc builds its search index in a Web Worker started from a blob: URL.
REDOC_CSP = {"worker-src": ["'self'", "blob:"]}


@method_decorator(csp_update(REDOC_CSP), name="get")
class OfflineRedocView(View):
    """ReDoc as drf-spectacular serves it, minus the Google Fonts its stock page links to, so
    the page makes no request to the internet (the script comes from the sidecar package), and
    with no inline script (the Content-Security-Policy allows none): static/js/redoc_init.js
    starts it with the schema URL and settings the page carries as data.

    A plain Django view: it stays out of the schema, and this module can hold the project's
    schema class without importing drf_spectacular.views (which would be circular).
    """

    url_name = "api-schema"
    title: str | None = None

    def get(self, request, *args, **kwargs):
        from drf_spectacular.settings import spectacular_settings

        ui_settings = spectacular_settings.REDOC_UI_SETTINGS or {}
        context = {
            "title": self.title or spectacular_settings.TITLE,
            "redoc_standalone": static("drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"),
            "redoc_init": static("js/redoc_init.js"),
            "schema_url": reverse(self.url_name),
            "settings": json.loads(ui_settings) if isinstance(ui_settings, str) else ui_settings,
        }
        return HttpResponse(engines["django"].from_string(_REDOC_PAGE).render(context))


# --- Base view ---------------------------------------------------------------------------------
class WriteThrottledAPIView(APIView):
    """An API view whose writes (any method but GET, HEAD, OPTIONS) also count against the
    "writes" throttle scope (REST_FRAMEWORK's DEFAULT_THROTTLE_RATES), on top of the anon/user
    throttles every request has: reads stay cheap, sign-ups, bag changes, checkouts and reviews
    are limited per client."""

    throttle_scope = "writes"

    def get_throttles(self):
        throttles = super().get_throttles()
        if self.request.method not in SAFE_METHODS:
            throttles.append(ScopedRateThrottle())
        return throttles


# --- Pagination -------------------------------------------------------------------------------
class Pagination(PageNumberPagination):
    """Page numbers, with the page size a client may choose up to a bound."""

    page_size = 24
    page_size_query_param = "page_size"
    max_page_size = 100
    invalid_page_message = gettext_lazy("Invalid page: {message}")


# --- OpenAPI ----------------------------------------------------------------------------------
class ErrorSerializer(serializers.Serializer):
    """The body of every error response."""

    error = serializers.CharField(help_text="One sentence saying what went wrong.")
    code = serializers.CharField(
        help_text="A machine-readable code: invalid, parse_error, not_found, "
        "not_authenticated, permission_denied, method_not_allowed, unsupported_media_type, "
        "throttled, payload_too_large, server_error, ..."
    )
    # Always present (null when there is nothing more to say), so required in the schema.
    detail = serializers.JSONField(
        allow_null=True,
        help_text='DRF\'s detail: field errors for invalid input, else {"detail": message}.',
    )


# The `handle` path parameter of the product endpoints, described once for the schema.
HANDLE_PARAMETER = OpenApiParameter(
    "handle", str, OpenApiParameter.PATH, description="Its URL handle."
)


def error_response(description: str) -> OpenApiResponse:
    return OpenApiResponse(response=ErrorSerializer, description=description)


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema plus the error responses every endpoint can really give.

    400 where the operation takes input, 401/403 where it needs a signed-in customer,
    404 where the path names an object, 413/415 where it takes a body, 429 everywhere
    (throttling). An operation's own extend_schema(responses=...) wins for the codes it lists.
    """

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction=direction)
        if direction != "response":
            return responses
        has_body = self.method in ("POST", "PUT", "PATCH")
        query = [p for p in self._get_parameters() if p.get("in") == "query"]
        errors: dict[str, str] = {}
        if has_body or query:
            errors["400"] = "Invalid input (the body or a query parameter)."
        if self._needs_authentication():
            errors["401"] = "Not signed in (token authentication)."
            errors["403"] = "Not signed in (session authentication) or not allowed."
        if "{" in self.path:
            errors["404"] = "No such object, or not yours."
        elif self._get_pagination_parameters():
            errors["404"] = "No such page."
        if has_body:
            errors["413"] = "The request body is too large."
            errors["415"] = "The body's content type is not accepted."
        errors["429"] = "Too many requests: retry after the seconds in Retry-After."
        for code, description in errors.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    error_response(description), code, direction=direction
                )
        return responses

    def _needs_authentication(self) -> bool:
        try:
            permissions = self.view.get_permissions()
        except Exception:  # a hint for the schema must never break it
            return False
        return any(not isinstance(permission, AllowAny) for permission in permissions)
