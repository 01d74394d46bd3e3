"""Cart services: add, change, remove, stock messages, merge of a guest cart on sign-in."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore

from catalog.models import PublicationStatus
from events.models import InteractionEvent
from orders.cart_session import cart_for_request
from orders.models import Cart, CartLine
from orders.selectors import cart_for, cart_item_count, cart_summary
from orders.services import (
    CartError,
    OutOfStock,
    ProductUnavailable,
    cart_add,
    cart_get_or_create,
    cart_merge,
    cart_remove_line,
    cart_set_quantity,
)
from tests.factories import ProductFactory

from .conftest import cart_with

pytestmark = pytest.mark.django_db


def test_a_guest_gets_a_session_and_a_cart_on_first_add(rf, ring):
    # Given a guest whose session was never saved
    request = rf.post("/")
    request.user, request.session = AnonymousUser(), SessionStore()
    assert request.session.session_key is None

    # When they add a ring
    cart = cart_for_request(request)
    cart_add(cart=cart, variant=ring, quantity=2)

    # Then the session now has a key and finds the same cart with the ring, on the next
    # request too
    session = request.session
    assert session.session_key
    assert cart.session_key == session.session_key
    assert cart_for(session=session) == cart
    assert cart_item_count(session=session) == 2
    assert cart_for_request(request) == cart


def test_the_guest_cart_service_takes_plain_values_not_the_session():
    # A guest known by the session's key gets a new cart; with its id, the same one again
    cart = cart_get_or_create(guest_cart_id=None, session_key="k" * 32)
    assert cart.session_key == "k" * 32 and cart.user is None
    assert cart_get_or_create(guest_cart_id=cart.pk, session_key="k" * 32) == cart
    # An id that is not a guest cart any more gives a new one; no key, no cart
    assert cart_get_or_create(guest_cart_id=cart.pk + 1000, session_key="k" * 32) != cart
    with pytest.raises(ValueError):
        cart_get_or_create(guest_cart_id=None, session_key=None)


def test_a_signed_in_customer_always_gets_the_same_cart(customer):
    first = cart_get_or_create(user=customer)
    assert cart_get_or_create(user=customer) == first
    assert Cart.objects.filter(user=customer).count() == 1


def test_adding_the_same_item_twice_adds_to_one_line(ring):
    cart = cart_with()
    cart_add(cart=cart, variant=ring, quantity=1)
    cart_add(cart=cart, variant=ring, quantity=2)
    assert list(cart.lines.values_list("quantity", flat=True)) == [3]


def test_adding_more_than_the_stock_says_how_many_are_left(ring):
    # Given a ring with 5 in stock, 3 already in the bag
    cart = cart_with((ring, 3))

    # When the shopper asks for 3 more
    with pytest.raises(OutOfStock) as error:
        cart_add(cart=cart, variant=ring, quantity=3)

    # Then they read how many are left, and the bag is unchanged
    assert error.value.message == "Only 5 left of Gold ring (Size 7)."
    assert cart.lines.get().quantity == 3


def test_a_sold_out_item_cannot_be_added(ring):
    ring.stock_quantity = 0
    ring.save()
    with pytest.raises(OutOfStock, match="Sorry, Gold ring \\(Size 7\\) is out of stock."):
        cart_add(cart=cart_with(), variant=ring, quantity=1)


@pytest.mark.parametrize("status", [PublicationStatus.DRAFT, PublicationStatus.ARCHIVED])
def test_unpublished_and_archived_products_cannot_be_added(ring, status):
    ring.product.status = status
    ring.product.save()
    cart = cart_with()
    with pytest.raises(ProductUnavailable, match="is not available"):
        cart_add(cart=cart, variant=ring, quantity=1)
    assert not cart.lines.exists()


@pytest.mark.parametrize("quantity", [0, -1, 100])
def test_silly_quantities_are_refused(ring, quantity):
    with pytest.raises(CartError):
        cart_add(cart=cart_with(), variant=ring, quantity=quantity)


def test_changing_a_quantity_is_checked_against_the_stock(ring):
    cart = cart_with((ring, 1))
    line = cart.lines.get()

    cart_set_quantity(line=line, quantity=4)
    assert CartLine.objects.get(pk=line.pk).quantity == 4

    with pytest.raises(OutOfStock, match="Only 5 left"):
        cart_set_quantity(line=line, quantity=6)
    assert CartLine.objects.get(pk=line.pk).quantity == 4


def test_lowering_a_quantity_above_the_stock_left_is_refused_with_the_count(ring):
    # Given a bag holding 5 rings when only 2 are left (others bought them meanwhile)
    cart = cart_with((ring, 5))
    ring.stock_quantity = 2
    ring.save()

    # When the shopper lowers to 3, then to 2
    with pytest.raises(OutOfStock, match="Only 2 left"):
        cart_set_quantity(line=cart.lines.get(), quantity=3)
    cart_set_quantity(line=cart.lines.get(), quantity=2)

    # Then the bag holds what can be bought
    assert cart.lines.get().quantity == 2


def test_quantity_zero_and_remove_take_the_line_out(ring, necklace):
    cart = cart_with((ring, 1), (necklace, 1))
    assert cart_set_quantity(line=cart.lines.get(variant=ring), quantity=0) is None
    cart_remove_line(line=cart.lines.get(variant=necklace))
    assert not cart.lines.exists()


def test_the_cart_summary_flags_lines_that_cannot_be_bought(ring, necklace):
    # Given a bag with a ring now short of stock and a necklace taken off sale
    cart = cart_with((ring, 4), (necklace, 1))
    ring.stock_quantity = 2
    ring.save()
    necklace.product.status = PublicationStatus.ARCHIVED
    necklace.product.save()

    # When the bag is summarised
    summary = cart_summary(cart, language="en")

    # Then each problem is spelled out (never the name of a product off sale) and the
    # subtotal is exact
    assert summary.problems == [
        "Only 2 left of Gold ring.",
        "This item is no longer available. Please remove it from your bag.",
    ]
    assert summary.subtotal == Decimal("650.00")
    assert summary.item_count == 5


def test_cart_add_records_an_interaction_event(ring, django_capture_on_commit_callbacks):
    cart = cart_with(session_key="abc123")
    with django_capture_on_commit_callbacks(execute=True):
        cart_add(cart=cart, variant=ring, quantity=2)
    event = InteractionEvent.objects.get()
    assert (event.kind, event.product_id, event.session_key, event.value) == (
        "cart_add",
        ring.product_id,
        "abc123",
        2.0,
    )


def test_merging_on_sign_in_adds_quantities_up(customer, ring, necklace):
    # Given the customer's saved bag with 1 ring, and a guest bag with 2 rings and a necklace
    cart_with((ring, 1), user=customer)
    guest = cart_with((ring, 2), (necklace, 1))

    # When the guest bag is merged
    notes = cart_merge(source=guest, user=customer)

    # Then one bag remains, with 3 rings and the necklace, and nothing to report
    assert notes == []
    cart = Cart.objects.get(user=customer)
    assert dict(cart.lines.values_list("variant_id", "quantity")) == {ring.pk: 3, necklace.pk: 1}
    assert not Cart.objects.filter(pk=guest.pk).exists()


def test_merging_caps_quantities_at_the_stock_with_a_note(customer, ring):
    cart_with((ring, 4), user=customer)
    guest = cart_with((ring, 3))

    notes = cart_merge(source=guest, user=customer)

    assert notes == ["Only 5 left of Gold ring (Size 7): your bag now holds 5."]
    assert Cart.objects.get(user=customer).lines.get().quantity == 5


def test_a_guest_bag_becomes_the_customers_when_they_had_none(customer, ring):
    guest = cart_with((ring, 2))
    assert cart_merge(source=guest, user=customer) == []
    guest.refresh_from_db()
    assert guest.user == customer
    assert guest.lines.get().quantity == 2


def test_signing_in_merges_the_guest_bag(client, customer, ring):
    # Given a guest who put a ring in their bag through the cart page
    client.post("/en/cart/add/", {"variant": ring.pk, "quantity": 2})

    # When they sign in (the session gets a new key)
    client.force_login(customer)

    # Then their account's bag holds the ring
    cart = Cart.objects.get(user=customer)
    assert cart.lines.get().quantity == 2
    response = client.get("/en/cart/")
    assert "Gold ring" in response.content.decode()


def test_merge_drops_items_no_longer_sold(customer):
    product = ProductFactory(
        handle="old-brooch",
        name="Old brooch",
        variants=[{"price": Decimal("80.00"), "stock_quantity": 2}],
    )
    variant = product.variants.get()
    guest = cart_with((variant, 1))
    product.status = PublicationStatus.ARCHIVED
    product.save()

    notes = cart_merge(source=guest, user=customer)

    # (not named: a product off sale may be renamed for a launch not yet announced)
    assert notes == ["An item that is no longer available was removed from your bag."]
    assert not Cart.objects.get(user=customer).lines.exists()
