"""Recommendation benchmark: ranking quality against popularity, training time, serving latency.

1. MovieLens 100k, splits u1..u5 (../shared/data/movielens-100k by default, or --movielens):
   RMSE/MAE of the Surprise rating model and top-10 precision, recall and NDCG on held-out
   ratings of 4-5 stars, for the configured ranking (EASE + SVD blend by default), for plain
   SVD ranking, and for the popularity baseline, all measured in the same run
   (ai/recommend/evaluation.py describes the protocol).
2. The same comparison on the demo store's own history (the seed_demo generator,
   events/demo_history.py, on the 540-product demo catalog plan), 5 random 80/20 splits.
3. Training time (the whole `recommend.train` job: reading events, both models, every list,
   writing them) on 100k and 1M generated interactions in a scratch SQLite database.
4. Serving latency (p50/p95, in-process, warm) of recommend_for_shopper for signed-in shoppers
   (precomputed list), guests with a session history (computed on the fly) and new visitors
   (popular), and of similar_products; with the cards' queries included. Each call is measured
   with the card cache off (AI_RECOMMEND_CARD_CACHE_SECONDS=0: every call loads its cards) and
   on (the default; warmed by as many calls as are measured), in the same run.

    .venv/bin/python bench/recommend.py [--movielens DIR] [--sizes 100000,1000000]
        [--skip-movielens] [--skip-training] [--no-card-cache] [--cache-url URL]

    (serving only, a few minutes: --skip-movielens --sizes 100000)

Prints Markdown tables for docs/benchmarks.md ("## Recommendations").
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_MOVIELENS = ROOT.parent / "shared" / "data" / "movielens-100k"


def configure_environment(cache_url: str = "") -> str:
    scratch = tempfile.mkdtemp(prefix="bench-recommend-")
    if cache_url:
        os.environ["CACHE_URL"] = cache_url
    os.environ["SHOP_VAR_DIR"] = scratch
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
    os.environ["STATICFILES_BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    os.environ.pop("DATABASE_URL", None)
    return scratch


def fmt(value, digits=4) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


# --- 1. MovieLens ------------------------------------------------------------------------------
def movielens(directory: Path) -> None:
    from ai.recommend.evaluation import EvaluationConfig, evaluate, load_split

    print(f"### MovieLens 100k ({directory.name}), splits u1..u5\n")
    print(
        "| split | RMSE | MAE | P@10 | R@10 | NDCG@10 | plain SVD P@10 | plain SVD NDCG@10 "
        "| popularity P@10 | popularity NDCG@10 | NDCG ratio | seconds |"
    )
    print("|---" * 12 + "|")
    rows = []
    for split in ("u1", "u2", "u3", "u4", "u5"):
        train, test = load_split(directory, split)
        started = time.perf_counter()
        best = evaluate(train, test, EvaluationConfig())
        plain = evaluate(train, test, EvaluationConfig(method="rating", rating_weight=0.0))
        seconds = time.perf_counter() - started
        rows.append((best, plain))
        print(
            f"| {split} | {best['rmse']:.4f} | {best['mae']:.4f} | {best['precision_at_10']:.4f} "
            f"| {best['recall_at_10']:.4f} | {best['ndcg_at_10']:.4f} "
            f"| {plain['precision_at_10']:.4f} | {plain['ndcg_at_10']:.4f} "
            f"| {best['popularity_precision_at_10']:.4f} | {best['popularity_ndcg_at_10']:.4f} "
            f"| {best['ndcg_ratio_to_popularity']:.2f} | {seconds:.1f} |",
            flush=True,
        )

    def mean(key, which=0):
        return statistics.mean(row[which][key] for row in rows)

    print(
        f"| **mean** | {mean('rmse'):.4f} | {mean('mae'):.4f} | {mean('precision_at_10'):.4f} "
        f"| {mean('recall_at_10'):.4f} | {mean('ndcg_at_10'):.4f} "
        f"| {mean('precision_at_10', 1):.4f} | {mean('ndcg_at_10', 1):.4f} "
        f"| {mean('popularity_precision_at_10'):.4f} | {mean('popularity_ndcg_at_10'):.4f} "
        f"| {mean('ndcg_at_10') / mean('popularity_ndcg_at_10'):.2f} | |\n"
    )

    # Alternatives on u1 (the settings AI_RECOMMEND_RANKING / _RATING_MODEL / weights).
    train, test = load_split(directory, "u1")
    print("Alternatives on u1 (same run):\n")
    print("| rating model | ranking | rating weight | RMSE | P@10 | NDCG@10 | NDCG ratio |")
    print("|---|---|---|---|---|---|---|")
    for config in (
        EvaluationConfig(method="ease", rating_weight=0.0),
        EvaluationConfig(method="itemknn", rating_weight=0.0),
        EvaluationConfig(method="itemknn", rating_weight=0.2),
        EvaluationConfig(rating_model="knnbaseline", method="ease", rating_weight=0.2),
        EvaluationConfig(rating_model="baselineonly", method="ease", rating_weight=0.2),
    ):
        result = evaluate(train, test, config)
        print(
            f"| {config.rating_model} | {config.method} | {config.rating_weight} "
            f"| {result['rmse']:.4f} | {result['precision_at_10']:.4f} "
            f"| {result['ndcg_at_10']:.4f} | {result['ndcg_ratio_to_popularity']:.2f} |",
            flush=True,
        )
    print()


# --- 2. the demo store's history ---------------------------------------------------------------
def demo_history() -> None:
    from ai.recommend.data import history_from_rows
    from ai.recommend.training import TrainingConfig, evaluate_history
    from demo.plan import plan_catalog
    from demo.tables import DEFAULT_PRODUCTS, DEFAULT_SEED
    from events.demo_history import DEFAULT_SEED as HISTORY_SEED
    from events.demo_history import plan_history

    plans = plan_catalog(products=DEFAULT_PRODUCTS, seed=DEFAULT_SEED)
    leaves = sorted({plan.design.leaf for plan in plans})
    products = [
        (n + 1, leaves.index(plan.design.leaf), float(plan.price_min))
        for n, plan in enumerate(plans)
        if plan.status == "published"
    ]
    events = plan_history(products=products, user_ids=list(range(1, 61)), seed=HISTORY_SEED)
    rows = [
        (
            e.get("user_id"),
            e.get("session_key", ""),
            e["product_id"],
            e["kind"],
            e["value"],
            e["country"],
            e["language"],
        )
        for e in events
    ]
    history = history_from_rows(rows)
    print(
        f"### The demo store's own history ({len(products)} published products, "
        f"{len(events)} events, 60 customers and 700 guest sessions)\n"
    )
    print("Relevant = held-out bag adds, wishlist adds and purchases (implied 4-5 stars).\n")
    print(
        "| split seed | RMSE | P@10 | R@10 | NDCG@10 | popularity P@10 | popularity NDCG@10 "
        "| NDCG ratio |"
    )
    print("|---|---|---|---|---|---|---|---|")
    results = []
    for seed in range(5):
        result = evaluate_history(history, config=TrainingConfig(), seed=seed)
        results.append(result)
        print(
            f"| {seed} | {result['rmse']:.4f} | {result['precision_at_10']:.4f} "
            f"| {result['recall_at_10']:.4f} | {result['ndcg_at_10']:.4f} "
            f"| {result['popularity_precision_at_10']:.4f} "
            f"| {result['popularity_ndcg_at_10']:.4f} | {result['ndcg_ratio_to_popularity']:.2f} |",
            flush=True,
        )
    ndcg = statistics.mean(r["ndcg_at_10"] for r in results)
    pop = statistics.mean(r["popularity_ndcg_at_10"] for r in results)
    print(f"| **mean** | | | | {ndcg:.4f} | | {pop:.4f} | {ndcg / pop:.2f} |\n")


# --- 3. training time --------------------------------------------------------------------------
def generate_store(*, interactions: int, products: int, rng: random.Random) -> dict:
    """Products in 20 categories and shoppers with tastes; events inserted with executemany."""
    import numpy as np
    from django.db import connection, transaction
    from django.utils import timezone

    from catalog.models import Category, Product, PublicationStatus
    from customers.models import User
    from events.models import InteractionEvent

    categories = []
    for n in range(20):
        category = Category(slug=f"bench-category-{n}")
        category.set_current_language("en")
        category.name = f"Category {n}"
        category.save()
        categories.append(category)
    now = timezone.now()
    made = Product.objects.bulk_create(
        Product(
            handle=f"bench-{n}",
            category=categories[n % 20],
            status=PublicationStatus.PUBLISHED,
            published_at=now,
            price_min=100,
            price_max=100,
            in_stock=True,
        )
        for n in range(products)
    )
    ids = np.array([p.pk for p in made])
    per_shopper = 40
    shoppers = max(1, interactions // per_shopper)
    users = User.objects.bulk_create(
        User(email=f"bench{n}@example.com", password="!") for n in range(shoppers // 2)
    )
    user_ids = [u.pk for u in users]
    gen = np.random.default_rng(rng.randrange(2**32))
    popularity = 1.0 / (np.arange(products) + 10) ** 0.8
    clusters = gen.integers(0, 25, size=products)
    kinds = np.array(["view", "view", "view", "cart_add", "wishlist_add", "purchase"])
    table = InteractionEvent._meta.db_table
    sql = (
        f'INSERT INTO "{table}" (kind, user_id, session_key, product_id, value, country, '
        "language, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
    )
    written = 0
    batch = []
    with transaction.atomic(), connection.cursor() as cursor:
        for shopper in range(shoppers):
            taste = gen.integers(0, 25)
            weights = popularity * np.where(clusters == taste, 8.0, 1.0)
            weights /= weights.sum()
            chosen = gen.choice(products, size=per_shopper, p=weights)
            kind = kinds[gen.integers(0, len(kinds), size=per_shopper)]
            user = (
                user_ids[shopper // 2]
                if shopper % 2 == 0 and shopper // 2 < len(user_ids)
                else None
            )
            session = "" if user else f"bench-session-{shopper}"
            for product, event_kind in zip(chosen, kind, strict=True):
                batch.append(
                    (str(event_kind), user, session, int(ids[product]), 1.0, "US", "en", now)
                )
            if len(batch) >= 20000:
                cursor.executemany(sql, batch)
                written += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            written += len(batch)
    return {"events": written, "products": products, "shoppers": shoppers, "users": len(users)}


def reset_store() -> None:
    from ai.models import ModelVersion, RecommendationList
    from catalog.models import Category, Product
    from customers.models import User
    from events.models import InteractionEvent

    RecommendationList.objects.all().delete()
    ModelVersion.objects.all().delete()
    InteractionEvent.objects.all().delete()
    Product.objects.all().delete()
    Category.objects.all().delete()
    User.objects.filter(email__startswith="bench").delete()


def training_and_serving(sizes: list[int], *, card_cache: bool = True) -> None:
    from django.core.management import call_command

    from ai import services

    call_command("migrate", verbosity=0)
    rng = random.Random(5)
    print("### Training time (the whole job, scratch SQLite)\n")
    print(
        "| interactions | products | shoppers (signed-in) | read s | ranker s | rating model s "
        "| shopper lists s | product lists s | measuring s | total s (incl. writing) "
        "| lists written |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    latency_rows = None
    for size in sizes:
        reset_store()
        products = 1000 if size <= 200_000 else 3000
        made = generate_store(interactions=size, products=products, rng=rng)
        started = time.perf_counter()
        report = services.recommend_train()
        total = time.perf_counter() - started
        seconds = report["seconds"]
        print(
            f"| {made['events']:,} | {products:,} | {made['shoppers']:,} ({made['users']:,}) "
            f"| {seconds['read']:.1f} | {seconds['ranker']:.1f} | {seconds['rating_model']:.1f} "
            f"| {seconds['user_lists']:.1f} | {seconds['product_lists']:.1f} "
            f"| {seconds['measure']:.1f} | {total:.1f} "
            f"| {sum(report['lists'].values()):,} |",
            flush=True,
        )
        if latency_rows is None:
            latency_rows = serving_latency(size, card_cache=card_cache)
    print()
    print(f"### Serving latency (in-process, warm, after training on {sizes[0]:,} interactions)\n")
    print("| call | card cache | calls | p50 ms | p95 ms | queries |")
    print("|---|---|---|---|---|---|")
    for row in latency_rows:
        print(row)
    print()


def serving_latency(size: int, *, card_cache: bool = True) -> list[str]:
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    from ai import services
    from ai.models import RecommendationList
    from catalog.models import Product
    from customers.models import User
    from events.models import InteractionEvent

    rng = random.Random(9)
    user_ids = list(
        RecommendationList.objects.filter(kind="user").values_list("user_id", flat=True)[:2000]
    )
    users = list(User.objects.filter(pk__in=user_ids))
    sessions = list(
        InteractionEvent.objects.exclude(session_key="")
        .values_list("session_key", flat=True)
        .distinct()[:2000]
    )
    products = list(Product.objects.all()[:2000])
    calls = 300

    def measure(label, call, pool, *, cached="—"):
        # The same random inputs for both runs; with the cache on, they are served once first,
        # so every measured call is warm (the cold first calls cost what "off" costs).
        inputs = [rng.choice(pool) for _ in range(calls)]
        for argument in inputs if cached == "on" else inputs[:20]:
            call(argument)  # warm up
        timings = []
        with CaptureQueriesContext(connection) as context:
            call(inputs[0])
        queries = len(context.captured_queries)
        for argument in inputs:
            started = time.perf_counter()
            call(argument)
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        p50 = timings[len(timings) // 2]
        p95 = timings[int(len(timings) * 0.95) - 1]
        return f"| {label} | {cached} | {calls} | {p50:.2f} | {p95:.2f} | {queries} |"

    def read_only(user):
        RecommendationList.objects.filter(kind="user", user=user).values_list(
            "items", flat=True
        ).first()

    calls_to_measure = [
        (
            "recommend_for_shopper, signed in (list + cards, 12)",
            lambda user: services.recommend_for_shopper(user=user, limit=12),
            users,
        ),
        (
            "recommend_for_shopper, guest with history (on the fly, 12)",
            lambda session: services.recommend_for_shopper(session_key=session, limit=12),
            sessions,
        ),
        (
            "recommend_for_shopper, new visitor (popular, 12)",
            lambda country: services.recommend_for_shopper(
                session_key="", country=country, limit=12
            ),
            ["US"],
        ),
        (
            "similar_products (8)",
            lambda product: services.similar_products(product, limit=8),
            products,
        ),
    ]
    rows = [measure("the precomputed list alone (one indexed read)", read_only, users)]
    seconds = settings.AI_RECOMMEND_CARD_CACHE_SECONDS or 300
    for label, call, pool in calls_to_measure:
        with override_settings(AI_RECOMMEND_CARD_CACHE_SECONDS=0):
            rows.append(measure(label, call, pool, cached="off"))
        if card_cache:
            cache.clear()  # cold, then warmed by measure()
            with override_settings(AI_RECOMMEND_CARD_CACHE_SECONDS=seconds):
                rows.append(measure(label, call, pool, cached="on"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--movielens", type=Path, default=DEFAULT_MOVIELENS)
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--skip-movielens", action="store_true")
    parser.add_argument("--skip-training", action="store_true")
    parser.add_argument(
        "--no-card-cache",
        action="store_true",
        help="measure serving with the card cache off only (by default: off, then on)",
    )
    parser.add_argument(
        "--cache-url", default="", help="CACHE_URL for this run (default: the settings' default)"
    )
    args = parser.parse_args()
    scratch = configure_environment(args.cache_url)
    try:
        run(args)
    finally:
        # The scratch database of a 1M-event run is a few hundred MB.
        from django.db import connections

        connections.close_all()
        shutil.rmtree(scratch, ignore_errors=True)


def run(args) -> None:
    import django

    django.setup()
    print(f"## Recommendations — measured {date.today().isoformat()}\n")
    print(
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.platform()}.\n"
    )
    if not args.skip_movielens:
        if (args.movielens / "u1.base").exists():
            movielens(args.movielens)
        else:
            print(f"(MovieLens not found at {args.movielens}: skipped)\n")
        demo_history()
    if not args.skip_training:
        training_and_serving(
            [int(size) for size in args.sizes.split(",") if size],
            card_cache=not args.no_card_cache,
        )


if __name__ == "__main__":
    main()
