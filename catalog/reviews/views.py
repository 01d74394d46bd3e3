"""Review pages: writing a review of a product (signed-in customers)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import selectors, services
from .forms import ReviewForm


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
        "catalog/reviews/review_form.html",
        {"product": product, "form": form},
        status=400 if request.method == "POST" else 200,
    )
