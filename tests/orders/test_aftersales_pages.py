"""The customer's after-sales actions on their order page (cancel, return, new address) and the
merchant's return-request admin: shown only when allowed, owner only, confirmation pages that
post with CSRF, malformed posts answered 4xx, admin actions behind their permissions."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.test import Client

from orders.models import Order, OrderStatus, OrderStatusEvent, ReturnRequest
from orders.services import (
    order_mark_delivered,
    order_return_request,
    order_ship,
    order_start_processing,
    return_request_approve,
)
from tests.factories import UserFactory

from .conftest import PARIS, cart_with, place

pytestmark = pytest.mark.django_db

S = OrderStatus
RR = ReturnRequest.Status


@pytest.fixture
def paid_order(shipping, ring, customer, recording_gateway):
    return place(
        cart_with((ring, 2), user=customer),
        user=customer,
        email=customer.email,
        address=PARIS,
        currency="EUR",
        language="fr",
    )


@pytest.fixture
def delivered_order(paid_order):
    order_start_processing(order=paid_order)
    order_ship(order=paid_order, carrier="DHL", tracking_number="JD0001")
    return order_mark_delivered(order=paid_order)


@pytest.fixture
def alice(client, customer):
    client.force_login(customer)
    return client


def page(client, order, suffix="") -> str:
    response = client.get(f"/en/orders/{order.number}/{suffix}")
    assert response.status_code == 200
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def status_of(order) -> str:
    return Order.objects.get(pk=order.pk).status


# --- The order page ---------------------------------------------------------------------------


def test_a_paid_order_offers_cancel_and_address_but_not_return(alice, paid_order):
    html = page(alice, paid_order)
    assert f"/en/orders/{paid_order.number}/cancel/" in html
    assert f"/en/orders/{paid_order.number}/address/" in html
    assert f"/en/orders/{paid_order.number}/return/" not in html


def test_a_delivered_order_offers_a_return_only(alice, delivered_order):
    html = page(alice, delivered_order)
    assert f"/en/orders/{delivered_order.number}/return/" in html
    assert "/cancel/" not in html
    assert "/address/" not in html


def test_a_shipped_order_offers_nothing(alice, paid_order):
    order_start_processing(order=paid_order)
    order_ship(order=paid_order, carrier="DHL", tracking_number="X")
    html = page(alice, paid_order)
    assert "Manage this order" not in html


def test_the_guest_tracking_page_offers_no_actions(client, paid_order):
    from orders.selectors import order_access_token

    token = order_access_token(paid_order)
    html = client.get(f"/en/orders/track/{token}/").content.decode()
    assert "/cancel/" not in html


def test_the_actions_link_in_the_page_language(alice, paid_order):
    html = alice.get(f"/fr/orders/{paid_order.number}/").content.decode()
    assert f"/fr/orders/{paid_order.number}/cancel/" in html


@pytest.mark.parametrize("suffix", ["", "cancel/", "return/", "address/"])
def test_another_customers_order_is_a_404(client, paid_order, suffix):
    client.force_login(UserFactory(email="mallory@example.com"))
    assert client.get(f"/en/orders/{paid_order.number}/{suffix}").status_code == 404
    if suffix:
        response = client.post(f"/en/orders/{paid_order.number}/{suffix}", {"reason": "x"})
        assert response.status_code == 404
    assert status_of(paid_order) == S.PAID


@pytest.mark.parametrize("suffix", ["cancel/", "return/", "address/"])
def test_a_signed_out_visitor_is_sent_to_sign_in(client, paid_order, suffix):
    response = client.post(f"/en/orders/{paid_order.number}/{suffix}")
    assert response.status_code == 302
    assert "next=" in response["Location"]
    assert status_of(paid_order) == S.PAID


def test_the_forms_need_the_csrf_token(customer, paid_order):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(customer)
    assert strict.post(f"/en/orders/{paid_order.number}/cancel/").status_code == 403
    html = strict.get(f"/en/orders/{paid_order.number}/cancel/").content.decode()
    assert 'name="csrfmiddlewaretoken"' in html
    assert status_of(paid_order) == S.PAID


# --- Cancel -----------------------------------------------------------------------------------


def test_cancel_asks_for_confirmation_then_cancels_once(
    alice, paid_order, customer, recording_gateway
):
    confirmation = page(alice, paid_order, "cancel/")
    assert "Yes, cancel this order" in confirmation
    assert status_of(paid_order) == S.PAID  # showing the page changes nothing

    response = alice.post(f"/en/orders/{paid_order.number}/cancel/", {"reason": "Too late"})
    assert response.status_code == 302
    assert response["Location"] == f"/en/orders/{paid_order.number}/"
    assert "is cancelled" in messages_of(response)[0]
    assert status_of(paid_order) == S.CANCELLED
    assert OrderStatusEvent.objects.get(order=paid_order, to_status=S.CANCELLED).created_by == (
        customer
    )

    again = alice.post(f"/en/orders/{paid_order.number}/cancel/", {"reason": "Too late"})
    assert again.status_code == 302
    assert "already cancelled" in messages_of(again)[-1]
    assert len(recording_gateway.refund_calls) == 1


def test_cancel_without_a_reason_cancels(alice, paid_order):
    response = alice.post(f"/en/orders/{paid_order.number}/cancel/")
    assert response.status_code == 302
    assert status_of(paid_order) == S.CANCELLED


def test_cancel_of_a_shipped_order_is_refused_with_the_reason(alice, paid_order):
    order_start_processing(order=paid_order)
    order_ship(order=paid_order, carrier="DHL", tracking_number="X")
    response = alice.post(f"/en/orders/{paid_order.number}/cancel/")
    assert response.status_code == 302
    assert "already shipped" in messages_of(response)[0]
    assert status_of(paid_order) == S.SHIPPED


# --- Return -----------------------------------------------------------------------------------


def test_a_return_request_from_the_page(alice, delivered_order, customer):
    assert "Request a return" in page(alice, delivered_order, "return/")

    response = alice.post(f"/en/orders/{delivered_order.number}/return/", {"reason": "Too big"})
    assert response.status_code == 302
    request = ReturnRequest.objects.get(order=delivered_order)
    assert (request.reason, request.requested_by, request.status) == (
        "Too big",
        customer,
        RR.REQUESTED,
    )
    html = page(alice, delivered_order)
    assert "Return requested on" in html
    assert "/return/" not in html
    # the request is in the order's history, but the shopper's timeline shows status changes
    assert html.count('class="order-status order-status--delivered"') == 2  # heading + timeline

    again = alice.post(f"/en/orders/{delivered_order.number}/return/", {"reason": "Too big"})
    assert again.status_code == 302
    assert ReturnRequest.objects.filter(order=delivered_order).count() == 1


def test_a_rejected_return_shows_the_note_escaped(alice, delivered_order, merchant):
    from orders.services import return_request_reject

    request = order_return_request(order=delivered_order, reason="")
    return_request_reject(return_request=request, by=merchant, note="<b>Worn</b> pieces")
    html = page(alice, delivered_order)
    assert "&lt;b&gt;Worn&lt;/b&gt; pieces" in html
    assert "<b>Worn</b>" not in html


# --- Address ----------------------------------------------------------------------------------

ADDRESS = {
    "full_name": "Claire Martin",
    "line1": "2 place Vendôme",
    "city": "Paris",
    "postal_code": "75001",
    "country": "FR",
}


def test_the_address_form_starts_from_the_current_address_and_saves_the_new_one(alice, paid_order):
    html = page(alice, paid_order, "address/")
    assert 'value="10 rue de Rivoli"' in html

    response = alice.post(f"/en/orders/{paid_order.number}/address/", ADDRESS)
    assert response.status_code == 302
    order = Order.objects.get(pk=paid_order.pk)
    assert order.shipping_line1 == "2 place Vendôme"
    assert "2 place Vendôme" in page(alice, paid_order)


def test_another_zone_is_refused_on_the_form_with_the_message(alice, paid_order):
    response = alice.post(
        f"/en/orders/{paid_order.number}/address/",
        {**ADDRESS, "country": "GB", "city": "London"},
    )
    assert response.status_code == 400
    assert "contact us" in response.content.decode()
    assert Order.objects.get(pk=paid_order.pk).shipping_country.code == "FR"


def test_a_country_without_shipping_is_refused_on_the_form(alice, paid_order):
    response = alice.post(f"/en/orders/{paid_order.number}/address/", {**ADDRESS, "country": "KP"})
    assert response.status_code == 400
    assert "do not ship to" in response.content.decode()


# --- Malformed posts --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        {},
        {**ADDRESS, "country": "ZZ"},
        {**ADDRESS, "city": "\x00"},
        {**ADDRESS, "full_name": "x" * 5000},
        {**ADDRESS, "country": "\x00"},
        {**ADDRESS, "line1": ""},
    ],
)
def test_malformed_address_posts_are_400(alice, paid_order, data):
    response = alice.post(f"/en/orders/{paid_order.number}/address/", data)
    assert response.status_code == 400
    assert Order.objects.get(pk=paid_order.pk).shipping_line1 == "10 rue de Rivoli"


@pytest.mark.parametrize("reason", ["x" * 5000, "a\x00b"])
def test_malformed_cancel_posts_are_400(alice, paid_order, reason):
    response = alice.post(f"/en/orders/{paid_order.number}/cancel/", {"reason": reason})
    assert response.status_code == 400
    assert status_of(paid_order) == S.PAID


@pytest.mark.parametrize("data", [{}, {"reason": ""}, {"reason": "x" * 5000}, {"reason": "\x00"}])
def test_malformed_return_posts_are_400(alice, delivered_order, data):
    response = alice.post(f"/en/orders/{delivered_order.number}/return/", data)
    assert response.status_code == 400
    assert not ReturnRequest.objects.exists()


@pytest.mark.parametrize("number", ["%00", "x" * 3000, "' OR '1'='1", "١٢"])
@pytest.mark.parametrize("suffix", ["cancel/", "return/", "address/"])
def test_malformed_order_numbers_are_404(alice, paid_order, number, suffix):
    assert alice.post(f"/en/orders/{number}/{suffix}", {"reason": "x"}).status_code == 404


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_405(alice, paid_order, method):
    response = getattr(alice, method)(f"/en/orders/{paid_order.number}/cancel/")
    assert response.status_code == 405


# --- Admin ------------------------------------------------------------------------------------


def staff_with(client, *codenames: str):
    user = UserFactory(email="staff@example.com", is_staff=True)
    for name in codenames:
        app_label, codename = name.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    client.force_login(user)
    return user


def run_action(client, action: str, pk: int):
    return client.post("/admin/orders/returnrequest/", {"action": action, "_selected_action": [pk]})


@pytest.fixture
def return_request(delivered_order):
    return order_return_request(order=delivered_order, reason="Too big")


def test_the_admin_lists_and_filters_return_requests_with_a_link_to_the_order(
    merchant_client, return_request
):
    order = return_request.order
    html = merchant_client.get("/admin/orders/returnrequest/?status=requested").content.decode()
    assert order.number in html
    assert f"/admin/orders/order/{order.pk}/change/" in html
    assert (
        order.number
        not in merchant_client.get("/admin/orders/returnrequest/?status=refunded").content.decode()
    )
    assert (
        order.number
        in merchant_client.get(f"/admin/orders/returnrequest/?q={order.number}").content.decode()
    )
    order_page = merchant_client.get(f"/admin/orders/order/{order.pk}/change/").content.decode()
    assert f"/admin/orders/returnrequest/{return_request.pk}/change/" in order_page


def test_the_merchant_approves_then_refunds_from_the_admin(
    merchant_client, return_request, ring, recording_gateway
):
    run_action(merchant_client, "approve", return_request.pk)
    assert ReturnRequest.objects.get(pk=return_request.pk).status == RR.APPROVED
    response = run_action(merchant_client, "refund", return_request.pk)
    assert "refunded" in messages_of(response)[-1]
    assert ReturnRequest.objects.get(pk=return_request.pk).status == RR.REFUNDED
    assert Order.objects.get(pk=return_request.order_id).status == S.REFUNDED
    # a second click refunds nothing more
    run_action(merchant_client, "refund", return_request.pk)
    assert len(recording_gateway.refund_calls) == 1


def test_refunding_an_unapproved_request_explains_why(merchant_client, return_request):
    response = run_action(merchant_client, "refund", return_request.pk)
    assert any("Approve" in message for message in messages_of(response))
    assert ReturnRequest.objects.get(pk=return_request.pk).status == RR.REQUESTED


def test_the_merchant_rejects_with_the_note_written_on_the_request(merchant_client, return_request):
    url = f"/admin/orders/returnrequest/{return_request.pk}/change/"
    response = merchant_client.post(url, {"note": "Worn pieces cannot come back"})
    assert response.status_code == 302
    assert ReturnRequest.objects.get(pk=return_request.pk).status == RR.REQUESTED

    run_action(merchant_client, "reject", return_request.pk)

    rejected = ReturnRequest.objects.get(pk=return_request.pk)
    assert (rejected.status, rejected.note) == (RR.REJECTED, "Worn pieces cannot come back")


def test_staff_who_may_change_returns_approve_but_cannot_refund(
    client, return_request, recording_gateway
):
    staff_with(client, "orders.view_returnrequest", "orders.change_returnrequest")
    return_request_approve(return_request=return_request, by=None)

    run_action(client, "refund", return_request.pk)

    assert ReturnRequest.objects.get(pk=return_request.pk).status == RR.APPROVED
    assert recording_gateway.refund_calls == []


def test_staff_who_may_refund_refund_returns(client, return_request, recording_gateway):
    staff_with(
        client,
        "orders.view_returnrequest",
        "orders.change_returnrequest",
        "orders.refund_order",
    )
    run_action(client, "approve", return_request.pk)
    run_action(client, "refund", return_request.pk)
    assert ReturnRequest.objects.get(pk=return_request.pk).status == RR.REFUNDED


def test_staff_who_may_only_view_returns_cannot_decide(client, return_request):
    staff_with(client, "orders.view_returnrequest", "orders.refund_order")
    for action in ("approve", "reject"):
        run_action(client, action, return_request.pk)
    assert ReturnRequest.objects.get(pk=return_request.pk).status == RR.REQUESTED


def test_return_requests_cannot_be_added_or_deleted_in_the_admin(merchant_client, return_request):
    assert merchant_client.get("/admin/orders/returnrequest/add/").status_code == 403
    url = f"/admin/orders/returnrequest/{return_request.pk}/delete/"
    assert merchant_client.post(url, {"post": "yes"}).status_code == 403
    assert ReturnRequest.objects.filter(pk=return_request.pk).exists()


def test_the_migration_gives_order_staff_the_return_request_permissions():
    from importlib import import_module

    from django.apps import apps
    from django.contrib.auth.models import Group

    migration = import_module("orders.migrations.0005_return_request_permissions")
    change_order = Permission.objects.get(content_type__app_label="orders", codename="change_order")
    shipping_team = Group.objects.create(name="Shipping")
    shipping_team.permissions.add(change_order)
    clerk = UserFactory(email="clerk@example.com", is_staff=True)
    clerk.user_permissions.add(change_order)
    outsider = UserFactory(email="outsider@example.com", is_staff=True)

    migration.grant(apps, None)

    codenames = {"view_returnrequest", "change_returnrequest"}
    assert set(shipping_team.permissions.values_list("codename", flat=True)) >= codenames
    assert set(clerk.user_permissions.values_list("codename", flat=True)) >= codenames
    assert not outsider.user_permissions.exists()
