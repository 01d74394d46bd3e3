"""Site-wide middleware."""

from django.conf import settings

from .errors import request_too_large
from .net import is_trusted_proxy, parse_address

# Headers only a reverse proxy of ours may set; from anyone else they are dropped.
PROXY_HEADERS = ("HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PORT")


class TrustedProxyMiddleware:
    """First in the chain: with TRUSTED_PROXIES set, X-Forwarded-Proto/-Host/-Port sent by a
    client that is not one of them are removed, so nobody reaching the server directly can
    claim to have come through TLS (SECURE_PROXY_SSL_HEADER) or name another host.
    (X-Forwarded-For is read through shop.net.client_ip, which applies the same rule.)
    With TRUSTED_PROXIES empty nothing changes; `manage.py check --deploy` warns when
    BEHIND_TLS_PROXY is on without it (shop.W005)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.TRUSTED_PROXIES and not is_trusted_proxy(
            parse_address(request.META.get("REMOTE_ADDR"))
        ):
            for header in PROXY_HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)


class RequestSizeLimitMiddleware:
    """Refuses a request whose body is larger than SHOP_MAX_REQUEST_BYTES with a 413, before
    anything reads it.

    Django's DATA_UPLOAD_MAX_MEMORY_SIZE leaves out uploaded files, which are streamed to
    temporary files of any size: without this, one multipart request could fill the disk. The
    per-file caps (SHOP_MAX_IMAGE_UPLOAD_BYTES, SHOP_MAX_IMPORT_BYTES) are checked by the forms
    and serializers that read each file. Placed before CsrfViewMiddleware, the first to read a
    form's body; a front proxy should carry the same limit (README: "Security: deployment").
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _content_length(request) > settings.SHOP_MAX_REQUEST_BYTES:
            return request_too_large(request)
        return self.get_response(request)


def _content_length(request) -> int:
    """The declared body size; a malformed header counts as no body, as Django reads it."""
    value = request.META.get("CONTENT_LENGTH") or ""
    return int(value) if value.isascii() and value.isdigit() else 0


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
