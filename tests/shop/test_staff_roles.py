"""Staff roles: the permissions split off "change" (refund, moderate, publish), who may give
rights, Rosetta for translators, and the merchant and the Translators group keeping theirs."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse

from catalog.models import Product, PublicationStatus
from orders.models import Order, OrderStatus
from reviews.models import Review, ReviewStatus
from shop.permissions import TRANSLATOR_PERMISSIONS, TRANSLATORS_GROUP, grant_new_permission
from tests.factories import ProductFactory, UserFactory
from tests.orders.conftest import LONDON, cart_with, place, ring, shipping  # noqa: F401 - fixtures

from .admin_forms import admin_form_data

pytestmark = pytest.mark.django_db


def staff_with(client, *codenames: str, email: str = "staff@example.com", **fields):
    """A signed-in staff user holding exactly these permissions ("app.codename")."""
    user = UserFactory(email=email, is_staff=True, **fields)
    for name in codenames:
        app_label, codename = name.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    client.force_login(user)
    return user


def run_action(client, model: str, action: str, pk: int):
    return client.post(
        reverse(f"admin:{model}_changelist"), {"action": action, "_selected_action": [pk]}
    )


# --- orders --------------------------------------------------------------------------------------
@pytest.fixture
def paid_order(shipping, ring):  # noqa: F811
    return place(cart_with((ring, 1)), address=LONDON)


def test_staff_who_may_change_orders_ship_them_but_cannot_refund(client, paid_order):
    staff_with(client, "orders.view_order", "orders.change_order")

    run_action(client, "orders_order", "start_processing", paid_order.pk)
    run_action(client, "orders_order", "refund", paid_order.pk)
    run_action(client, "orders_order", "cancel", paid_order.pk)

    order = Order.objects.get(pk=paid_order.pk)
    assert order.status == OrderStatus.PROCESSING
    assert not order.payments.filter(status="refunded").exists()


def test_staff_who_may_refund_refund(client, paid_order):
    staff_with(client, "orders.view_order", "orders.change_order", "orders.refund_order")

    run_action(client, "orders_order", "refund", paid_order.pk)

    assert Order.objects.get(pk=paid_order.pk).status == OrderStatus.REFUNDED


def test_staff_who_may_only_view_orders_cannot_refund_one(client, paid_order):
    staff_with(client, "orders.view_order")

    run_action(client, "orders_order", "refund", paid_order.pk)

    assert Order.objects.get(pk=paid_order.pk).status == OrderStatus.PAID


# --- reviews -------------------------------------------------------------------------------------
@pytest.fixture
def pending_review(db):
    return Review.objects.create(product=ProductFactory(), rating=5, text="Lovely ring.")


def test_staff_who_may_only_view_reviews_cannot_publish_one(client, pending_review):
    staff_with(client, "reviews.view_review")

    run_action(client, "reviews_review", "approve", pending_review.pk)

    assert Review.objects.get(pk=pending_review.pk).status == ReviewStatus.PENDING


def test_editing_a_review_does_not_let_one_approve_it(client, pending_review):
    staff_with(client, "reviews.view_review", "reviews.change_review")
    url = reverse("admin:reviews_review_change", args=[pending_review.pk])
    data = admin_form_data(client, url)
    data.update({"text": "Lovely ring!", "status": ReviewStatus.APPROVED})

    client.post(url, data)
    run_action(client, "reviews_review", "approve", pending_review.pk)

    review = Review.objects.get(pk=pending_review.pk)
    assert review.text == "Lovely ring!"
    assert review.status == ReviewStatus.PENDING


def test_moderators_approve_and_reject(client, pending_review):
    staff_with(client, "reviews.view_review", "reviews.moderate_review")
    url = reverse("admin:reviews_review_changelist")

    assert "approve" in client.get(url).content.decode()
    run_action(client, "reviews_review", "approve", pending_review.pk)

    assert Review.objects.get(pk=pending_review.pk).status == ReviewStatus.APPROVED


# --- products ------------------------------------------------------------------------------------
def test_changing_a_product_does_not_let_one_publish_it(client):
    draft = ProductFactory(handle="draft", name="Draft", status=PublicationStatus.DRAFT)
    staff_with(client, "catalog.view_product", "catalog.change_product")
    url = reverse("admin:catalog_product_change", args=[draft.pk])
    data = admin_form_data(client, url)
    data.update({"status": PublicationStatus.PUBLISHED, "vendor": "Aurelia"})

    client.post(url, data)
    run_action(client, "catalog_product", "publish", draft.pk)

    product = Product.objects.get(pk=draft.pk)
    assert product.vendor == "Aurelia"
    assert product.status == PublicationStatus.DRAFT


def test_staff_who_may_publish_publish(client):
    draft = ProductFactory(handle="draft", name="Draft", status=PublicationStatus.DRAFT)
    staff_with(client, "catalog.view_product", "catalog.change_product", "catalog.publish_product")

    run_action(client, "catalog_product", "publish", draft.pk)

    assert Product.objects.get(pk=draft.pk).status == PublicationStatus.PUBLISHED


def test_importing_needs_the_rights_an_import_uses(client):
    staff_with(client, "catalog.view_product", "catalog.add_product", "catalog.change_product")
    url = reverse("admin:catalog_product_import")
    assert client.get(url).status_code == 403

    staff_with(
        client,
        "catalog.view_product",
        "catalog.add_product",
        "catalog.change_product",
        "catalog.publish_product",
        email="importer@example.com",
    )
    assert client.get(url).status_code == 200


def test_a_draft_is_previewed_only_by_staff_who_may_see_the_catalog(client):
    ProductFactory(handle="draft", name="Draft", status=PublicationStatus.DRAFT)

    staff_with(client)
    assert client.get("/en/p/draft/").status_code == 404
    staff_with(client, "catalog.view_product", email="catalog@example.com")
    assert client.get("/en/p/draft/").status_code == 200


# --- the merchant and the Translators group keep theirs -----------------------------------------
def test_the_translators_group_keeps_exactly_its_permissions():
    group = Group.objects.get(name=TRANSLATORS_GROUP)

    held = set(group.permissions.values_list("content_type__app_label", "codename"))

    assert held == set(TRANSLATOR_PERMISSIONS)


def test_who_could_change_keeps_refunding_moderating_and_publishing_after_the_upgrade():
    """The migrations give the split-off permissions to whoever held "change", except the
    Translators (who never could publish)."""
    managers = Group.objects.create(name="Shop managers")
    managers.permissions.add(
        Permission.objects.get(codename="change_order"),
        Permission.objects.get(codename="change_product"),
    )
    editor = UserFactory(email="editor@example.com", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="change_review"))
    translators = Group.objects.get(name=TRANSLATORS_GROUP)

    for app_label, model, held, new in (
        ("orders", "order", "change_order", "refund_order"),
        ("catalog", "product", "change_product", "publish_product"),
        ("reviews", "review", "change_review", "moderate_review"),
    ):
        grant_new_permission(apps, app_label=app_label, model=model, held=held, new=new)

    assert set(managers.permissions.values_list("codename", flat=True)) >= {
        "refund_order",
        "publish_product",
    }
    assert editor.user_permissions.filter(codename="moderate_review").exists()
    assert not translators.permissions.filter(codename="publish_product").exists()


# --- who may give rights -------------------------------------------------------------------------
def test_staff_who_may_change_users_cannot_give_rights_or_take_over_staff(client, merchant):
    support = staff_with(client, "customers.view_user", "customers.change_user")
    customer = UserFactory(email="customer@example.com")
    url = reverse("admin:customers_user_change", args=[customer.pk])
    data = admin_form_data(client, url)
    data.update({"first_name": "Ann", "is_staff": "on", "is_superuser": "on"})

    client.post(url, data)
    own_page = client.post(
        reverse("admin:customers_user_change", args=[support.pk]), {**data, "is_superuser": "on"}
    )
    password_url = reverse("admin:auth_user_password_change", args=[merchant.pk])
    takeover = client.post(
        password_url,
        {"usable_password": "true", "password1": "T4ken-over!", "password2": "T4ken-over!"},
    )

    customer.refresh_from_db()
    merchant.refresh_from_db()
    assert customer.first_name == "Ann"
    assert not customer.is_staff and not customer.is_superuser
    assert own_page.status_code == 403
    support.refresh_from_db()
    assert not support.is_superuser
    assert takeover.status_code == 403
    assert merchant.check_password("s3cret-pass!")


def test_only_superusers_change_groups(client):
    staff_with(client, "auth.view_group", "auth.change_group")
    group = Group.objects.get(name=TRANSLATORS_GROUP)
    url = reverse("admin:auth_group_change", args=[group.pk])

    response = client.post(
        url, {"name": TRANSLATORS_GROUP, "permissions": list(Permission.objects.values_list("pk"))}
    )

    assert response.status_code == 403
    assert group.permissions.count() == len(TRANSLATOR_PERMISSIONS)


# --- Rosetta -------------------------------------------------------------------------------------
@pytest.fixture
def translator(client):
    user = UserFactory(email="translator@example.com", is_staff=True)
    user.groups.add(Group.objects.get(name=TRANSLATORS_GROUP))
    client.force_login(user)
    return user


def test_translators_edit_the_projects_catalogues_only(client, translator):
    assert client.get("/rosetta/files/project/").status_code == 200
    assert client.get("/rosetta/files/django/").status_code == 403
    assert client.get("/rosetta/files/third-party/").status_code == 403
    assert client.get("/rosetta/files/all/").status_code == 403


def test_superusers_still_see_every_catalogue(merchant_client):
    assert merchant_client.get("/rosetta/files/django/").status_code == 200


def test_a_translators_group_member_who_is_not_staff_gets_no_rosetta(client):
    user = UserFactory(email="former-translator@example.com", is_staff=False)
    user.groups.add(Group.objects.get(name=TRANSLATORS_GROUP))
    client.force_login(user)

    assert client.get("/rosetta/files/project/").status_code != 200


def test_rosetta_saves_a_translation_that_adds_markup_as_fuzzy(translator):
    from rosetta.signals import entry_changed

    harmless = polib.POEntry(msgid="Add to bag", msgstr="Ajouter au panier")
    script = polib.POEntry(msgid="Add to bag", msgstr='Ajouter<script>alert("x")</script>')
    plural = polib.POEntry(
        msgid="%(count)d item",
        msgid_plural="%(count)d items",
        msgstr_plural={0: "%(count)d article", 1: '%(count)d <img src="x" onerror="y">'},
    )

    for entry in (harmless, script, plural):
        entry_changed.send(
            sender=entry,
            user=translator,
            old_msgstr="",
            old_fuzzy=False,
            pofile="django.po",
            language_code="fr",
        )

    assert "fuzzy" not in harmless.flags
    assert "fuzzy" in script.flags
    assert "fuzzy" in plural.flags


def test_compiling_leaves_out_translations_that_add_markup(tmp_path, settings, capsys):
    folder = tmp_path / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    catalogue = polib.POFile()
    catalogue.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    catalogue.append(polib.POEntry(msgid="Search", msgstr="Recherche"))
    catalogue.append(polib.POEntry(msgid="Bag", msgstr="Panier<script>alert(1)</script>"))
    catalogue.save(str(folder / "django.po"))
    settings.LOCALE_PATHS = [str(tmp_path)]

    call_command("compile_translations")

    compiled = {entry.msgid: entry.msgstr for entry in polib.mofile(str(folder / "django.mo"))}
    assert compiled == {"Search": "Recherche"}
    assert "adds markup" in capsys.readouterr().err
    assert Path(folder / "django.po").read_text().count("<script>") == 1  # the file is kept
