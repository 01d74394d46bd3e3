"""Text a person typed is never trusted in a page: product descriptions (rich text, from the
admin of every role, imports, translations, seeding), names, and the UI strings a translator
types in Rosetta."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import polib
import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation

from catalog.models import Product, PublicationStatus
from shop.permissions import TRANSLATORS_GROUP
from tests.factories import ProductFactory, UserFactory

from .admin_forms import admin_form_data

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("owned")</script>'
HANDLER = '<img src="x" onerror="alert(1)">'
# What a browser would run or what would break out of an attribute, raw in a page.
DANGEROUS = ("<script>alert", '<img src="x"', 'onerror="', 'onmouseover="alert')


def assert_harmless(page: str) -> None:
    found = [pattern for pattern in DANGEROUS if pattern in page]
    assert not found, f"raw in the page: {found}"


def product_page(client, handle: str, language: str = "en") -> str:
    response = client.get(f"/{language}/p/{handle}/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def translator(client):
    user = UserFactory(email="translator@example.com", is_staff=True)
    user.groups.add(Group.objects.get(name=TRANSLATORS_GROUP))
    client.force_login(user)
    return client


# --- rich text: every way in -----------------------------------------------------------------
def test_a_translator_cannot_put_a_script_on_the_product_page(translator, client):
    product = ProductFactory(handle="ring", name="Ring")
    url = reverse("admin:catalog_product_change", args=[product.pk]) + "?language=fr"
    data = admin_form_data(translator, url)
    data.update({"name": "Bague", "description": f"<p>Belle bague</p>{SCRIPT}{HANDLER}"})

    response = translator.post(url, data)

    assert response.status_code == 302
    product = Product.objects.get(pk=product.pk)
    stored = product.safe_translation_getter("description", language_code="fr")
    assert stored == "<p>Belle bague</p>"
    page = product_page(client, "ring", "fr")
    assert "<p>Belle bague</p>" in page
    assert_harmless(page)


def test_every_way_of_writing_a_description_stores_it_sanitised():
    from catalog.importers import import_shopify_csv

    product = ProductFactory(handle="ring", name="Ring")
    translation_model = Product._parler_meta.root_model
    dirty = f"<p>Fine</p>{SCRIPT}{HANDLER}"

    # A parler translation saved directly (the admin's forms, the demo's _translate).
    product.set_current_language("de")
    product.name = "Ring"
    product.description = dirty
    product.save()
    assert product.description == "<p>Fine</p>"
    # bulk_create (the demo store's products), update() and bulk_update().
    translation_model.objects.bulk_create(
        [translation_model(master_id=product.pk, language_code="es", name="A", description=dirty)]
    )
    translation_model.objects.filter(master_id=product.pk, language_code="en").update(
        description=dirty
    )
    row = translation_model.objects.get(master_id=product.pk, language_code="de")
    row.description = dirty
    translation_model.objects.bulk_update([row], ["description"])
    # The Shopify import (its sample file carries a script).
    sample = Path(__file__).resolve().parents[1] / "data" / "shopify" / "good.csv"
    with sample.open("rb") as upload:
        assert import_shopify_csv(file=upload).ok

    stored = list(translation_model.objects.values_list("description", flat=True))
    assert stored and all("<script" not in text and "onerror" not in text for text in stored)
    assert set(
        translation_model.objects.filter(master_id=product.pk).values_list("description", flat=True)
    ) == {"<p>Fine</p>"}


def test_the_page_sanitises_again_what_reached_the_database_another_way(client):
    from django.db import connection

    product = ProductFactory(handle="ring", name="Ring")
    table = Product._parler_meta.root_model._meta.db_table
    with connection.cursor() as cursor:  # raw SQL: past every check on the way in
        cursor.execute(
            f"UPDATE {table} SET description = %s WHERE master_id = %s",  # noqa: S608
            [f"<p>Kept</p>{SCRIPT}{HANDLER}", product.pk],
        )

    page = product_page(client, "ring")
    api = client.get(f"/api/v1/products/{product.handle}/").json()

    assert "<p>Kept</p>" in page
    assert_harmless(page)
    assert api["description"] == "<p>Kept</p>"


def test_names_in_the_product_page_json_ld_cannot_close_its_script_element(client):
    ProductFactory(handle="ring", name=f"Ring </script>{SCRIPT}", vendor=f"</script>{HANDLER}")

    page = product_page(client, "ring")

    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(blocks) == 1
    data = json.loads(blocks[0])
    assert data["name"] == f"Ring </script>{SCRIPT}"
    assert data["brand"]["name"] == f"</script>{HANDLER}"
    assert_harmless(page)


def test_admin_lists_show_typed_names_as_text(merchant_client):
    from reviews.models import Review

    product = ProductFactory(handle="ring", name=f"Ring {SCRIPT}")
    Review.objects.create(product=product, rating=1, title=f"Bad {HANDLER}", text=SCRIPT)

    for url in (
        reverse("admin:catalog_product_changelist"),
        reverse("admin:catalog_productvariant_changelist"),
        reverse("admin:reviews_review_changelist"),
        reverse("admin:reviews_review_change", args=[Review.objects.get().pk]),
    ):
        page = merchant_client.get(url).content.decode()
        assert_harmless(page)


def test_order_emails_show_typed_text_as_text(db):
    from orders.emails import build_order_email
    from orders.models import ShippingZone
    from tests.orders.conftest import LONDON, cart_with, make_method, place

    zone = ShippingZone.objects.create(name="UK", countries=["GB"], position=0)
    make_method(zone, "standard", "Standard", "15.00")
    variant = ProductFactory(handle="ring", name=f"Ring {SCRIPT}").variants.get()
    address = LONDON.__class__(**{**LONDON.__dict__, "full_name": f"Eve {HANDLER}"})
    order = place(cart_with((variant, 1)), address=address)

    message = build_order_email(order=order, kind="confirmation")

    html = message.alternatives[0][0]
    assert "Ring" in html and "Eve" in html
    assert_harmless(html)


# --- UI strings a translator typed -------------------------------------------------------------
def install_french(tmp_path, settings, entries: dict[str, str]) -> None:
    """A French catalogue holding just these translations, used instead of the project's."""
    catalog = polib.POFile()
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for msgid, msgstr in entries.items():
        catalog.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    folder = tmp_path / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    catalog.save_as_mofile(str(folder / "django.mo"))
    settings.LOCALE_PATHS = [str(tmp_path)]  # clears Django's translation caches


PAYLOAD = f'{SCRIPT}{HANDLER}" onmouseover="alert(2)" x="'


@pytest.fixture
def malicious_french(tmp_path, settings):
    """Every French UI string begins with a script, an event handler and an attribute break-out,
    as a translator could type them in Rosetta; compiled into a locale folder used alone."""
    source = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    catalog = polib.pofile(str(source))
    for entry in catalog:
        if entry.msgid_plural:
            entry.msgstr_plural = {
                index: PAYLOAD + text for index, text in entry.msgstr_plural.items()
            }
        else:
            entry.msgstr = PAYLOAD + (entry.msgstr or entry.msgid)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    folder = tmp_path / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    catalog.save_as_mofile(str(folder / "django.mo"))
    settings.LOCALE_PATHS = [str(tmp_path)]  # clears Django's translation caches
    yield
    translation.deactivate()


@pytest.fixture
def storefront(db):
    from orders.models import ShippingZone
    from reviews.models import Review
    from tests.orders.conftest import make_method

    product = ProductFactory(
        handle="ring",
        name="Ring",
        variants=[
            {"price": Decimal("100.00"), "sku": "R-1", "option1": "Small"},
            {"price": Decimal("120.00"), "sku": "R-2", "option1": "Large"},
        ],
    )
    ProductFactory(handle="draft", name="Draft", status=PublicationStatus.DRAFT)
    Review.objects.create(product=product, rating=4, text="Lovely", status="approved")
    zone = ShippingZone.objects.create(name="EU", countries=["FR"], position=0)
    make_method(zone, "standard", "Standard", "15.00")
    return product


def test_a_malicious_ui_translation_is_shown_as_text_on_every_page(
    client, malicious_french, storefront, merchant
):
    shopper = UserFactory(email="shopper@example.com")
    client.force_login(shopper)
    variant = storefront.variants.first()
    bag = client.post("/fr/cart/add/", {"variant": variant.pk, "quantity": 1}, follow=True)
    pages = {"bag (with its message)": bag.content.decode()}
    for path in (
        "/fr/",
        "/fr/products/",
        "/fr/c/rings/",
        "/fr/p/ring/",
        "/fr/p/ring/review/",
        "/fr/search/",
        "/fr/checkout/",
        "/fr/account/",
        "/fr/account/profile/",
        "/fr/account/addresses/",
        "/fr/account/addresses/add/",
        "/fr/account/wishlist/",
        "/fr/account/password/",
        "/fr/orders/",
        "/fr/no-such-page/",
    ):
        pages[path] = client.get(path).content.decode()
    client.logout()
    for path in ("/fr/account/login/", "/fr/account/register/", "/fr/account/password/reset/"):
        pages[path] = client.get(path).content.decode()
    client.force_login(merchant)
    for name in (
        "admin:index",
        "admin:catalog_translation_coverage",
        "admin:catalog_product_import",
        "admin:reviews_review_changelist",
        "admin:reviews_review_trends",
        "admin:shop_job_changelist",
    ):
        pages[name] = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    raw = {name: [p for p in DANGEROUS if p in page] for name, page in pages.items()}
    assert {name: found for name, found in raw.items() if found} == {}
    # The translations were really in use: the storefront pages show them, as text.
    shown = [name for name, page in pages.items() if "&lt;script&gt;alert(" in page]
    assert len(shown) >= len(pages) - 2, sorted(set(pages) - set(shown))


def test_translations_keep_the_markup_their_source_has(tmp_path, settings):
    from django.template import engines

    install_french(
        tmp_path,
        settings,
        {
            'Read <a href="%(url)s">this</a>': (
                'Lire <a href="%(url)s">ceci</a> <b onclick="x()">!</b> l\'article'
            ),
            "A &amp; B": "A &amp; B & C",
        },
    )
    template = engines["django"].from_string(
        '{% load i18n %}{% blocktranslate %}Read <a href="{{ url }}">'
        "this</a>{% endblocktranslate %}|{% translate 'A &amp; B' %}"
    )

    with translation.override("fr"):
        html = template.render({"url": "/x/?a=1&b=2"})

    assert html == (
        'Lire <a href="/x/?a=1&amp;b=2">ceci</a> &lt;b onclick=&quot;x()&quot;&gt;!&lt;/b&gt; '
        "l&#x27;article|A &amp; B &amp; C"
    )


def test_plain_text_emails_keep_translations_as_they_are(settings):
    from django.template import engines

    template = engines["django"].from_string(
        "{% load i18n %}{% autoescape off %}{% translate 'Hello,' %}{% endautoescape %}"
    )
    with translation.override("fr"):
        assert template.render({}) == translation.gettext("Hello,")
