"""Cart, checkout and order pages (thin: parse input, call a service or selector, render)."""

import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from catalog.models import ProductVariant
from catalog.ring_sizes import remember_country, shopper_scale
from shop.language import request_language
from shop.params import safe_next_url

from . import selectors, services
from .cart_session import cart_for_request
from .forms import (
    AddressChangeForm,
    CartAddForm,
    CartLineForm,
    CheckoutDetailsForm,
    OrderCancelForm,
    PaymentForm,
    ReturnRequestForm,
    ShippingMethodForm,
)
from .models import CartLine, Order

CHECKOUT_SESSION_KEY = "checkout"
# Numbers of the orders this session placed, so a resubmitted form finds its order.
PLACED_SESSION_KEY = "orders_placed"


def _cart(request: HttpRequest):
    return selectors.cart_for(user=request.user, session=request.session)


def _summary(request: HttpRequest):
    return selectors.cart_summary(
        _cart(request), language=request_language(request), ring_scale=shopper_scale(request)
    )


def _form_error(form) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def _own_line(request: HttpRequest, line_id: int) -> CartLine:
    cart = _cart(request)
    line = CartLine.objects.filter(pk=line_id, cart=cart).first() if cart else None
    if line is None:
        raise Http404(_("This item is not in your bag."))
    return line


def _render_cart(request: HttpRequest, *, error: str = "", status: int = 200) -> HttpResponse:
    summary = _summary(request)
    return render(
        request,
        "orders/cart.html",
        {"summary": summary, "error": error, "max_quantity": services.MAX_LINE_QUANTITY},
        status=status,
    )


@require_GET
@never_cache
def cart_detail(request: HttpRequest) -> HttpResponse:
    return _render_cart(request)


@require_POST
def cart_add(request: HttpRequest) -> HttpResponse:
    form = CartAddForm(request.POST)
    next_url = safe_next_url(request, request.POST.get("next"))
    if not form.is_valid():
        return _cart_add_failed(request, _form_error(form), next_url)
    variant = (
        ProductVariant.objects.select_related("product")
        .filter(pk=form.cleaned_data["variant"])
        .first()
    )
    if variant is None:
        return _cart_add_failed(request, _("This product is not available."), next_url)
    cart = cart_for_request(request)
    try:
        services.cart_add(cart=cart, variant=variant, quantity=form.cleaned_data["quantity"])
    except services.CartError as error:
        return _cart_add_failed(request, error.message, next_url)
    messages.success(
        request,
        _("Added %(name)s to your bag.")
        % {"name": services.variant_display_name(variant, ring_scale=shopper_scale(request))},
    )
    return redirect(next_url or "orders:cart")


def _cart_add_failed(request: HttpRequest, message: str, next_url: str) -> HttpResponse:
    if next_url:
        messages.error(request, message)
        return redirect(next_url)
    return _render_cart(request, error=message, status=400)


@require_POST
def cart_line_update(request: HttpRequest, line_id: int) -> HttpResponse:
    line = _own_line(request, line_id)
    form = CartLineForm(request.POST)
    if not form.is_valid():
        return _render_cart(request, error=_form_error(form), status=400)
    try:
        services.cart_set_quantity(line=line, quantity=form.cleaned_data["quantity"])
    except services.CartError as error:
        return _render_cart(request, error=error.message, status=400)
    return redirect("orders:cart")


@require_POST
def cart_line_remove(request: HttpRequest, line_id: int) -> HttpResponse:
    services.cart_remove_line(line=_own_line(request, line_id))
    return redirect("orders:cart")


# --- Checkout ---------------------------------------------------------------------------------


def _checkout_state(request: HttpRequest) -> dict:
    state = request.session.get(CHECKOUT_SESSION_KEY)
    return state if isinstance(state, dict) else {}


def _save_checkout_state(request: HttpRequest, **changes) -> None:
    request.session[CHECKOUT_SESSION_KEY] = {**_checkout_state(request), **changes}


def _address_from_state(request: HttpRequest, state: dict):
    """The chosen address; a saved one is read again, so a deleted address is not used."""
    address_id = state.get("address_id")
    if address_id is not None:
        if not request.user.is_authenticated:
            return None
        saved = request.user.addresses.filter(pk=address_id).first()
        return services.ShippingAddress.from_address(saved) if saved else None
    data = state.get("address")
    if not isinstance(data, dict):
        return None
    try:
        return services.ShippingAddress(**data)
    except TypeError:
        return None


def _steps_context(step: int) -> dict:
    return {"step": step}


@never_cache
@require_http_methods(["GET", "POST"])
def checkout_details(request: HttpRequest) -> HttpResponse:
    summary = _summary(request)
    if summary.is_empty:
        messages.info(request, _("Your bag is empty."))
        return redirect("orders:cart")
    if summary.problems:
        return _back_to_bag(request)
    state = _checkout_state(request)
    initial = {"email": state.get("email") or getattr(request.user, "email", "")}
    if isinstance(state.get("address"), dict) and state.get("address_id") is None:
        initial.update(state["address"])
    if state.get("address_id") is not None:
        initial["saved_address"] = state["address_id"]
    elif not state and request.user.is_authenticated:
        default = request.user.addresses.filter(is_default=True).first()
        initial["saved_address"] = default.pk if default else None
    if request.method == "POST":
        form = CheckoutDetailsForm(request.POST, user=request.user)
        if form.is_valid():
            _save_checkout_state(request, **form.session_data())
            address = _address_from_state(request, _checkout_state(request))
            if address is not None:
                # Ring sizes show in the scale of the country the order ships to from now on.
                remember_country(request.session, address.country)
            return redirect("orders:checkout_shipping")
    else:
        form = CheckoutDetailsForm(initial=initial, user=request.user)
    return render(
        request,
        "orders/checkout_details.html",
        {"form": form, "summary": summary, **_steps_context(1)},
        status=400 if form.is_bound else 200,
    )


def _back_to_bag(request: HttpRequest) -> HttpResponse:
    messages.warning(request, _("Please change the items marked in your bag before you check out."))
    return redirect("orders:cart")


def _checkout_quote(request: HttpRequest, *, summary, address, method_code: str = ""):
    return selectors.checkout_quote(
        subtotal=summary.subtotal,
        country=address.country,
        currency=request.currency,
        method_code=method_code,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def checkout_shipping(request: HttpRequest) -> HttpResponse:
    summary = _summary(request)
    if summary.is_empty:
        return redirect("orders:cart")
    state = _checkout_state(request)
    address = _address_from_state(request, state)
    if address is None:
        return redirect("orders:checkout")
    quote = _checkout_quote(
        request, summary=summary, address=address, method_code=state.get("shipping_method", "")
    )
    if not quote.ships:
        messages.error(request, _("Sorry, we do not ship to this country yet."))
        return redirect("orders:checkout")
    form = ShippingMethodForm(request.POST or None, options=quote.options)
    if request.method == "POST" and form.is_valid():
        _save_checkout_state(request, shipping_method=form.cleaned_data["method"])
        return redirect("orders:checkout_review")
    language = request_language(request)
    return render(
        request,
        "orders/checkout_shipping.html",
        {
            "form": form,
            "summary": summary,
            "address": address,
            "options": selectors.shipping_options_display(quote, language=language),
            **_steps_context(2),
        },
        status=400 if form.is_bound else 200,
    )


def _placed_before(request: HttpRequest, key: str):
    """The order an earlier submit of this form placed, if it was this shopper's."""
    order = selectors.order_for_idempotency_key(key)
    if order is None:
        return None
    if request.user.is_authenticated:
        return order if order.user_id == request.user.pk else None
    return order if order.number in request.session.get(PLACED_SESSION_KEY, []) else None


def _confirmation(order) -> HttpResponse:
    return redirect("orders:checkout_complete", token=selectors.order_access_token(order))


def _place_order(request: HttpRequest, *, data: dict, state: dict):
    """Places the order: the redirect to its confirmation, or (message, status) on failure."""
    address = _address_from_state(request, state)
    if address is None or not state.get("email"):
        return redirect("orders:checkout")
    try:
        order = services.order_place(
            cart=_cart(request),
            email=state["email"],
            address=address,
            shipping_method_code=state.get("shipping_method", ""),
            payment_token=data["card_number"],
            idempotency_key=data["idempotency_key"],
            currency=request.currency,
            language=request_language(request),
            user=request.user,
            expected_total=data.get("expected_total"),
        )
    except services.OrderError as error:
        return error.message, error.http_status
    placed = [*request.session.get(PLACED_SESSION_KEY, []), order.number]
    request.session[PLACED_SESSION_KEY] = placed[-20:]
    # The address and method are kept for the shopper's next order; the step is done.
    return _confirmation(order)


@never_cache
@sensitive_post_parameters("card_number")
@require_http_methods(["GET", "POST"])
def checkout_review(request: HttpRequest) -> HttpResponse:
    """Step 3: itemised totals in the shopper's currency, and payment.

    Each render carries a new idempotency key: resubmitting the same form (a double click, a
    reload) finds the order the first submit placed; a retry after a failed payment is a new
    attempt with a new key.
    """
    state = _checkout_state(request)
    error, status = "", 200
    form = PaymentForm(request.POST or None)
    if request.method == "POST":
        status = 400
        key = request.POST.get("idempotency_key", "")
        earlier = _placed_before(request, key) if isinstance(key, str) and key else None
        if earlier is not None:
            return _confirmation(earlier)
        if form.is_valid():
            outcome = _place_order(request, data=form.cleaned_data, state=state)
            if isinstance(outcome, HttpResponse):
                return outcome
            error, status = outcome
            form = None  # a new attempt: a new key, and the total as it is now
    summary = _summary(request)
    if summary.is_empty:
        if error:
            messages.error(request, error)
        return redirect("orders:cart")
    if summary.problems and not error:
        return _back_to_bag(request)
    address = _address_from_state(request, state)
    if address is None:
        return redirect("orders:checkout")
    quote = _checkout_quote(
        request, summary=summary, address=address, method_code=state.get("shipping_method", "")
    )
    if not quote.ships or quote.method is None:
        return redirect("orders:checkout")
    if quote.method.code != state.get("shipping_method"):
        return redirect("orders:checkout_shipping")
    language = request_language(request)
    options = selectors.shipping_options_display(quote, language=language)
    if form is None or not form.is_bound:
        form = PaymentForm(initial={"expected_total": quote.totals.total_in_currency})
    return render(
        request,
        "orders/checkout_review.html",
        {
            "form": form,
            "payment_error": error,
            "summary": summary,
            "address": address,
            "email": state.get("email", ""),
            "totals": quote.totals,
            "amounts": selectors.totals_display(quote.totals, language=language),
            "method": next(option for option in options if option["selected"]),
            "base_currency": settings.SHOP_BASE_CURRENCY,
            **_steps_context(3),
        },
        status=status,
    )


# --- Orders -----------------------------------------------------------------------------------


def _card_last4(order) -> str:
    """The last four digits of the card that paid, as the gateway reported them."""
    for payment in order.payments.all():
        match = re.search(r"Card ending (\d{4})", payment.message)
        if payment.status in ("succeeded", "refunded") and match:
            return match.group(1)
    return ""


def _owner_actions(order) -> dict:
    """What the order's owner may do from its page (the same checks the services make)."""
    can_return = services.order_can_return(order)[0]
    return {
        "cancel": services.order_can_cancel(order)[0],
        "return": can_return,
        "address": services.order_can_change_address(order)[0],
        "return_until": services.order_return_window_ends(order) if can_return else None,
    }


def _render_order(
    request: HttpRequest, order, *, placed: bool, owner: bool = False
) -> HttpResponse:
    language = request_language(request)
    lines = list(order.lines.all())
    amounts = selectors.order_amounts(order, language=language)
    for line in lines:
        line.display = amounts["lines"].get(line.pk, {})
    actions = _owner_actions(order) if owner else None
    return render(
        request,
        "orders/order_detail.html",
        {
            "order": order,
            "lines": lines,
            "amounts": amounts,
            "events": list(order.status_events.all()),
            "return_requests": list(order.return_requests.all()),
            "card_last4": _card_last4(order),
            "placed": placed,
            "actions": actions,
            "any_action": bool(
                actions and (actions["cancel"] or actions["return"] or actions["address"])
            ),
        },
    )


@require_GET
@never_cache
def checkout_complete(request: HttpRequest, token: str) -> HttpResponse:
    order = selectors.order_for_token(token)
    if order is None:
        raise Http404(_("No such order."))
    return _render_order(request, order, placed=True)


@require_GET
@never_cache
def order_track(request: HttpRequest, token: str) -> HttpResponse:
    order = selectors.order_for_token(token)
    if order is None:
        raise Http404(_("No such order."))
    return _render_order(request, order, placed=False)


@login_required
@require_GET
def order_history(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.orders_for_user(user=request.user), 20).get_page(
        request.GET.get("page")
    )
    language = request_language(request)
    for order in page.object_list:
        order.total_display = selectors.format_money(
            order.total_in_currency, currency=order.currency, language=language
        )
    return render(request, "orders/order_history.html", {"page": page})


@login_required
@require_GET
def order_detail(request: HttpRequest, number: str) -> HttpResponse:
    return _render_order(request, _own_order(request, number), placed=False, owner=True)


# --- After-sales: the owner's actions on their order -------------------------------------------
# Each action has a confirmation page (GET) that posts to itself; the service decides again
# under the order's row lock, so a stale page or a double submit cannot act twice.


def _own_order(request: HttpRequest, number: str) -> Order:
    """The signed-in customer's own order; anyone else's (or none) is a 404."""
    order = selectors.order_for_user(user=request.user, number=number)
    if order is None:
        raise Http404(_("No such order."))
    return order


def _back_to_order(request: HttpRequest, order: Order, *, error: str = "") -> HttpResponse:
    if error:
        messages.error(request, error)
    return redirect("orders:order_detail", number=order.number)


def _render_action(request: HttpRequest, order: Order, *, form, status: int = 200, **context):
    return render(
        request,
        "orders/order_action.html",
        {"order": order, "form": form, **context},
        status=status,
    )


def _confirmed_action(request: HttpRequest, order: Order, *, form_class, act, done: str, **page):
    """A confirmation page with a reason that posts to itself; `act(order=, by=, reason=)`
    runs once the form is valid, and the shopper goes back to the order with `done`."""
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            act(order=order, by=request.user, reason=form.cleaned_data["reason"])
        except services.OrderError as error:
            return _back_to_order(request, order, error=error.message)
        messages.success(request, done)
        return _back_to_order(request, order)
    return _render_action(request, order, form=form, status=400 if form.is_bound else 200, **page)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def order_cancel(request: HttpRequest, number: str) -> HttpResponse:
    order = _own_order(request, number)
    allowed, why = services.order_can_cancel(order)
    if not allowed:
        return _back_to_order(request, order, error=why)
    return _confirmed_action(
        request,
        order,
        form_class=OrderCancelForm,
        act=services.order_cancel_by_customer,
        done=_("Your order %(number)s is cancelled. Any payment is refunded to your card.")
        % {"number": order.number},
        action="cancel",
        title=_("Cancel order %(number)s?") % {"number": order.number},
        intro=_(
            "The order will not be shipped. What you paid goes back to your card, which can "
            "take a few days to appear. This cannot be undone."
        ),
        submit=_("Yes, cancel this order"),
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def order_return(request: HttpRequest, number: str) -> HttpResponse:
    order = _own_order(request, number)
    allowed, why = services.order_can_return(order)
    if not allowed:
        return _back_to_order(request, order, error=why)
    return _confirmed_action(
        request,
        order,
        form_class=ReturnRequestForm,
        act=services.order_return_request,
        done=_(
            "Your return request for order %(number)s has been sent. We will e-mail you "
            "once we have looked at it."
        )
        % {"number": order.number},
        action="return",
        title=_("Return order %(number)s?") % {"number": order.number},
        intro=_(
            "We look at every request and e-mail you how to send the pieces back. You are "
            "refunded once they reach us."
        ),
        submit=_("Request a return"),
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def order_change_address(request: HttpRequest, number: str) -> HttpResponse:
    order = _own_order(request, number)
    allowed, why = services.order_can_change_address(order)
    if not allowed:
        return _back_to_order(request, order, error=why)
    if request.method == "POST":
        form = AddressChangeForm(request.POST)
        if form.is_valid():
            try:
                services.order_change_shipping_address(
                    order=order, address=form.address(), by=request.user
                )
            except services.AddressInvalid as error:
                for field, field_errors in error.errors.items():
                    for message in field_errors:
                        form.add_error(field if field in form.fields else None, message)
                if not error.errors:
                    form.add_error(None, error.message)
            except services.OrderError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("Order %(number)s will be shipped to the new address.")
                    % {"number": order.number},
                )
                return _back_to_order(request, order)
    else:
        form = AddressChangeForm(initial=AddressChangeForm.initial_for(order))
    return _render_action(
        request,
        order,
        form=form,
        status=400 if form.is_bound else 200,
        action="address",
        title=_("Change the shipping address of order %(number)s") % {"number": order.number},
        intro=_(
            "You can change the address until the order ships. Another country is possible "
            "only when shipping, duties and taxes stay the same; otherwise please contact us."
        ),
        submit=_("Save the new address"),
    )
