"""The events app has no pages of its own: only the redirect from the admin's old address."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_safe


@require_safe
def old_admin_address(request: HttpRequest, rest: str) -> HttpResponse:
    """/admin/customers/interactionevent/<rest> (before issue 13) ->
    /admin/events/interactionevent/<rest>, permanently; the admin checks who may see it there."""
    target = reverse("admin:app_list", kwargs={"app_label": "events"}) + rest
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{target}?{query}" if query else target, permanent=True)
