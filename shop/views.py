"""Site-wide actions: the currency switcher, and the job list's address from before issue 13
(the home page is catalog's: catalog.home)."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from .middleware import CURRENCY_SESSION_KEY
from .params import safe_next_url


@require_POST
def set_currency(request: HttpRequest) -> HttpResponse:
    """Remembers the shopper's currency in the session and goes back where they were."""
    currency = request.POST.get("currency", "")
    if currency in settings.SHOP_CURRENCIES:
        request.session[CURRENCY_SESSION_KEY] = currency
    return HttpResponseRedirect(safe_next_url(request, request.POST.get("next")) or "/")


@require_safe
def old_job_admin_address(request: HttpRequest, rest: str | None = None) -> HttpResponse:
    """/admin/ai/job/<rest> (before issue 13 step 7 moved jobs to the kernel) ->
    /admin/shop/job/<rest>, permanently, with the query string; the admin checks who may see it
    there. Merchants' bookmarks of the job list, a job or its progress endpoint keep working."""
    target = reverse("admin:shop_job_changelist") + (rest or "")
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{target}?{query}" if query else target, permanent=True)


@require_safe
def old_exchange_rate_admin_address(request: HttpRequest, rest: str | None = None) -> HttpResponse:
    """/admin/orders/exchangerate/<rest> (before issue 13 step 6 moved exchange rates to the
    kernel) -> /admin/shop/exchangerate/<rest>, permanently, with the query string; the admin
    checks who may see it there."""
    target = reverse("admin:shop_exchangerate_changelist") + (rest or "")
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{target}?{query}" if query else target, permanent=True)
