"""Account pages: sign-up, sign-in, password reset, profile, address book, wishlist.

Thin: parse the form, call a service or selector, render. Anything belonging to another
customer answers 404, exactly as if it did not exist.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy, translate_url
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from shop.language import content_language
from shop.middleware import CURRENCY_SESSION_KEY
from shop.params import safe_next_url

from . import selectors, services
from .forms import (
    AddressForm,
    ApiTokenForm,
    CustomerPasswordResetForm,
    LoginForm,
    ProfileForm,
    RegistrationForm,
)

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


# --- Helpers ----------------------------------------------------------------------------------
def _back_url(request: HttpRequest, fallback: str) -> str:
    """Where a POST from another page goes back to: its `next`, the referring page, else
    the fallback; never another site."""
    return (
        safe_next_url(request, request.POST.get("next"))
        or safe_next_url(request, request.META.get("HTTP_REFERER"))
        or fallback
    )


def _in_language(response: HttpResponse, language: str) -> HttpResponse:
    """Sends a redirect to the same page in `language` and remembers the language."""
    if not language:
        return response
    if isinstance(response, HttpResponseRedirect) and language != get_language():
        response = HttpResponseRedirect(translate_url(response.url, language))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def _add_service_errors(form: Form, error: ValidationError, renames: dict | None = None) -> None:
    """Shows a service's ValidationError on the form, by field where the form has one."""
    renames = renames or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_errors in error.error_dict.items():
        name = renames.get(field, field)
        form.add_error(name if name in form.fields else None, field_errors)


# --- Sign-up, sign-in, passwords --------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("customers:account")
    form = RegistrationForm(
        request.POST or None,
        initial={
            "preferred_language": get_language(),
            "preferred_currency": getattr(request, "currency", settings.SHOP_BASE_CURRENCY),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_register(
                email=data["email"],
                password=data["password1"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                preferred_language=data["preferred_language"],
                preferred_currency=data["preferred_currency"],
            )
        except ValidationError as error:
            _add_service_errors(form, error, RegistrationForm.SERVICE_FIELDS)
        else:
            login(request, user, backend=MODEL_BACKEND)
            messages.success(request, _("Welcome! Your account is ready."))
            next_url = safe_next_url(request, request.POST.get("next")) or reverse(
                "customers:account"
            )
            return _in_language(HttpResponseRedirect(next_url), user.preferred_language)
    return render(
        request,
        "customers/register.html",
        {"form": form, "next": safe_next_url(request, request.GET.get("next"))},
    )


class CustomerLoginView(auth_views.LoginView):
    """E-mail and password; afterwards the pages follow the customer's preferred language.

    django-axes counts failures per e-mail and IP address and, past the limit, answers with
    customers/locked_out.html instead of this page.
    """

    template_name = "customers/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: LoginForm) -> HttpResponse:
        response = super().form_valid(form)
        return _in_language(response, form.get_user().preferred_language)


class CustomerLogoutView(auth_views.LogoutView):
    """POST only (Django's rule): a link or an image cannot sign a customer out."""


class CustomerPasswordResetView(auth_views.PasswordResetView):
    form_class = CustomerPasswordResetForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("customers:password_reset_done")

    @property
    def extra_email_context(self) -> dict:
        # Links in e-mails use the configured address, never the request's Host header.
        return {"site_url": settings.SITE_URL, "shop_name": settings.SHOP_NAME}


class CustomerPasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class CustomerPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("customers:password_reset_complete")


class CustomerPasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


class CustomerPasswordChangeView(SuccessMessageMixin, auth_views.PasswordChangeView):
    template_name = "customers/password_change_form.html"
    success_url = reverse_lazy("customers:account")
    success_message = _("Your password has been changed.")


# --- Account pages ----------------------------------------------------------------------------
@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "customers/account.html",
        {
            "default_address": selectors.default_address_for_user(user=user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(
        request.POST or None,
        initial={
            "first_name": user.first_name,
            "last_name": user.last_name,
            "preferred_language": user.preferred_language or get_language(),
            "preferred_currency": user.preferred_currency
            or getattr(request, "currency", settings.SHOP_BASE_CURRENCY),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update_profile(user=user, **form.cleaned_data)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            # The customer just chose these: the pages follow at once.
            request.session[CURRENCY_SESSION_KEY] = user.preferred_currency
            messages.success(request, _("Your profile has been saved."))
            return _in_language(redirect("customers:profile"), user.preferred_language)
    return render(request, "customers/profile.html", {"form": form})


# --- API tokens -------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The customer's API tokens: when each was made, last used and expires; a new one's key is
    shown on the answer to the POST that made it, once (never stored, never in a redirect)."""
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        new_token = services.api_token_create(user=request.user, name=form.cleaned_data["name"])
        form = ApiTokenForm()
    context = {
        "tokens": selectors.api_tokens_for_user(user=request.user),
        "form": form,
        "new_token": new_token,
    }
    response = render(request, "customers/api_tokens.html", context)
    if new_token is not None:
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    if not services.api_token_revoke(user=request.user, token_id=token_id):
        raise Http404(_("You have no API token with this id."))
    messages.success(request, _("The token has been revoked: it no longer works."))
    return redirect("customers:api_tokens")


# --- Address book -----------------------------------------------------------------------------
def _own_address(request: HttpRequest, address_id: int):
    address = selectors.address_for_user(user=request.user, address_id=address_id)
    if address is None:
        raise Http404(_("No such address in your address book."))
    return address


@login_required
def address_list(request: HttpRequest) -> HttpResponse:
    addresses = list(selectors.addresses_for_user(user=request.user))
    return render(request, "customers/address_list.html", {"addresses": addresses})


@login_required
@require_http_methods(["GET", "POST"])
def address_add(request: HttpRequest) -> HttpResponse:
    form = AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.address_create(
                user=request.user,
                is_default=form.cleaned_data.get("is_default", False),
                **form.service_fields(),
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The address has been added."))
            return redirect("customers:addresses")
    return render(request, "customers/address_form.html", {"form": form, "address": None})


@login_required
@require_http_methods(["GET", "POST"])
def address_edit(request: HttpRequest, address_id: int) -> HttpResponse:
    address = _own_address(request, address_id)
    form = AddressForm(request.POST or None, instance=address)
    if request.method == "POST" and form.is_valid():
        try:
            services.address_update(
                address=address,
                is_default=form.cleaned_data.get("is_default") or None,
                **form.service_fields(),
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The address has been saved."))
            return redirect("customers:addresses")
    return render(request, "customers/address_form.html", {"form": form, "address": address})


@login_required
@require_POST
def address_delete(request: HttpRequest, address_id: int) -> HttpResponse:
    services.address_delete(address=_own_address(request, address_id))
    messages.success(request, _("The address has been deleted."))
    return redirect("customers:addresses")


@login_required
@require_POST
def address_set_default(request: HttpRequest, address_id: int) -> HttpResponse:
    services.address_set_default(address=_own_address(request, address_id))
    messages.success(request, _("This is now your default shipping address."))
    return redirect("customers:addresses")


# --- Wishlist ---------------------------------------------------------------------------------
@login_required
def wishlist(request: HttpRequest) -> HttpResponse:
    items = selectors.wishlist_for_user(user=request.user, language=content_language())
    return render(request, "customers/wishlist.html", {"items": items})


def _wishlist_product(request: HttpRequest, handle: str):
    product = selectors.product_for_wishlist(handle=handle)
    if product is None:
        raise Http404(_("No such product."))
    return product


@require_POST
def wishlist_add(request: HttpRequest, handle: str) -> HttpResponse:
    product = _wishlist_product(request, handle)
    back = _back_url(request, product.get_absolute_url())
    if not request.user.is_authenticated:
        messages.info(request, _("Sign in to keep a wishlist."))
        return redirect_to_login(back)
    _item, created = services.wishlist_add(
        user=request.user,
        product=product,
        session_key=request.session.session_key or "",
        language=content_language(),
    )
    if created:
        messages.success(request, _("Added to your wishlist."))
    else:
        messages.info(request, _("This piece is already on your wishlist."))
    return HttpResponseRedirect(back)


@require_POST
def wishlist_remove(request: HttpRequest, handle: str) -> HttpResponse:
    back = _back_url(request, reverse("customers:wishlist"))
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    # Any product on the list can come off it, even one no longer on sale.
    item = selectors.wishlist_item_for_user(user=request.user, handle=handle)
    if item is None:
        raise Http404(_("This piece is not on your wishlist."))
    services.wishlist_remove(user=request.user, product=item.product)
    messages.success(request, _("Removed from your wishlist."))
    return HttpResponseRedirect(back)
