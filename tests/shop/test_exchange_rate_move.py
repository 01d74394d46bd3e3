"""Exchange rates are the kernel's (issue 13, step 6: shop holds money and exchange rates): a
store migrated before the move keeps its rates and its grants, old admin addresses and the old
setting value keep working, and code written against orders' model gets the kernel's."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.test import Client, override_settings

from shop.models import ExchangeRate
from shop.money import clear_exchange_rate_cache, convert_price, exchange_rates
from tests.factories import UserFactory
from tests.migrations import at_migration, migrate_to

BEFORE_THE_MOVE = ("orders", "0005_return_request_permissions")


@pytest.fixture
def before_the_move(transactional_db):
    """A database as a store had it while exchange rates were orders'; migrated forward
    afterwards in any case, so the next test finds the latest schema."""
    clear_exchange_rate_cache()
    yield from at_migration(BEFORE_THE_MOVE)
    clear_exchange_rate_cache()


def test_a_rate_written_before_the_move_is_read_through_the_kernel(before_the_move):
    # Given a store before the move, with rates written by orders' model
    assert "exchangerate" in before_the_move.all_models["orders"]
    assert "exchangerate" not in before_the_move.all_models.get("shop", {})
    old_rate = before_the_move.get_model("orders", "ExchangeRate")
    eur = old_rate.objects.create(currency="EUR", rate=Decimal("0.92"))
    old_rate.objects.create(currency="JPY", rate=Decimal("151.5"))

    # When the store migrates to the kernel's exchange rates
    migrate_to(None)
    clear_exchange_rate_cache()

    # Then the same rows (same table, same ids) are read through shop.models and shop.money
    rate = ExchangeRate.objects.get(currency="EUR")
    assert (rate.pk, rate.rate) == (eur.pk, Decimal("0.92"))
    assert ExchangeRate._meta.db_table == "orders_exchangerate"
    assert exchange_rates()["JPY"] == Decimal("151.5")
    assert convert_price(Decimal("100.00"), currency="EUR") == (Decimal("92.00"), "EUR")
    # and the merchant carries on editing it: the unique currency is still enforced
    rate.rate = Decimal("0.95")
    rate.save()
    assert ExchangeRate.objects.get(pk=eur.pk).rate == Decimal("0.95")


def test_staff_who_could_edit_rates_still_can_after_the_move(before_the_move):
    # Given a group and a user granted orders.change_exchangerate (and view) before the move
    permissions = before_the_move.get_model("auth", "Permission").objects
    old_change = permissions.get(content_type__app_label="orders", codename="change_exchangerate")
    old_view = permissions.get(content_type__app_label="orders", codename="view_exchangerate")
    finance = Group.objects.create(name="Finance")
    finance.permissions.add(old_change.pk, old_view.pk)
    in_group = UserFactory(email="group@example.com", is_staff=True)
    in_group.groups.add(finance)
    granted = UserFactory(email="granted@example.com", is_staff=True)
    granted.user_permissions.add(old_change.pk)

    # When the store migrates to the kernel's exchange rates
    migrate_to(None)

    # Then the same permission rows are shop.*_exchangerate, and both still hold them
    change = Permission.objects.get(pk=old_change.pk)
    assert (change.content_type.app_label, change.codename) == ("shop", "change_exchangerate")
    for user in (in_group, granted):
        fresh = type(user).objects.get(pk=user.pk)  # no cached permissions
        assert fresh.has_perm("shop.change_exchangerate")
        assert not fresh.has_perm("orders.change_exchangerate")
    assert type(in_group).objects.get(pk=in_group.pk).has_perm("shop.view_exchangerate")
    assert not ContentType.objects.filter(app_label="orders", model="exchangerate").exists()
    # orders' other content types are not touched.
    assert ContentType.objects.filter(app_label="orders", model="order").exists()


def test_migrating_back_gives_the_rates_and_grants_to_orders_again(transactional_db):
    # Given a store on the kernel's rates, with a rate and a grant of shop.change_exchangerate
    rate = ExchangeRate.objects.create(currency="GBP", rate=Decimal("0.79"))
    change = Permission.objects.get(content_type__app_label="shop", codename="change_exchangerate")
    granted = UserFactory(email="granted@example.com", is_staff=True)
    granted.user_permissions.add(change)

    try:
        # When it migrates back to before the move
        old_apps = migrate_to(BEFORE_THE_MOVE)

        # Then orders' model reads the rate and the grant is orders.change_exchangerate again
        old_rate = old_apps.get_model("orders", "ExchangeRate")
        assert old_rate.objects.get(pk=rate.pk).rate == Decimal("0.79")
        fresh = type(granted).objects.get(pk=granted.pk)
        assert fresh.has_perm("orders.change_exchangerate")
        assert Permission.objects.get(pk=change.pk).content_type.app_label == "orders"
    finally:
        migrate_to(None)
        clear_exchange_rate_cache()


def test_the_old_admin_addresses_of_exchange_rates_redirect(merchant_client):
    rate = ExchangeRate.objects.create(currency="EUR", rate=Decimal("0.92"))

    listing = merchant_client.get("/admin/orders/exchangerate/?q=EUR")
    bare = merchant_client.get("/admin/orders/exchangerate")
    detail = merchant_client.get(f"/admin/orders/exchangerate/{rate.pk}/change/", follow=True)
    posted = merchant_client.post("/admin/orders/exchangerate/add/", {"currency": "GBP"})

    assert (listing.status_code, listing["Location"]) == (301, "/admin/shop/exchangerate/?q=EUR")
    assert (bare.status_code, bare["Location"]) == (301, "/admin/shop/exchangerate/")
    assert detail.redirect_chain == [(f"/admin/shop/exchangerate/{rate.pk}/change/", 301)]
    assert detail.status_code == 200
    assert posted.status_code == 405  # a redirect never takes a write
    assert not ExchangeRate.objects.filter(currency="GBP").exists()
    # orders' other admin pages are where they were.
    assert merchant_client.get("/admin/orders/order/").status_code == 200


def test_the_old_addresses_check_permissions_where_they_lead(db):
    rate = ExchangeRate.objects.create(currency="EUR", rate=Decimal("0.92"))

    response = Client().get(f"/admin/orders/exchangerate/{rate.pk}/change/", follow=True)

    assert response.redirect_chain[0] == (f"/admin/shop/exchangerate/{rate.pk}/change/", 301)
    assert response.redirect_chain[-1][0].startswith("/admin/login/")


@pytest.mark.parametrize("name", ["shop.ExchangeRate", "orders.ExchangeRate"])
def test_the_rate_model_setting_takes_its_new_and_its_old_value(db, name):
    # A settings file written before the move names orders.ExchangeRate: the same rates are read.
    ExchangeRate.objects.create(currency="EUR", rate=Decimal("0.5"))
    clear_exchange_rate_cache()

    with override_settings(SHOP_EXCHANGE_RATE_MODEL=name):
        assert exchange_rates()["EUR"] == Decimal("0.5")
    clear_exchange_rate_cache()


def test_a_saved_rate_shows_at_once(db):
    # The kernel listens to its model (orders did before the move): the cache is cleared on save.
    rate = ExchangeRate.objects.create(currency="EUR", rate=Decimal("0.5"))
    assert exchange_rates()["EUR"] == Decimal("0.5")

    rate.rate = Decimal("0.6")
    rate.save()
    assert exchange_rates()["EUR"] == Decimal("0.6")
    rate.delete()
    assert "EUR" not in exchange_rates()


def test_code_written_against_orders_model_gets_the_kernels():
    from orders.models import ExchangeRate as OldName

    assert OldName is ExchangeRate
    assert ExchangeRate._meta.app_label == "shop"
