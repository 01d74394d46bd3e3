"""Shipping methods per destination, duties and taxes, totals in the shopper's currency."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from orders.models import DutyRate, ShippingMethod, ShippingZone
from orders.selectors import checkout_quote, compute_totals, shipping_methods_for_country

pytestmark = pytest.mark.django_db

D = Decimal


def test_only_the_methods_of_the_destinations_zone_are_offered(shipping):
    assert [m.code for m in shipping_methods_for_country("US")] == ["standard", "express"]
    assert [m.zone.name for m in shipping_methods_for_country("DE")] == ["EU"]
    assert [m.pk for m in shipping_methods_for_country("gb")] == [
        shipping["uk-standard"].pk,
        shipping["uk-express"].pk,
    ]


def test_a_country_in_no_zone_cannot_be_shipped_to(shipping):
    assert shipping_methods_for_country("KP") == []
    quote = checkout_quote(subtotal=D("100"), country="KP", currency="USD")
    assert not quote.ships
    assert quote.method is None


@pytest.mark.parametrize("country", ["", "U", "USA", "1!", None])
def test_malformed_country_codes_find_nothing(shipping, country):
    assert shipping_methods_for_country(country) == []


def test_a_code_inside_another_code_list_does_not_match_by_accident(db):
    # "AU,SA" contains the letters "US" only across a comma: it must not serve the US
    zone = ShippingZone.objects.create(name="Far", countries=["AU", "SA"])
    ShippingMethod.objects.create(zone=zone, code="far", price=D("1"), name="Far")
    assert shipping_methods_for_country("US") == []
    assert len(shipping_methods_for_country("SA")) == 1


def test_inactive_methods_are_not_offered(shipping):
    shipping["us-express"].is_active = False
    shipping["us-express"].save()
    assert [m.code for m in shipping_methods_for_country("US")] == ["standard"]


def test_shipping_is_free_from_the_threshold(shipping):
    below = checkout_quote(subtotal=D("149.99"), country="US", currency="USD")
    at = checkout_quote(subtotal=D("150.00"), country="US", currency="USD")
    assert below.totals.shipping == D("8.00")
    assert at.totals.shipping == D("0.00")
    assert at.options[0].is_free and not at.options[1].is_free


def test_the_requested_method_is_used_when_it_serves_the_country(shipping):
    quote = checkout_quote(subtotal=D("100"), country="US", currency="USD", method_code="express")
    assert quote.method.code == "express"
    assert quote.totals.shipping == D("25.00")
    fallback = checkout_quote(subtotal=D("100"), country="US", currency="USD", method_code="nope")
    assert fallback.method.code == "standard"


def test_duty_and_vat_for_the_uk_are_itemised_exactly(shipping):
    # Given a 200.00 order to the UK by standard shipping (15.00), over the duty-free threshold
    rate = DutyRate.objects.get(country="GB")

    # When totals are computed
    totals = compute_totals(
        subtotal=D("200.00"),
        shipping_method=shipping["uk-standard"],
        duty_rate=rate,
        currency="USD",
    )

    # Then duty is 2.5 % of the goods, VAT 20 % of goods + shipping + duty
    assert totals.duties == D("5.00")
    assert totals.taxes == D("44.00")  # (200 + 15 + 5) * 20 %
    assert totals.total == D("264.00")
    assert totals.tax_name == "VAT"


def test_no_duty_under_the_threshold_but_vat_still_applies(shipping):
    rate = DutyRate.objects.get(country="GB")
    totals = compute_totals(
        subtotal=D("170.99"),
        shipping_method=shipping["uk-standard"],
        duty_rate=rate,
        currency="USD",
    )
    assert totals.duties == D("0.00")
    assert totals.duty_waived
    assert totals.taxes == D("37.20")  # (170.99 + 15) * 20 % = 37.198
    assert totals.total == D("223.19")


def test_rounding_is_half_up_to_the_cent(shipping):
    rate = DutyRate(country="GB", duty_percent=D("2.5"), tax_percent=D("0"), duty_free_under=D(0))
    # 2.5 % of 180.10 is 4.5025 -> 4.50; of 180.20 is 4.505 -> 4.51
    assert compute_totals(subtotal=D("180.10"), duty_rate=rate, currency="USD").duties == D("4.50")
    assert compute_totals(subtotal=D("180.20"), duty_rate=rate, currency="USD").duties == D("4.51")


def test_no_duty_rate_means_no_duty_or_tax(shipping):
    quote = checkout_quote(subtotal=D("100"), country="US", currency="USD")
    assert (quote.totals.duties, quote.totals.taxes) == (D("0.00"), D("0.00"))
    assert quote.totals.total == D("108.00")


def test_totals_in_another_currency_add_up_to_what_is_charged(shipping, rates):
    # Given a 200.00 USD order to the UK shown in GBP (0.79)
    quote = checkout_quote(subtotal=D("200.00"), country="GB", currency="GBP")
    totals = quote.totals

    # Then every part is converted, and the total charged is the sum of what is shown
    assert (totals.currency, totals.exchange_rate) == ("GBP", D("0.79"))
    assert totals.parts_in_currency == {
        "subtotal": D("158.00"),
        "shipping": D("11.85"),
        "duties": D("3.95"),
        "taxes": D("34.76"),
    }
    assert totals.total_in_currency == D("208.56")


def test_a_currency_without_a_minor_unit_is_rounded_to_whole_units(shipping, rates):
    totals = checkout_quote(subtotal=D("100.00"), country="US", currency="JPY").totals
    assert totals.parts_in_currency["subtotal"] == D("15150")
    assert totals.total_in_currency == D("16362")  # 15150 + 1212 (8.00 * 151.5)


def test_a_currency_without_a_rate_falls_back_to_the_base_currency(shipping):
    totals = checkout_quote(subtotal=D("100.00"), country="US", currency="CHF").totals
    assert (totals.currency, totals.exchange_rate) == ("USD", D(1))


def test_seed_shipping_creates_sensible_defaults_and_can_run_again(db):
    # When the defaults are seeded twice, and the merchant edits a price in between
    call_command("seed_shipping", verbosity=0)
    edited = ShippingMethod.objects.get(zone__name="United States", code="standard")
    edited.price = D("9.50")
    edited.save()
    call_command("seed_shipping", verbosity=0)

    # Then nothing is duplicated and the merchant's edit stays
    assert ShippingZone.objects.count() == 6
    assert ShippingMethod.objects.count() == 12
    assert ShippingMethod.objects.get(pk=edited.pk).price == D("9.50")
    # and the zones route shoppers as documented
    assert shipping_methods_for_country("AE")[0].zone.name == "Gulf"
    assert shipping_methods_for_country("JP")[0].zone.name == "East Asia"
    assert shipping_methods_for_country("BR")[0].zone.name == "Rest of the world"
    assert shipping_methods_for_country("KP") == []
    gb = DutyRate.objects.get(country="GB")
    assert (gb.duty_percent, gb.tax_percent, gb.duty_free_under) == (D("2.5"), D("20"), D("171"))
    method = shipping_methods_for_country("FR")[0]
    method.set_current_language("fr")
    assert method.name == "Livraison standard"


def test_seed_shipping_if_empty_leaves_a_configured_store_alone(db):
    # Given a merchant who ships to the US only (and deleted the other default zones)
    call_command("seed_shipping", verbosity=0)
    ShippingZone.objects.exclude(name="United States").delete()

    # When `make run` seeds again with --if-empty
    call_command("seed_shipping", "--if-empty", verbosity=0)

    # Then the deleted zones stay deleted
    assert list(ShippingZone.objects.values_list("name", flat=True)) == ["United States"]
    assert shipping_methods_for_country("FR") == []


def test_seed_shipping_if_empty_seeds_a_new_store(db):
    call_command("seed_shipping", "--if-empty", verbosity=0)
    assert ShippingZone.objects.count() == 6
