"""The wishlist pages: add from a product page, remove, list, and only one's own."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from catalog.models import PublicationStatus
from customers.models import WishlistItem
from customers.selectors import wishlist_handles
from events.models import InteractionEvent
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def _url(name: str, language: str = "en", **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


@pytest.fixture
def ring():
    return ProductFactory(handle="solitaire-ring", name="Solitaire Ring")


def test_add_from_a_product_page_goes_back_with_a_message(customer_client, customer, ring):
    product_page = _url("catalog:product", handle="solitaire-ring")

    response = customer_client.post(
        _url("customers:wishlist_add", handle="solitaire-ring"),
        {"next": product_page},
        follow=False,
    )

    assert response.status_code == 302
    assert response.url == product_page
    assert wishlist_handles(user=customer) == {"solitaire-ring"}
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Added to your wishlist."]


def test_adding_records_one_wishlist_event(customer_client, customer, ring):
    customer_client.post(_url("customers:wishlist_add", "fr", handle="solitaire-ring"))
    customer_client.post(_url("customers:wishlist_add", "fr", handle="solitaire-ring"))

    assert WishlistItem.objects.filter(user=customer).count() == 1
    event = InteractionEvent.objects.get()
    assert (event.kind, event.product_id, event.user_id, event.language) == (
        "wishlist_add",
        ring.pk,
        customer.pk,
        "fr",
    )


def test_a_guest_is_sent_to_sign_in_and_back(client, ring):
    product_page = _url("catalog:product", handle="solitaire-ring")

    response = client.post(
        _url("customers:wishlist_add", handle="solitaire-ring"), {"next": product_page}
    )

    assert response.status_code == 302
    assert response.url.startswith(_url("customers:login") + "?next=")
    assert "solitaire-ring" in response.url
    assert not WishlistItem.objects.exists()


def test_add_needs_a_post(customer_client, ring):
    response = customer_client.get(_url("customers:wishlist_add", handle="solitaire-ring"))

    assert response.status_code == 405
    assert not WishlistItem.objects.exists()


def test_an_unknown_or_unpublished_product_is_a_404(customer_client):
    ProductFactory(handle="draft-piece", status=PublicationStatus.DRAFT)

    for handle in ("no-such-piece", "draft-piece"):
        response = customer_client.post(_url("customers:wishlist_add", handle=handle))
        assert response.status_code == 404
    assert not WishlistItem.objects.exists()


def test_the_back_link_never_leaves_the_site(customer_client, ring):
    response = customer_client.post(
        _url("customers:wishlist_add", handle="solitaire-ring"),
        {"next": "https://evil.example/"},
        HTTP_REFERER="https://evil.example/",
    )

    assert response.url == ring.get_absolute_url()


def test_wishlist_page_shows_product_cards(
    customer_client, customer, ring, django_assert_max_num_queries
):
    for index in range(5):
        product = ProductFactory(handle=f"piece-{index}")
        WishlistItem.objects.create(user=customer, product=product)
    WishlistItem.objects.create(user=customer, product=ring)

    # The page costs a bounded number of queries, however long the list
    with django_assert_max_num_queries(20):
        response = customer_client.get(_url("customers:wishlist"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Solitaire Ring" in html
    assert f'href="{ring.get_absolute_url()}"' in html
    assert html.count('class="product-card"') == 6


def test_wishlist_page_query_count_does_not_grow_with_the_list(customer_client, customer):
    def count_for(n: int) -> int:
        WishlistItem.objects.filter(user=customer).delete()
        for index in range(n):
            WishlistItem.objects.create(
                user=customer, product=ProductFactory(handle=f"count-{n}-{index}")
            )
        with CaptureQueriesContext(connection) as captured:
            customer_client.get(_url("customers:wishlist"))
        return len(captured)

    count_for(1)  # warms the exchange-rate cache
    assert count_for(2) == count_for(7)


def test_remove_takes_it_off(customer_client, customer, ring):
    WishlistItem.objects.create(user=customer, product=ring)

    response = customer_client.post(_url("customers:wishlist_remove", handle="solitaire-ring"))

    assert response.status_code == 302
    assert response.url == _url("customers:wishlist")
    assert not WishlistItem.objects.exists()


def test_remove_never_touches_another_customers_wishlist(customer_client, other_customer, ring):
    WishlistItem.objects.create(user=other_customer, product=ring)

    response = customer_client.post(_url("customers:wishlist_remove", handle="solitaire-ring"))

    assert response.status_code == 404
    assert WishlistItem.objects.filter(user=other_customer).count() == 1


def test_wishlist_page_never_shows_another_customers_pieces(customer_client, other_customer, ring):
    WishlistItem.objects.create(user=other_customer, product=ring)

    html = customer_client.get(_url("customers:wishlist")).content.decode()

    assert "Solitaire Ring" not in html
    assert "Your wishlist is empty" in html
