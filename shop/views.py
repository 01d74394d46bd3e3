"""Site-wide actions: the currency switcher (the home page is catalog's: catalog.home)."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_POST

from .middleware import CURRENCY_SESSION_KEY
from .params import safe_next_url


@require_POST
def set_currency(request: HttpRequest) -> HttpResponse:
    """Remembers the shopper's currency in the session and goes back where they were."""
    currency = request.POST.get("currency", "")
    if currency in settings.SHOP_CURRENCIES:
        request.session[CURRENCY_SESSION_KEY] = currency
    return HttpResponseRedirect(safe_next_url(request, request.POST.get("next")) or "/")
