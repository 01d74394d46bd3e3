"""The admin never writes back a stale stock (or price) it showed in a form.

Between the moment the merchant opens the stock list (or a product page) and the moment they
save, shoppers keep buying: a save that only changed a price must keep every sale made
meanwhile, and a stock the merchant typed over a value that changed meanwhile is refused with
an explanation instead of silently undoing the sale.
"""

from decimal import Decimal

import pytest
from django import forms
from django.db.models import F
from django.urls import reverse

from catalog.models import ProductVariant
from tests.factories import ProductFactory
from tests.forms import form_data

pytestmark = pytest.mark.django_db

STOCK_LIST = "admin:catalog_productvariant_changelist"


@pytest.fixture
def ring():
    product = ProductFactory(
        handle="solitaire-ring",
        name="Solitaire ring",
        variants=[{"price": Decimal("100.00"), "stock_quantity": 5, "sku": "SOL-1"}],
    )
    return product.variants.get()


def a_sale(variant, quantity=1) -> None:
    """What the checkout does to the stock: a relative decrement, under a row lock."""
    ProductVariant.objects.filter(pk=variant.pk).update(
        stock_quantity=F("stock_quantity") - quantity
    )


def stock_list_form(client, variant) -> tuple[dict, str]:
    page = client.get(reverse(STOCK_LIST)).content.decode()
    data = form_data(page, "changelist-form")
    index = next(
        key.split("-")[1]
        for key, value in data.items()
        if key.endswith("-id") and value == str(variant.pk)
    )
    return data, f"form-{index}"


def test_a_price_change_in_the_stock_list_keeps_a_sale_made_meanwhile(merchant_client, ring):
    # Given the stock list open with 5 in stock
    data, row = stock_list_form(merchant_client, ring)
    assert data[f"{row}-stock_quantity"] == "5"

    # When a shopper buys one, then the merchant saves a new price (the form still shows 5)
    a_sale(ring)
    response = merchant_client.post(
        reverse(STOCK_LIST), {**data, f"{row}-price": "120.00", "_save": "Save"}
    )

    # Then the price changed and the sale is kept
    assert response.status_code == 302
    ring.refresh_from_db()
    assert ring.price == Decimal("120.00")
    assert ring.stock_quantity == 4


def test_a_stock_typed_over_a_sale_made_meanwhile_is_refused_with_an_explanation(
    merchant_client, ring
):
    data, row = stock_list_form(merchant_client, ring)

    a_sale(ring)
    response = merchant_client.post(
        reverse(STOCK_LIST), {**data, f"{row}-stock_quantity": "10", "_save": "Save"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "changed from 5 to 4 since this page was loaded" in page
    ring.refresh_from_db()
    assert ring.stock_quantity == 4


def test_a_stock_typed_in_the_stock_list_is_saved_when_nothing_sold_meanwhile(
    merchant_client, ring
):
    data, row = stock_list_form(merchant_client, ring)

    response = merchant_client.post(
        reverse(STOCK_LIST), {**data, f"{row}-stock_quantity": "12", "_save": "Save"}
    )

    assert response.status_code == 302
    ring.refresh_from_db()
    assert ring.stock_quantity == 12
    ring.product.refresh_from_db()
    assert ring.product.in_stock is True


def test_saving_the_product_page_keeps_a_sale_made_while_it_was_open(merchant_client, ring):
    # Given the product page open (its variants inline show 5 in stock)
    url = reverse("admin:catalog_product_change", args=[ring.product_id])
    data = form_data(merchant_client.get(url).content.decode(), "product_form")
    stock_fields = [k for k in data if k.endswith("-stock_quantity") and "__prefix__" not in k]
    assert [data[key] for key in stock_fields] == ["5"]

    # When a shopper buys one, then the merchant saves a corrected name
    a_sale(ring)
    response = merchant_client.post(url, {**data, "name": "Solitaire ring, 18K"})

    # Then the name changed and the sale is kept
    assert response.status_code == 302, response.content.decode()[:3000]
    ring.refresh_from_db()
    assert ring.stock_quantity == 4
    ring.product.refresh_from_db()
    assert ring.product.safe_translation_getter("name") == "Solitaire ring, 18K"


def test_a_sale_between_the_check_and_the_save_is_not_overwritten_either(ring):
    from catalog.admin_stock import StaleSafeVariantForm

    # Given a stock list row where the merchant typed 10 over the 5 shown, found valid
    form_class = forms.modelform_factory(
        ProductVariant, form=StaleSafeVariantForm, fields=("price", "stock_quantity")
    )
    form = form_class(
        {"price": "100.00", "price__seen": "100.00", "stock_quantity": "10",
         "stock_quantity__seen": "5"},
        instance=ProductVariant.objects.get(pk=ring.pk),
    )  # fmt: skip
    assert form.is_valid(), form.errors

    # When a sale commits before the save
    a_sale(ring)
    form.save()

    # Then the sale stays and the form names the field it could not write
    ring.refresh_from_db()
    assert ring.stock_quantity == 4
    assert form.conflicts == ["stock_quantity"]
