"""`manage.py seed_demo`: the demo store a new user sees on `make run`."""

import io
import re
import stat
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from catalog.models import (
    Category,
    Collection,
    Product,
    ProductGemstone,
    ProductImage,
    ProductVariant,
    PublicationStatus,
)
from catalog.vocabulary import LANGS
from customers.models import User
from demo.tables import LEAVES
from shop.models import ExchangeRate
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

PURITIES = {
    "yellow-gold": {"14K", "18K"},
    "white-gold": {"14K", "18K"},
    "rose-gold": {"14K", "18K"},
    "platinum": {"950"},
    "sterling-silver": {"925"},
}


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def catalog_fingerprint() -> list[tuple[str, list[str], list[str]]]:
    return [
        (
            product.handle,
            [str(v.price) for v in product.variants.all()],
            [v.sku for v in product.variants.all()],
        )
        for product in Product.objects.order_by("handle").prefetch_related("variants")
    ]


def test_seed_demo_creates_a_complete_multilingual_store(var_dir, settings):
    # When the demo store is created with 40 products
    output = seed("--products", "40", "--seed", "7")

    # Then there are products in every leaf category of the tree
    assert Product.objects.count() >= 40
    for leaf in LEAVES:
        category = Category.objects.get(slug=leaf)
        assert category.products.exists(), leaf
    assert Category.objects.get(slug="engagement-rings").parent.slug == "rings"
    assert Category.objects.get(slug="chains").parent.slug == "necklaces"

    # And a design set of five categories built from the demo's own pictures, ready to train
    from demo.seed import DEMO_DESIGN_CATEGORIES, DEMO_DESIGN_SET
    from design.models import DesignSet

    design_set = DesignSet.objects.get(name=DEMO_DESIGN_SET)
    labels = set(design_set.images.values_list("category", flat=True))
    assert labels == set(DEMO_DESIGN_CATEGORIES)
    assert all(image.product_image_id for image in design_set.images.all())

    # And every product, category and collection reads in all seven languages
    for model in (Product, Category, Collection):
        missing = model.objects.annotate(n=Count("translations")).exclude(n=len(LANGS))
        assert not missing.exists(), model
    ring = Product.objects.filter(category__slug="engagement-rings").first()
    names = {lang: ring.safe_translation_getter("name", language_code=lang) for lang in LANGS}
    assert len(set(names.values())) == len(LANGS)
    assert re.search(r"[\u4e00-\u9fff]", names["zh-hans"])
    assert re.search(r"[\u30a0-\u30ff]", names["ja"])
    assert re.search(r"[\u0600-\u06ff]", names["ar"])
    assert ring.safe_translation_getter("description", language_code="fr").count(".") >= 2
    assert Category.objects.get(slug="rings").safe_translation_getter(
        "name", language_code="fr"
    ) == ("Bagues")

    # And every product has pictures whose files exist, with thumbnails
    assert not Product.objects.filter(images__isnull=True).exists()
    for image in ProductImage.objects.all():
        assert Path(image.image.path).is_file()
        assert Path(image.thumbnail.path).is_file()
        assert image.width == image.height == 640

    # And variants have unique SKUs and a purity that matches their metal
    skus = list(ProductVariant.objects.values_list("sku", flat=True))
    assert all(skus) and len(skus) == len(set(skus))
    for variant in ProductVariant.objects.select_related("metal"):
        assert variant.purity in PURITIES[variant.metal.slug]
        assert variant.price > 0
        assert variant.compare_at_price is None or variant.compare_at_price > variant.price
    rings = Product.objects.filter(category__parent__slug="rings")
    assert set(rings.values_list("option2_name", flat=True)) == {"Ring size"}
    assert not ProductVariant.objects.filter(product__in=rings, ring_size="").exists()
    assert ProductGemstone.objects.exists()

    # And the listing fields agree with the variants
    for product in Product.objects.prefetch_related("variants")[:10]:
        prices = [v.price for v in product.variants.all()]
        assert (product.price_min, product.price_max) == (min(prices), max(prices))

    # And "new arrivals" is meaningful: creation dates span months
    dates = list(Product.objects.values_list("created_at", flat=True))
    assert (max(dates) - min(dates)).days > 120

    # And the shop has collections, exchange rates and shoppers
    assert Collection.objects.filter(is_featured=True).count() == 6
    gifts = Collection.objects.get(slug="gifts-under-200").products.all()
    assert gifts.exists()
    assert all(gift.price_min < Decimal("200") for gift in gifts)
    rates = dict(ExchangeRate.objects.values_list("currency", "rate"))
    assert rates["EUR"] == Decimal("0.92") and rates["JPY"] == Decimal("151.5")
    assert set(rates) == {"EUR", "GBP", "CNY", "JPY", "AED"}
    shoppers = User.objects.filter(is_staff=False)
    assert shoppers.count() == 60
    assert not any(user.has_usable_password() for user in shoppers)

    # And the merchant can sign in with the password written, privately, to demo-login.txt
    login_file = var_dir / "demo-login.txt"
    line = login_file.read_text().strip()
    assert stat.S_IMODE(login_file.stat().st_mode) == 0o600
    assert line.startswith("Demo merchant login: http://127.0.0.1:8000/admin/")
    password = line.rsplit("password: ", 1)[1]
    merchant = User.objects.get(email="merchant@example.com")
    assert merchant.is_superuser and merchant.check_password(password)
    assert line in output
    assert "Demo store ready in" in output

    # When it is run again with --if-empty (as `make run` does on every start)
    products_before = Product.objects.count()
    again = seed("--if-empty")

    # Then nothing changes
    assert "nothing to do" in again
    assert Product.objects.count() == products_before
    assert login_file.read_text().strip() == line


def test_the_same_seed_gives_the_same_catalog(var_dir):
    # Given a store seeded once
    seed("--products", "16", "--seed", "11")
    first = catalog_fingerprint()

    # When the catalog is emptied and seeded again with the same seed
    Product.objects.all().delete()
    seed("--products", "16", "--seed", "11")

    # Then the same handles, prices and SKUs come back
    assert catalog_fingerprint() == first
    assert len(first) == 16


def test_another_seed_gives_another_catalog(var_dir):
    seed("--products", "16", "--seed", "1")
    first = catalog_fingerprint()
    Product.objects.all().delete()

    seed("--products", "16", "--seed", "2")

    assert catalog_fingerprint() != first


def test_if_empty_leaves_an_existing_store_alone(var_dir):
    # Given a store with one product of its own
    ProductFactory(handle="my-own-ring")

    # When the demo is asked for only if the store is empty
    output = seed("--if-empty")

    # Then nothing is added, not even a merchant account
    assert "nothing to do" in output
    assert list(Product.objects.values_list("handle", flat=True)) == ["my-own-ring"]
    assert not User.objects.exists()
    assert not (var_dir / "demo-login.txt").exists()


def test_without_if_empty_a_store_with_products_is_refused(var_dir):
    ProductFactory(handle="my-own-ring")

    with pytest.raises(CommandError, match="already has 1 products"):
        seed("--products", "5")

    assert Product.objects.count() == 1


def test_an_existing_merchant_keeps_its_password(var_dir, merchant):
    # Given a merchant account created before the demo
    # When the demo store is seeded
    output = seed("--products", "12")

    # Then the merchant's password is untouched and no login file is written
    merchant.refresh_from_db()
    assert merchant.check_password("s3cret-pass!")
    assert "left unchanged" in output
    assert not (var_dir / "demo-login.txt").exists()
    assert Product.objects.count() == 12


@pytest.mark.slow
def test_the_full_size_demo_store(var_dir):
    # When the default demo store is created
    seed()

    # Then it has the advertised size and a believable shape
    products = Product.objects.all()
    assert products.count() >= 540
    for leaf in LEAVES:
        assert products.filter(category__slug=leaf).count() >= 10, leaf
    drafts = products.filter(status=PublicationStatus.DRAFT).count()
    assert 0 < drafts < products.count() * 0.1
    assert products.filter(is_featured=True).count() >= 20
    out_of_stock = products.filter(in_stock=False).count() / products.count()
    assert 0.03 < out_of_stock < 0.15
    on_sale = (
        products.filter(variants__compare_at_price__isnull=False).distinct().count()
        / products.count()
    )
    assert 0.08 < on_sale < 0.25
    per_product = products.annotate(n=Count("images")).values_list("n", flat=True)
    assert min(per_product) >= 1 and max(per_product) <= 3
    assert ProductImage.objects.count() > products.count() * 1.5
    handles = list(products.values_list("handle", flat=True))
    assert len(handles) == len(set(handles))
    for collection in Collection.objects.all():
        assert collection.products.count() >= 10, collection.slug
    # Prices span the range a jewelry store has, from silver studs to diamond solitaires.
    prices = ProductVariant.objects.values_list("price", flat=True)
    assert min(prices) < 100
    assert max(prices) > 4000
