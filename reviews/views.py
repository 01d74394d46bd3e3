"""Review pages: writing a review of a product (signed-in customers), and review photos (private
files served after a check: see review_photo); the reviews admin's old addresses redirect."""

from __future__ import annotations

import mimetypes
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from django.views.static import serve

from . import selectors, services
from .forms import ReviewForm
from .storage import review_photo_storage


def _product(handle: str):
    product = selectors.product_for_reviews(handle=handle)
    if product is None:
        raise Http404(_("No such product."))
    return product


@login_required
@require_http_methods(["GET", "POST"])
def review_create(request: HttpRequest, handle: str) -> HttpResponse:
    product = _product(handle)
    existing = selectors.user_review_for_product(user=request.user, product=product)
    if existing is not None:
        messages.info(request, _("You have already reviewed this product."))
        return redirect(product.get_absolute_url() + "#reviews")
    form = ReviewForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_create(
                product=product,
                author=request.user,
                rating=form.cleaned_data["rating"],
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
                photos=form.cleaned_data["photos"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    target = field if field in form.fields else None
                    for error in errors:
                        form.add_error(target, error)
            else:
                form.add_error(None, exc)
        else:
            if review.is_public:
                messages.success(request, _("Thank you! Your review is published."))
            else:
                messages.success(
                    request,
                    _("Thank you! Your review will appear once our team has checked it."),
                )
            return redirect(product.get_absolute_url() + "#reviews")
    return render(
        request,
        "reviews/review_form.html",
        {"product": product, "form": form},
        status=400 if request.method == "POST" else 200,
    )


# An approved review's photo may be cached by browsers and proxies, but not for long: if the
# merchant rejects the review later, copies stop being served within this time.
PUBLIC_PHOTO_MAX_AGE = 3600


def _photo_viewer(request: HttpRequest):
    """The signed-in user (session), or the API client's user (`Authorization: Token ...`): the
    API hands a customer the photo URLs of their own pending review, so the token opens them."""
    if request.user.is_authenticated:
        return request.user
    from rest_framework.authentication import SessionAuthentication
    from rest_framework.exceptions import AuthenticationFailed
    from rest_framework.settings import api_settings

    # The API's own token authentication (whatever the setting names), not the session again.
    for authentication_class in api_settings.DEFAULT_AUTHENTICATION_CLASSES:
        if issubclass(authentication_class, SessionAuthentication):
            continue
        try:
            found = authentication_class().authenticate(request)
        except AuthenticationFailed:
            return request.user
        if found:
            return found[0]
    return request.user


@require_safe
def review_photo(request: HttpRequest, pk: int) -> HttpResponse:
    """A review photo: to anyone once the review is approved; for a pending or rejected review
    only to staff and the review's author. Anyone else gets 404, not 403, so the answer does not
    tell that an unpublished review with a photo exists."""
    # Lazy: the session and token are only read for a photo of an unpublished review.
    viewer = SimpleLazyObject(lambda: _photo_viewer(request))
    found = selectors.review_photo_for_viewer(photo_id=pk, user=viewer)
    if found is None:
        raise Http404(_("No such photo."))
    accel_prefix = getattr(settings, "REVIEW_PHOTOS_ACCEL_REDIRECT", "")
    if accel_prefix:
        # nginx sends the file from an `internal` location mapped to REVIEW_PHOTOS_ROOT.
        content_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = accel_prefix.rstrip("/") + "/" + quote(found.name)
    else:
        # Raises Http404 when the file is missing; answers If-Modified-Since with 304.
        response = serve(request, found.name, document_root=review_photo_storage().location)
    if found.public:
        patch_cache_control(response, public=True, max_age=PUBLIC_PHOTO_MAX_AGE)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response


@require_safe
def old_admin_address(request: HttpRequest, rest: str) -> HttpResponse:
    """/admin/catalog/review/<rest> (before issue 13) -> /admin/reviews/review/<rest>, permanently;
    the admin checks who may see it there."""
    target = reverse("admin:app_list", kwargs={"app_label": "reviews"}) + rest
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{target}?{query}" if query else target, permanent=True)
