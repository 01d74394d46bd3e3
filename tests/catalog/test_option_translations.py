"""Variant option names and values in the shopper's language (issue 16).

The source text stays on the product and its variants; shoppers read a translator's label, else
the label composed from the catalog's vocabulary, else the source text (counted as missing).
"""

import csv
import importlib
import io
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from catalog.importers import import_shopify_csv
from catalog.importers.shopify import SHOPIFY_COLUMNS
from catalog.models import OptionLabel, Product, ProductVariant
from catalog.option_labels import (
    catalog_option_sources,
    compose_option_name,
    compose_option_value,
    option_labels_fill,
)
from catalog.translation_coverage import option_missing, translation_coverage
from orders.emails import build_order_email
from orders.models import OrderLine
from shop.permissions import TRANSLATORS_GROUP
from tests.factories import ProductFactory, UserFactory
from tests.forms import form_data
from tests.orders.conftest import cart_with, place, shipping  # noqa: F401 - fixture
from tests.orders.test_pages import go_to_review

pytestmark = pytest.mark.django_db

migration = importlib.import_module("catalog.migrations.0006_option_labels")


@pytest.fixture(autouse=True)
def _small_placeholders(settings):
    settings.SHOP_IMPORT_PLACEHOLDER_SIZE = 160


@pytest.fixture
def ring():
    return ProductFactory(
        handle="rose-ring",
        name="Rose ring",
        option1_name="Metal",
        option2_name="Ring size",
        variants=[
            {"option1": "14K Rose Gold", "option2": "7", "price": Decimal("500.00")},
            {"option1": "14K Rose Gold", "option2": "7.5", "price": Decimal("500.00")},
            {"option1": "Moonlight Blue", "option2": "7", "price": Decimal("520.00")},
        ],
    )


def label(kind: str, source: str, language: str) -> str | None:
    """The label stored in exactly this language (no fallback), or None."""
    translation_model = OptionLabel._parler_meta.root_model
    row = translation_model.objects.filter(
        master__kind=kind, master__source=source, language_code=language
    ).first()
    return row.label if row else None


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# --- the vocabulary ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "Or rose 14 carats"),
        ("de", "14 Karat Roségold"),
        ("es", "Oro rosa de 14 quilates"),
        ("ja", "14Kローズゴールド"),
        ("zh-hans", "14K玫瑰金"),
        ("ar", "الذهب الوردي عيار 14"),
        ("en", "14K Rose Gold"),
    ],
)
def test_known_metal_and_purity_read_in_each_language(language, expected):
    assert compose_option_value("14K Rose Gold", language) == expected


def test_sizes_stay_numbers_and_size_words_are_translated():
    assert compose_option_value("7", "fr") == "7"
    assert compose_option_value("7.5", "de") == "7,5"
    assert compose_option_value("Size 7", "fr") == "Taille 7"
    assert compose_option_value("Size 7", "es") == "Talla 7"
    assert compose_option_value("16 in", "de") == "16 Zoll"
    assert compose_option_value("Platinum", "ja") == "プラチナ"
    assert compose_option_name("Ring size", "fr") == "Taille de bague"
    assert compose_option_value("18K", "de") == "18 Karat"
    assert compose_option_value("925 Sterling Silver", "es") == "Plata de ley 925"
    assert compose_option_value("Moonlight Blue", "fr") is None
    # A language the vocabulary is not written in shows the source text, never an error.
    assert compose_option_value("14K Rose Gold", "it") is None
    assert compose_option_name("Engraving", "fr") is None


# --- the product page ----------------------------------------------------------------------------
def test_french_product_page_shows_options_in_french(client, ring):
    body = page(client, "/fr/p/rose-ring/")
    assert ">Or rose 14 carats</option>" in body
    assert ">Métal</label>" in body and ">Taille de bague</label>" in body
    assert ">7,5</option>" in body
    # The picker still matches variants on the source text.
    assert 'value="14K Rose Gold"' in body
    english = page(client, "/en/p/rose-ring/")
    assert ">14K Rose Gold</option>" in english and "Or rose" not in english


def test_a_translators_label_wins_over_the_vocabulary(client, ring):
    row = OptionLabel.objects.create(kind=OptionLabel.Kind.VALUE, source="14K Rose Gold")
    row.set_current_language("fr")
    row.label = "Or rose 585"
    row.save()
    body = page(client, "/fr/p/rose-ring/")
    assert ">Or rose 585</option>" in body
    assert "Or rose 14 carats" not in body


def test_unknown_value_falls_back_to_english_and_counts_as_missing(client, ring):
    body = page(client, "/fr/p/rose-ring/")
    assert ">Moonlight Blue</option>" in body

    rows = {row.code: row for row in translation_coverage()}
    assert (rows["fr"].option_values.done, rows["fr"].option_values.total) == (3, 4)
    assert (rows["fr"].option_names.done, rows["fr"].option_names.total) == (2, 2)
    assert rows["en"].option_values.done == rows["en"].option_values.total == 4
    assert option_missing("fr") == {"name": [], "value": ["Moonlight Blue"]}

    # Once a translator writes it, it is covered.
    row = OptionLabel.objects.create(kind=OptionLabel.Kind.VALUE, source="Moonlight Blue")
    row.set_current_language("fr")
    row.label = "Bleu clair de lune"
    row.save()
    rows = {row.code: row for row in translation_coverage()}
    assert rows["fr"].option_values.done == 4
    assert ">Bleu clair de lune</option>" in page(client, "/fr/p/rose-ring/")


def test_coverage_command_and_page_show_option_columns(ring, merchant_client):
    out = io.StringIO()
    call_command("translation_coverage", stdout=out)
    header, *lines = out.getvalue().splitlines()
    assert "option names" in header and "option values" in header
    french = next(line for line in lines if line.startswith("fr "))
    assert "75.0% (3/4)" in french
    out = io.StringIO()
    call_command("translation_coverage", "--missing", "fr", stdout=out)
    assert "option values not translated into fr: 1\n  Moonlight Blue" in out.getvalue()
    body = page(merchant_client, reverse("admin:catalog_translation_coverage"))
    assert "Option values" in body and "(3/4)" in body


# --- the migration -------------------------------------------------------------------------------
def test_migration_copies_every_option_text_into_source_language_labels(ring):
    ProductVariant.objects.filter(product=ring).update(option3="")
    migration.copy_options_to_labels(django_apps, None)

    assert label("name", "Metal", "en") == "Metal"
    assert label("name", "Ring size", "en") == "Ring size"
    for value in ("14K Rose Gold", "Moonlight Blue", "7", "7.5"):
        assert label("value", value, "en") == value
    assert OptionLabel.objects.count() == 6
    # The plain fields are the canonical source text and stay as they were.
    assert sorted(ring.variants.values_list("option1", flat=True)) == [
        "14K Rose Gold",
        "14K Rose Gold",
        "Moonlight Blue",
    ]
    # Running it again adds nothing.
    migration.copy_options_to_labels(django_apps, None)
    assert OptionLabel.objects.count() == 6

    # Reversing removes what it made but keeps a translator's work.
    kept = OptionLabel.objects.get(source="Moonlight Blue")
    kept.set_current_language("fr")
    kept.label = "Bleu clair de lune"
    kept.save()
    migration.remove_source_only_labels(django_apps, None)
    assert list(OptionLabel.objects.values_list("source", flat=True)) == ["Moonlight Blue"]
    assert ring.variants.count() == 3


# --- the demo store and the import ---------------------------------------------------------------
def test_fill_writes_known_languages_and_keeps_translators_labels():
    row = OptionLabel.objects.create(kind=OptionLabel.Kind.VALUE, source="18K White Gold")
    row.set_current_language("fr")
    row.label = "Or gris 18 carats"
    row.save()
    option_labels_fill(names=["Metal"], values=["18K White Gold", "Moonlight Blue"])
    assert label("value", "18K White Gold", "fr") == "Or gris 18 carats"
    assert label("value", "18K White Gold", "de") == "18 Karat Weißgold"
    assert label("name", "Metal", "ar") == "المعدن"
    assert label("value", "Moonlight Blue", "en") == "Moonlight Blue"
    assert label("value", "Moonlight Blue", "fr") is None


def test_demo_store_has_option_names_and_values_in_all_seven_languages(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("seed_demo", "--products", "24", "--seed", "7", stdout=io.StringIO())

    languages = [code for code, _name in settings.LANGUAGES]
    used = ProductVariant.objects.values_list("option1", flat=True).distinct()
    assert "14K Rose Gold" in used or "18K Rose Gold" in used
    translation_model = OptionLabel._parler_meta.root_model
    for kind, sources in catalog_option_sources().items():
        for source in sources:
            stored = set(
                translation_model.objects.filter(master__kind=kind, master__source=source)
                .exclude(label="")
                .values_list("language_code", flat=True)
            )
            assert stored == set(languages), (kind, source)
    rose = OptionLabel.objects.filter(source__endswith="Rose Gold").first()
    karat = rose.source.split("K")[0]
    assert label("value", rose.source, "fr") == f"Or rose {karat} carats"
    for row in translation_coverage():
        assert row.option_names.percent == row.option_values.percent == 100.0, row.code


def csv_bytes(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(SHOPIFY_COLUMNS)
    for row in rows:
        writer.writerow([row.get(column, "") for column in SHOPIFY_COLUMNS])
    return out.getvalue().encode("utf-8")


def test_shopify_import_fills_the_values_it_recognises():
    base = {"Handle": "halo-ring", "Variant Price": "900.00", "Variant Inventory Qty": "3"}
    data = csv_bytes(
        [
            {
                **base,
                "Title": "Halo ring",
                "Type": "Ring",
                "Option1 Name": "Metal",
                "Option1 Value": "14K Rose Gold",
                "Option2 Name": "Engraving",
                "Option2 Value": "Moonlight Blue",
                "Variant SKU": "HALO-RG14",
            },
            {
                **base,
                "Option1 Value": "18K Yellow Gold",
                "Option2 Value": "Moonlight Blue",
                "Variant SKU": "HALO-YG18",
            },
        ]
    )
    report = import_shopify_csv(file=io.BytesIO(data))
    assert report.ok, report.as_text()
    assert Product.objects.get(handle="halo-ring").variants.count() == 2

    assert label("value", "14K Rose Gold", "fr") == "Or rose 14 carats"
    assert label("value", "18K Yellow Gold", "es") == "Oro amarillo de 18 quilates"
    assert label("name", "Metal", "de") == "Metall"
    # What the vocabulary does not know is left for translators, in the source language only.
    assert label("value", "Moonlight Blue", "en") == "Moonlight Blue"
    assert label("value", "Moonlight Blue", "fr") is None
    assert label("name", "Engraving", "fr") is None
    assert option_missing("fr") == {"name": ["Engraving"], "value": ["Moonlight Blue"]}


# --- bag and order -------------------------------------------------------------------------------
def test_bag_line_in_french_shows_the_french_value(client, ring):
    variant = ring.variants.get(option1="14K Rose Gold", option2="7")
    response = client.post("/fr/cart/add/", {"variant": variant.pk, "quantity": 1})
    assert response.status_code == 302
    body = page(client, "/fr/cart/")
    assert "Or rose 14 carats / 7" in body
    assert "14K Rose Gold" not in body
    assert "14K Rose Gold / 7" in page(client, "/en/cart/")


def test_checkout_review_in_french_shows_the_french_value(client, ring, shipping):  # noqa: F811
    variant = ring.variants.get(option1="14K Rose Gold", option2="7")
    client.post("/fr/cart/add/", {"variant": variant.pk, "quantity": 1})
    response = go_to_review(client, prefix="/fr")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Or rose 14 carats / 7" in body and "14K Rose Gold" not in body


def test_order_line_keeps_the_options_in_the_orders_language(ring, shipping):  # noqa: F811
    variant = ring.variants.get(option1="14K Rose Gold", option2="7.5")
    order = place(cart_with((variant, 1)), language="fr")
    line = OrderLine.objects.get(order=order)
    assert line.variant_title == "Or rose 14 carats / 7,5"
    with translation.override("en"):  # e.g. sent from a worker
        message = build_order_email(order=order, kind="confirmation")
    assert "(Or rose 14 carats / 7,5)" in message.body
    assert "Or rose 14 carats / 7,5" in message.alternatives[0][0]
    # A later translation does not change what the order says.
    row = OptionLabel.objects.create(kind=OptionLabel.Kind.VALUE, source="14K Rose Gold")
    row.set_current_language("fr")
    row.label = "Or rose 585"
    row.save()
    line.refresh_from_db()
    assert line.variant_title == "Or rose 14 carats / 7,5"


# --- the admin -----------------------------------------------------------------------------------
def test_saving_a_product_in_the_admin_gives_new_option_texts_a_label(merchant_client, ring):
    url = reverse("admin:catalog_product_change", args=[ring.pk])
    data = form_data(merchant_client.get(url).content.decode(), "product_form")
    first = next(k for k in data if k.endswith("-option1") and "__prefix__" not in k)
    response = merchant_client.post(url, {**data, first: "18K White Gold"})
    assert response.status_code == 302, response.content.decode()[:2000]

    assert label("value", "18K White Gold", "fr") == "Or blanc 18 carats"
    assert label("value", "Moonlight Blue", "en") == "Moonlight Blue"
    assert label("value", "Moonlight Blue", "fr") is None
    assert label("name", "Ring size", "ja") == "リングサイズ"
    body = page(merchant_client, url)
    assert f"{reverse('admin:catalog_optionlabel_changelist')}?product={ring.pk}" in body


def test_translators_edit_option_labels_per_language(client, ring):
    option_labels_fill(names=["Metal"], values=["Moonlight Blue"])
    user = UserFactory(email="translator@example.com", is_staff=True)
    user.groups.add(Group.objects.get(name=TRANSLATORS_GROUP))
    client.force_login(user)

    changelist = reverse("admin:catalog_optionlabel_changelist")
    body = page(client, changelist + "?missing=fr")
    assert "Moonlight Blue" in body and "14K Rose Gold" not in body

    row = OptionLabel.objects.get(source="Moonlight Blue")
    change_url = reverse("admin:catalog_optionlabel_change", args=[row.pk])
    body = page(client, change_url + "?language=fr")
    assert 'name="label"' in body and 'name="source"' not in body
    client.post(change_url + "?language=fr", {"label": "Bleu clair de lune"})
    assert label("value", "Moonlight Blue", "fr") == "Bleu clair de lune"
    assert label("value", "Moonlight Blue", "en") == "Moonlight Blue"

    body = page(client, changelist + f"?product={ring.pk}")
    assert "Moonlight Blue" in body and "Metal" in body


# --- the API -------------------------------------------------------------------------------------
def test_api_keeps_source_options_and_adds_labels_in_the_requested_language(client, ring):
    response = client.get("/api/v1/products/rose-ring/", {"lang": "fr"})
    assert response.status_code == 200
    product = response.json()
    assert product["option_names"] == ["Metal", "Ring size"]
    assert product["option_name_labels"] == ["Métal", "Taille de bague"]
    first = product["variants"][0]
    assert first["options"] == ["14K Rose Gold", "7"]
    assert first["option_labels"] == ["Or rose 14 carats", "7"]
    assert first["title"] == "14K Rose Gold / 7"
