"""Search in seven languages over a real English-only catalog: nDCG@10 per language.

    .venv/bin/python bench/search_languages.py                 # build a scratch store, measure
    .venv/bin/python bench/search_languages.py --store /tmp/rc # keep/reuse the store there
    .venv/bin/python bench/search_languages.py --store /tmp/rc --write-queries FILE
    .venv/bin/python bench/search_languages.py --demo /tmp/demo  # the demo judged set too

The catalog (bench/real_catalog.py): the Shopify sample file (20 products) and the 306
jewelry items of a real UK gift retailer, English titles only, imported through the store's
own Shopify importer (`import_products --format shopify`) into a scratch store (SHOP_VAR_DIR
in a temporary folder, SQLite, the in-process vector index), embedded by `reindex_search`.
The data stays in ../shared/data; nothing of it enters the repository.

The judged queries: NEEDS below, one shopper's need each, written in every language the way
shoppers there type it (plurals, inflections, German compounds, Chinese and Japanese without
spaces, colloquial words). A need's relevant products are derived from the catalog's
attributes only (its category, from the retailer's jewelry word, and the colour/material words
of its title), never from a ranker's output, so every language is judged against the same set.
`--write-queries` writes them as the JSON lines `manage.py evaluate_search` reads
(bench/data/search_queries_real_catalog.jsonl).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.real_catalog import SHOPIFY_CSV, retail_items, shopify_items, write_shopify_csv  # noqa: E402

LANGUAGES = ("en", "fr", "de", "es", "ja", "zh-hans", "ar")
QUERIES = ROOT / "bench" / "data" / "search_queries_real_catalog.jsonl"
DEMO_QUERIES = ROOT / "tests" / "data" / "search" / "queries.jsonl"


@dataclass(frozen=True)
class Need:
    """Products of `types` (Shopify Types; empty: any) whose words include one of `words`."""

    types: tuple[str, ...]
    words: tuple[str, ...]
    queries: dict[str, str]


def need(types: str, words: str, en, fr, de, es, ja, zh, ar) -> Need:
    return Need(
        tuple(filter(None, types.split("|"))),
        tuple(filter(None, words.split("|"))),
        {"en": en, "fr": fr, "de": de, "es": es, "ja": ja, "zh-hans": zh, "ar": ar},
    )


# fmt: off
NEEDS: tuple[Need, ...] = (
    need("Necklace", "", "necklaces", "colliers", "Ketten", "collares",
         "ネックレス", "项链", "قلادات"),
    need("Earrings", "", "earrings", "boucles d'oreilles", "Ohrringe", "pendientes",
         "ピアス", "耳环", "أقراط"),
    need("Bracelet", "", "bracelet", "bracelets", "Armbänder", "pulsera",
         "ブレスレット", "手链", "سوار"),
    need("Ring", "", "rings", "bague", "Ringe", "anillos", "指輪", "戒指", "خواتم"),
    need("Brooch", "", "brooch", "broches", "Brosche", "broche", "ブローチ", "胸针", "بروش"),
    need("Hair accessory", "", "hair accessories", "accessoires cheveux", "Haarschmuck",
         "accesorios para el pelo", "ヘアアクセサリー", "发饰", "اكسسوارات شعر"),
    need("Earrings", "SILVER", "silver earrings", "boucles d'oreilles argent",
         "Silberohrringe", "pendientes de plata", "シルバーピアス", "银色耳环", "اقراط فضية"),
    need("Bracelet", "GOLD", "gold bracelet", "bracelet doré", "Goldarmband", "pulsera dorada",
         "ゴールドのブレスレット", "金色手链", "سوار ذهبي"),
    need("Necklace", "PINK", "pink necklace", "collier rose", "rosa Kette", "collar rosa",
         "ピンクのネックレス", "粉色项链", "قلادة وردية"),
    need("Bracelet", "BLACK", "black bracelets", "bracelets noirs", "schwarzes Armband",
         "pulseras negras", "黒いブレスレット", "黑色手链", "اساور سوداء"),
    need("Earrings", "CRYSTAL|DIAMANTE", "crystal earrings", "boucles d'oreilles en cristal",
         "Kristallohrringe", "pendientes de cristal", "クリスタルのピアス", "水晶耳环",
         "اقراط كريستال"),
    need("Necklace", "PEARL", "pearl necklace", "collier de perles", "Perlenkette",
         "collar de perlas", "パールネックレス", "珍珠项链", "عقد لؤلؤ"),
    need("Bracelet", "GLASS", "glass bracelet", "bracelet en verre", "Glasarmband",
         "pulsera de vidrio", "ガラスのブレスレット", "玻璃手链", "سوار زجاج"),
    need("Earrings", "DROP", "drop earrings", "boucles d'oreilles pendantes", "Hängeohrringe",
         "pendientes largos", "揺れるピアス", "耳坠", "اقراط متدلية"),
    need("", "HEART", "heart", "cœur", "Herz", "corazón", "ハート", "心形", "قلب"),
    need("Ring", "FLOWER", "flower ring", "bague fleur", "Blumenring", "anillo de flor",
         "花の指輪", "花朵戒指", "خاتم وردة"),
    need("Necklace", "BLUE", "blue necklace", "collier bleu", "blaue Halskette", "collar azul",
         "青いネックレス", "蓝色项链", "قلادة زرقاء"),
    need("Hair accessory", "BUTTERFLY", "butterfly hair clip", "pince à cheveux papillon",
         "Schmetterling Haarspange", "pinza de pelo mariposa", "蝶のヘアクリップ", "蝴蝶发夹",
         "مشبك شعر فراشة"),
    need("Necklace", "SHELL|M.O.P|MOP", "shell necklace", "collier coquillage", "Muschelkette",
         "collar de conchas", "貝殻のネックレス", "贝壳项链", "قلادة صدف"),
    need("Earrings", "GREEN", "green earrings", "boucles d'oreilles vertes", "grüne Ohrringe",
         "pendientes verdes", "緑のピアス", "绿色耳环", "اقراط خضراء"),
    need("", "LEATHER", "leather", "cuir", "Leder", "cuero", "革", "皮革", "جلد"),
    need("Bracelet", "PURPLE|AMETHYST", "purple bracelet", "bracelet violet", "lila Armband",
         "pulsera morada", "紫のブレスレット", "紫色手链", "سوار بنفسجي"),
    need("Bracelet", "RED", "red bracelet", "bracelet rouge", "rotes Armband", "pulsera roja",
         "赤いブレスレット", "红色手链", "سوار احمر"),
    need("Necklace", "TASSEL", "tassel necklace", "collier à pompon", "Quastenkette",
         "collar con borlas", "タッセルネックレス", "流苏项链", "قلادة بشرابة"),
)
# fmt: on


def relevant(need_: Need, items) -> list[str]:
    found = []
    for item in items:
        if need_.types and item.product_type not in need_.types:
            continue
        if need_.words and not any(
            re.search(rf"(?<![A-Z]){re.escape(word)}(?![A-Z])", item.text) for word in need_.words
        ):
            continue
        found.append(item.handle)
    return found


def judged_queries() -> list[dict]:
    items = shopify_items() + retail_items()
    rows = []
    for need_ in NEEDS:
        handles = relevant(need_, items)
        if not handles:
            raise SystemExit(f"no product for {need_.queries['en']!r}")
        for language in LANGUAGES:
            rows.append(
                {"query": need_.queries[language], "language": language, "relevant": handles}
            )
    return rows


def manage(store: Path, *args: str, capture: bool = False) -> str:
    env = {
        **os.environ,
        "SHOP_VAR_DIR": str(store),
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "HF_HUB_OFFLINE": "1",
    }
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return done.stdout or ""


def build_store(store: Path) -> None:
    store.mkdir(parents=True, exist_ok=True)
    retail_csv = store / "retail-jewelry.csv"
    write_shopify_csv(retail_items(), retail_csv)
    manage(store, "migrate", "--verbosity", "0")
    manage(store, "import_products", "--format", "shopify", str(SHOPIFY_CSV))
    manage(store, "import_products", "--format", "shopify", str(retail_csv))
    manage(store, "reindex_search")
    (store / ".built").write_text("ok")


def build_demo(store: Path) -> None:
    store.mkdir(parents=True, exist_ok=True)
    manage(store, "migrate", "--verbosity", "0")
    manage(store, "seed_demo")
    manage(store, "reindex_search")
    (store / ".built").write_text("ok")


def measure(store: Path, queries: Path, label: str, show_queries: bool) -> dict:
    out = manage(store, "evaluate_search", str(queries), "--json", "--queries", capture=True)
    data = json.loads(out)
    if data["unknown_handles"]:
        print(f"warning: {len(data['unknown_handles'])} judged handles not in the store")
    languages = [code for code in LANGUAGES if code in data["results"][0]["languages"]]
    print(f"\n{label}: nDCG@10 ({queries.name})")
    print("| ranking | overall | " + " | ".join(languages) + " | worst gap to en |")
    print("| --- | ---: | " + " | ".join("---:" for _ in languages) + " | ---: |")
    for report in data["results"]:
        per = {code: report["languages"][code]["ndcg@10"] for code in languages}
        gap = per["en"] - min(per.values())
        print(
            f"| {report['mode']} | {report['overall']['ndcg@10']:.3f} | "
            + " | ".join(f"{per[code]:.3f}" for code in languages)
            + f" | {gap:.3f} |"
        )
    if show_queries:
        for row in data["results"][0]["queries"]:
            figures = f"{row['ndcg@10']:>6.2f}{row['recall@50']:>6.2f}"
            print(f"  {row['language']:<8}{figures}  {row['query']}")
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path, help="scratch store folder (kept; reused if built)")
    parser.add_argument("--write-queries", type=Path, nargs="?", const=QUERIES)
    parser.add_argument("--demo", type=Path, help="also measure the demo set on a store there")
    parser.add_argument("--queries", action="store_true", help="print every hybrid query")
    parser.add_argument("--json", type=Path, help="write the raw figures here")
    args = parser.parse_args()

    if args.write_queries:
        rows = judged_queries()
        args.write_queries.parent.mkdir(parents=True, exist_ok=True)
        with args.write_queries.open("w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(f"{len(rows)} judged queries -> {args.write_queries}")
        return

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    results = {}
    with tempfile.TemporaryDirectory(prefix="realcat-") as scratch:
        store = args.store or Path(scratch)
        if not (store / ".built").exists():
            build_store(store)
        queries = QUERIES
        if not queries.exists():
            raise SystemExit(f"{queries} is missing: run with --write-queries first")
        results["real"] = measure(store, queries, "real English-only catalog", args.queries)
        if args.demo:
            if not (args.demo / ".built").exists():
                build_demo(args.demo)
            results["demo"] = measure(args.demo, DEMO_QUERIES, "demo store", False)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
