"""Storefront benchmark: server time and SQL queries of the home, listing, product and search
pages over a generated catalog (10,000 products by default).

Runs in-process through Django's test client, so it measures the server's work (routing,
queries, templates) without network noise. It uses its own scratch database: SQLite in a
temporary folder by default, or the PostgreSQL server named by BENCH_DATABASE_URL (a database
that will be emptied).

    .venv/bin/python bench/storefront.py [--products 10000] [--requests 60]
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_storefront \
        .venv/bin/python bench/storefront.py

Prints a Markdown table to paste into docs/benchmarks.md. Timings on a shared machine are
noisy: compare pages with each other within one run, not across runs.
"""

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def configure_environment() -> str:
    scratch = tempfile.mkdtemp(prefix="bench-storefront-")
    os.environ["SHOP_VAR_DIR"] = scratch
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
    os.environ["STATICFILES_BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    if os.environ.get("BENCH_DATABASE_URL"):
        os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    else:
        os.environ.pop("DATABASE_URL", None)
    return scratch


LANGUAGES = ["en", "fr", "de", "es", "ja", "zh-hans", "ar"]
METALS = [
    ("yellow-gold", "#d4af37"),
    ("white-gold", "#e5e4e2"),
    ("rose-gold", "#b76e79"),
    ("platinum", "#e5e4e2"),
    ("sterling-silver", "#c0c0c0"),
]
GEMS = [
    ("diamond", "#e8f4ff"),
    ("sapphire", "#0f52ba"),
    ("ruby", "#9b111e"),
    ("emerald", "#50c878"),
    ("pearl", "#f0ead6"),
]
CATEGORIES = ["rings", "necklaces", "earrings", "bracelets", "brooches", "anklets"]


def build_catalog(product_count: int) -> None:
    """Bulk-creates a catalog: each product translated into 7 languages, 3 variants, 1 stone."""
    from django.utils import timezone

    from catalog.models import (
        Category,
        GemstoneType,
        Material,
        Product,
        ProductGemstone,
        ProductVariant,
        PublicationStatus,
    )
    from shop.models import ExchangeRate

    for currency, rate in [
        ("EUR", "0.92"),
        ("GBP", "0.79"),
        ("CNY", "7.24"),
        ("JPY", "151.5"),
        ("AED", "3.6725"),
    ]:
        ExchangeRate.objects.create(currency=currency, rate=Decimal(rate))
    categories = []
    for position, slug in enumerate(CATEGORIES):
        category = Category(slug=slug, position=position)
        category.set_current_language("en")
        category.name = slug.title()
        category.save()
        categories.append(category)
    metals = []
    for slug, colour in METALS:
        metal = Material(slug=slug, kind=Material.Kind.METAL, colour_hex=colour)
        metal.set_current_language("en")
        metal.name = slug.replace("-", " ").title()
        metal.save()
        metals.append(metal)
    gems = []
    for slug, colour in GEMS:
        gem = GemstoneType(slug=slug, colour_hex=colour)
        gem.set_current_language("en")
        gem.name = slug.title()
        gem.save()
        gems.append(gem)

    now = timezone.now()
    translation_model = Product._parler_meta.root_model
    batch = 2000
    for start in range(0, product_count, batch):
        products = []
        for index in range(start, min(start + batch, product_count)):
            price = Decimal(50 + (index * 37) % 4000)
            products.append(
                Product(
                    handle=f"bench-product-{index}",
                    category=categories[index % len(categories)],
                    status=PublicationStatus.PUBLISHED,
                    published_at=now,
                    price_min=price,
                    price_max=price + 40,
                    in_stock=index % 13 != 0,
                    is_featured=index % 50 == 0,
                )
            )
        Product.objects.bulk_create(products)
        for offset, product in enumerate(products):
            product.created_at = now - timedelta(minutes=start + offset)
        Product.objects.bulk_update(products, ["created_at"])
        translations, variants, stones = [], [], []
        for product in products:
            index = int(product.handle.rsplit("-", 1)[1])
            metal, gem = metals[index % len(metals)], gems[index % len(gems)]
            for language in LANGUAGES:
                translations.append(
                    translation_model(
                        master_id=product.pk,
                        language_code=language,
                        name=(
                            f"{metal.slug} {gem.slug} {product.category.slug} {index} [{language}]"
                        ),
                        description="A generated piece for benchmarking. " * 4,
                    )
                )
            for size_index, size in enumerate(["5", "6", "7"]):
                variants.append(
                    ProductVariant(
                        product=product,
                        sku=f"B{index}-{size}",
                        option1=metal.slug,
                        option2=size,
                        metal=metal,
                        purity="18K",
                        ring_size=size,
                        price=product.price_min + size_index * 20,
                        stock_quantity=0 if index % 13 == 0 else 3,
                        position=size_index,
                    )
                )
            stones.append(
                ProductGemstone(product=product, gemstone_type=gem, carat=Decimal("0.50"))
            )
        translation_model.objects.bulk_create(translations)
        ProductVariant.objects.bulk_create(variants)
        ProductGemstone.objects.bulk_create(stones)


def measure(client, url: str, requests: int) -> dict:
    from django.db import connection

    for _ in range(3):  # warm caches and template loading
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    timings = []
    # Count with an execute wrapper: Django's query log is a bounded deque that building the
    # catalog has already filled, so counting by its length is unreliable.
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    timings.sort()
    return {
        "median": statistics.median(timings),
        "p95": timings[min(len(timings) - 1, int(round(0.95 * len(timings))) - 1)],
        "queries": len(executed),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()
    configure_environment()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0, interactive=False)
    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        call_command("flush", verbosity=0, interactive=False)

    started = time.perf_counter()
    build_catalog(args.products)
    build_seconds = time.perf_counter() - started
    if connection.vendor == "postgresql":
        # What autovacuum does soon after a bulk load; without statistics the planner picks
        # nested loops that make the facet counts take seconds.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    from catalog.models import Product

    sample = Product.objects.order_by("id")[args.products // 2]
    pages = {
        "home": "/en/",
        "listing (all, newest)": "/en/products/",
        "listing (category, metal + price filter, page 3)": "/en/c/rings/?metal=rose-gold&price_min=100&price_max=3000&page=3",  # noqa: E501
        "listing (fr, EUR, sorted by price)": "/fr/products/?sort=price_asc",
        "product": sample.get_absolute_url(),
        "search page (no search index built)": "/en/search/?q=sapphire+rings",
    }
    client = Client()
    results = {name: measure(client, url, args.requests) for name, url in pages.items()}
    # The same listings with their counts never cached: what the first shopper after a
    # catalog change waits for.
    settings.SHOP_LISTING_CACHE_SECONDS = 0
    for name in [name for name in pages if name.startswith("listing")]:
        results[f"{name}, counts not cached"] = measure(client, pages[name], args.requests)

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[1]
    print(
        f"\nStorefront, {args.products:,} products on {engine}, {args.requests} requests a page, "
        f"{time.strftime('%Y-%m-%d')}, {platform.node()} ({os.cpu_count()} cores, "
        f"Python {platform.python_version()}); catalog built in {build_seconds:.1f} s\n"
    )
    print("| page | median ms | p95 ms | SQL queries |")
    print("| --- | ---: | ---: | ---: |")
    for name, figures in results.items():
        print(f"| {name} | {figures['median']:.1f} | {figures['p95']:.1f} | {figures['queries']} |")


if __name__ == "__main__":
    main()
