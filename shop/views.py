"""Site-wide pages: home and the currency switcher."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .middleware import CURRENCY_SESSION_KEY


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {})


@require_POST
def set_currency(request: HttpRequest) -> HttpResponse:
    """Remembers the shopper's currency in the session and goes back where they were."""
    currency = request.POST.get("currency", "")
    if currency in settings.SHOP_CURRENCIES:
        request.session[CURRENCY_SESSION_KEY] = currency
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    return HttpResponseRedirect(next_url)
