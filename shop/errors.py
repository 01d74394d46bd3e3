"""Error pages a visitor can act on: what went wrong, in their language, and where to go next.

Django's own 400, 403 and CSRF pages are bare English text; these use the storefront's layout.
Each is rendered defensively: an error page is often shown for a request that is itself broken
(a forged Host header, a body over the limit before the session and user are loaded), so if the
full page cannot be rendered, a self-contained one is sent instead; an error page never
becomes a 500.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.html import escape
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def _page(
    request: HttpRequest, *, status: int, title: str, text: str, hint: str = ""
) -> HttpResponse:
    context = {"status": status, "title": title, "text": text, "hint": hint}
    try:
        request.get_host()  # a forged Host header: the layout's links cannot be built
        if not hasattr(request, "user"):  # refused before AuthenticationMiddleware ran
            request.user = AnonymousUser()
        return render(request, "error.html", context, status=status)
    except DisallowedHost:
        pass
    except Exception:  # noqa: BLE001 - the visitor gets the plain page; we get the log
        logger.exception("The %s page could not be rendered; sending the plain one", status)
    back = escape(_("Back to the shop"))
    body = (
        '<!doctype html><html><head><meta charset="utf-8"><meta name="robots" content="noindex">'
        f"<title>{escape(title)}</title></head><body><main><h1>{escape(title)}</h1>"
        f'<p>{escape(text)}</p><p>{escape(hint)}</p><p><a href="/">{back}</a></p>'
        "</main></body></html>"
    )
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400: a malformed request (too many fields, a forged Host header, a broken upload)."""
    return _page(
        request,
        status=400,
        title=_("This request could not be understood"),
        text=_(
            "Something in the address or the form was not in a form we could read. "
            "Nothing was changed."
        ),
        hint=_("Go back, check what you entered and try again, or start again from the home page."),
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler403."""
    return _page(
        request,
        status=403,
        title=_("You may not open this page"),
        text=_("This page is not available to your account."),
        hint=_("If you think you should see it, sign in with the right account or contact us."),
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: most often a form left open until its session expired."""
    return _page(
        request,
        status=403,
        title=_("This form has expired"),
        text=_(
            "For your security, forms can only be sent from a page of this shop that is still "
            "open in your browser, with cookies allowed. Nothing was changed."
        ),
        hint=_("Go back, reload the page and send the form again."),
    )


def request_too_large(request: HttpRequest) -> HttpResponse:
    """A body over SHOP_MAX_REQUEST_BYTES (shop.middleware.RequestSizeLimitMiddleware)."""
    limit = filesizeformat(settings.SHOP_MAX_REQUEST_BYTES)
    message = _("What you sent is larger than the %(limit)s this shop accepts at once.") % {
        "limit": limit
    }
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"error": message, "code": "request_too_large", "detail": None}, status=413
        )
    return _page(
        request,
        status=413,
        title=_("Too much to send at once"),
        text=message,
        hint=_("Each photo may be at most %(photo)s. Go back and send smaller or fewer files.")
        % {"photo": filesizeformat(settings.SHOP_MAX_IMAGE_UPLOAD_BYTES)},
    )
