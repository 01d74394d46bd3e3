"""Checkout benchmark: orders placed per second through the checkout service, and the server
time (median, p95) and SQL queries of the cart and checkout pages.

Orders go through orders.services.order_place, the same call the pages and the API make: row
locks on the variants, stock check, order and lines, the test gateway's charge, stock
decrement, status history, interaction events and the confirmation e-mail (Django's in-memory
backend). Three scenarios: one shopper after another; 4 threads buying different items; 4
threads all buying the same item (they queue on its row lock). Pages are measured in-process
with Django's test client, as bench/storefront.py does.

It uses its own scratch database: SQLite in a temporary folder by default, or the PostgreSQL
server named by BENCH_DATABASE_URL (a database that will be emptied).

    .venv/bin/python bench/checkout.py [--orders 300] [--requests 60]
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_checkout \\
        .venv/bin/python bench/checkout.py

Prints Markdown tables to paste into docs/benchmarks.md ("## Checkout"). Timings on a shared
machine are noisy: compare figures within one run, not across runs.
"""

import argparse
import os
import platform
import re
import statistics
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

THREADS = 4
SUCCESS_CARD = "4242 4242 4242 4242"


def configure_environment() -> str:
    scratch = tempfile.mkdtemp(prefix="bench-checkout-")
    os.environ["SHOP_VAR_DIR"] = scratch
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
    os.environ["STATICFILES_BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    # It pays with the test gateway with DEBUG off, which must be allowed explicitly.
    os.environ["SHOP_ALLOW_TEST_GATEWAY"] = "true"
    if os.environ.get("BENCH_DATABASE_URL"):
        os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    else:
        os.environ.pop("DATABASE_URL", None)
    return scratch


def build_store(product_count: int) -> list:
    """Exchange rates, the default shipping set-up and products with plenty of stock."""
    from django.core.management import call_command
    from django.utils import timezone

    from catalog.models import Category, Product, ProductVariant, PublicationStatus
    from shop.models import ExchangeRate

    for currency, rate in [("EUR", "0.92"), ("GBP", "0.79"), ("JPY", "151.5")]:
        ExchangeRate.objects.create(currency=currency, rate=Decimal(rate))
    call_command("seed_shipping", verbosity=0)
    category = Category(slug="rings")
    category.set_current_language("en")
    category.name = "Rings"
    category.save()
    translation_model = Product._parler_meta.root_model
    products = Product.objects.bulk_create(
        Product(
            handle=f"bench-ring-{index}",
            category=category,
            status=PublicationStatus.PUBLISHED,
            published_at=timezone.now(),
            price_min=Decimal(100 + index),
            price_max=Decimal(100 + index),
            in_stock=True,
        )
        for index in range(product_count)
    )
    translation_model.objects.bulk_create(
        translation_model(
            master_id=product.pk, language_code=language, name=f"Ring {product.pk} [{language}]"
        )
        for product in products
        for language in ("en", "fr")
    )
    return ProductVariant.objects.bulk_create(
        ProductVariant(
            product=product,
            sku=f"BR-{product.pk}",
            option1="Size 7",
            price=product.price_min,
            stock_quantity=1_000_000,
        )
        for product in products
    )


def guest_cart(variants, tag: str):
    from orders.models import Cart, CartLine

    cart = Cart.objects.create(session_key=tag[:40])
    CartLine.objects.bulk_create(
        CartLine(cart=cart, variant=variant, quantity=1) for variant in variants
    )
    return cart


def place(cart, key: str):
    from orders.services import ShippingAddress, order_place

    return order_place(
        cart=cart,
        email="bench@example.com",
        address=ShippingAddress(
            full_name="Bench Shopper",
            line1="1 Rue de la Paix",
            city="Paris",
            postal_code="75002",
            country="FR",
        ),
        shipping_method_code="standard",
        payment_token=SUCCESS_CARD,
        idempotency_key=key,
        currency="EUR",
        language="fr",
    )


def machine() -> str:
    """E.g. "2 cores, 24 GiB, Debian 12", as docs/benchmarks.md records the machine."""
    memory, system = "", platform.system()
    try:
        kib = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        memory = f", {round(kib / 1024 / 1024)} GiB"
    except (OSError, IndexError, ValueError):
        pass
    try:
        release = dict(
            line.split("=", 1)
            for line in Path("/etc/os-release").read_text().splitlines()
            if "=" in line
        )
        system = f"{release['NAME'].split()[0]} {release['VERSION_ID']}".replace('"', "")
    except (OSError, KeyError, IndexError):
        pass
    return f"{os.cpu_count()} cores{memory}, {system}"


def percentile_95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * len(ordered))) - 1)]


def run_orders(variants, *, orders: int, threads: int, same_item: bool, tag: str) -> dict:
    """Places `orders` orders of 2-line bags from `threads` threads; times order_place only."""
    from django.core import mail
    from django.db import connection

    per_thread = orders // threads
    timings: list[float] = []
    lock = threading.Lock()
    errors: list[Exception] = []

    def worker(thread_index: int) -> None:
        own: list[float] = []
        try:
            for index in range(per_thread):
                if same_item:
                    items = variants[:2]
                else:
                    offset = (thread_index * per_thread + index) * 2
                    items = [
                        variants[offset % len(variants)],
                        variants[(offset + 1) % len(variants)],
                    ]
                cart = guest_cart(items, f"{tag}-{thread_index}-{index}")
                started = time.perf_counter()
                place(cart, f"{tag}-{thread_index}-{index:06d}")
                own.append(time.perf_counter() - started)
        except Exception as error:  # reported below: a benchmark must not hide failures
            errors.append(error)
        finally:
            connection.close()
            with lock:
                timings.extend(own)

    started = time.perf_counter()
    if threads == 1:
        worker(0)
    else:
        pool = [threading.Thread(target=worker, args=(index,)) for index in range(threads)]
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()
    wall = time.perf_counter() - started
    mail.outbox = []
    if errors:
        raise errors[0]
    return {
        "orders": len(timings),
        "seconds": wall,
        "per_second": len(timings) / wall,
        "p95_ms": percentile_95(timings) * 1000,
    }


def measure_page(client, url: str, requests: int, make_form=None) -> dict:
    """Median and p95 server time of a page, and its SQL queries (one request).

    With make_form, the page is POSTed the form it returns; preparing it is not timed.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def request(form):
        response = client.post(url, form) if form is not None else client.get(url)
        assert response.status_code in (200, 302), (url, response.status_code)

    def form():
        return make_form() if make_form else None

    for _ in range(3):  # warm caches and template loading
        request(form())
    prepared = form()
    with CaptureQueriesContext(connection) as queries:
        request(prepared)
    query_count = len(queries.captured_queries)  # read now: the next request clears the log
    timings = []
    for _ in range(requests):
        prepared = form()
        started = time.perf_counter()
        request(prepared)
        timings.append((time.perf_counter() - started) * 1000)
    return {
        "median": statistics.median(timings),
        "p95": percentile_95(timings),
        "queries": query_count,
    }


def measure_pages(variants, requests: int) -> dict:
    from django.core import mail
    from django.test import Client

    from orders.models import Order

    client = Client()
    for variant in variants[:3]:
        client.post("/fr/cart/add/", {"variant": variant.pk, "quantity": 1})
    details = {
        "email": "bench@example.com",
        "full_name": "Bench Shopper",
        "line1": "1 Rue de la Paix",
        "city": "Paris",
        "postal_code": "75002",
        "country": "FR",
    }
    client.post("/fr/checkout/", details)
    client.post("/fr/checkout/shipping/", {"method": "standard"})
    results = {
        "cart (3 lines)": measure_page(client, "/fr/cart/", requests),
        "checkout: address": measure_page(client, "/fr/checkout/", requests),
        "checkout: shipping methods": measure_page(client, "/fr/checkout/shipping/", requests),
        "checkout: review (duties, taxes, EUR)": measure_page(
            client, "/fr/checkout/review/", requests
        ),
    }

    def refill_and_key() -> dict:
        # Each payment needs a bag to pay for and a fresh key: refilled outside the timing.
        client.post("/fr/cart/add/", {"variant": variants[3].pk, "quantity": 1})
        page = client.get("/fr/checkout/review/").content.decode()
        key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
        return {"card_number": SUCCESS_CARD, "idempotency_key": key}

    results["checkout: pay (places the order)"] = measure_page(
        client, "/fr/checkout/review/", requests, make_form=refill_and_key
    )
    mail.outbox = []
    from orders.selectors import order_access_token

    token = order_access_token(Order.objects.order_by("-id").first())
    results["order confirmation"] = measure_page(
        client, f"/fr/checkout/complete/{token}/", requests
    )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=300, help="orders per scenario")
    parser.add_argument("--requests", type=int, default=60, help="requests per page")
    args = parser.parse_args()
    configure_environment()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()  # in-memory e-mail backend
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0, interactive=False)
    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        call_command("flush", verbosity=0, interactive=False)

    variants = build_store(200)
    scenarios = {
        "one shopper after another": {"threads": 1, "same_item": False},
        f"{THREADS} threads, different items": {"threads": THREADS, "same_item": False},
        f"{THREADS} threads, all buying the same item": {"threads": THREADS, "same_item": True},
    }
    run_orders(variants, orders=20, threads=1, same_item=False, tag="warm")
    order_results = {
        name: run_orders(variants, orders=args.orders, tag=f"s{index}", **options)
        for index, (name, options) in enumerate(scenarios.items())
    }
    page_results = measure_pages(variants, args.requests)

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[1]
    print(
        f"\nCheckout on {engine}, {time.strftime('%Y-%m-%d')}, {machine()}, Python "
        f"{platform.python_version()}; 2-line bags shipped to France, paid in EUR with the "
        f"test gateway\n"
    )
    print("| orders through order_place | orders | seconds | orders/s | p95 ms per order |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, figures in order_results.items():
        print(
            f"| {name} | {figures['orders']} | {figures['seconds']:.2f} | "
            f"{figures['per_second']:.1f} | {figures['p95_ms']:.1f} |"
        )
    print(f"\n| page (fr, EUR, {args.requests} requests) | median ms | p95 ms | SQL queries |")
    print("| --- | ---: | ---: | ---: |")
    for name, figures in page_results.items():
        print(f"| {name} | {figures['median']:.1f} | {figures['p95']:.1f} | {figures['queries']} |")


if __name__ == "__main__":
    main()
