"""Which change to the search helps which language: the hybrid ranking on the judged queries
with each piece taken out in turn (this process only, by patching), on a store already built
by bench/search_languages.py.

    SHOP_VAR_DIR=/tmp/rc .venv/bin/python bench/search_languages_ablation.py [QUERIES.jsonl]

Variants: all pieces; without the encoder word look-up (ai.search.crosslingual, so also
without the CJK segmentation it feeds); without the colour words searched in the text;
without "metal/gemstone named in the text counts as having it"; without the Snowball
fallback of the query tables.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import django  # noqa: E402

django.setup()

from ai.search import crosslingual, query, ranking  # noqa: E402
from ai.search.evaluation import evaluate, read_judged  # noqa: E402
from ai.search.snapshot import clear_cache  # noqa: E402
from catalog.models import Product  # noqa: E402

LANGUAGES = ("en", "fr", "de", "es", "ja", "zh-hans", "ar")


def run(judged, handles) -> dict:
    def rank(text: str, language: str, mode: str) -> list[str]:
        result = ranking.search(text, language=language, limit=50, mode=mode, facets=False)
        return [handles[pk] for pk in result.product_ids if pk in handles]

    return evaluate(judged, mode="hybrid", rank=rank)


def main() -> None:
    path = (
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else ROOT / "bench/data/search_queries_real_catalog.jsonl"
    )
    with path.open(encoding="utf-8") as lines:
        judged = read_judged(lines)
    handles = dict(Product.objects.values_list("pk", "handle"))
    original = {
        "english_for": crosslingual.english_for,
        "text_mask": ranking._text_mask,
        "snowball": query.snowball_stem,
        "word_hints": ranking._word_hints,
    }

    def no_colour_hints(parsed, recognised, snapshot, lexical):
        kept = [item for item in recognised if item.kind != "colour"]
        return original["word_hints"](parsed, kept, snapshot, lexical)

    def no_text_mask(snapshot, key):
        return original["text_mask"](snapshot, key) & False

    variants = {
        "all pieces": {},
        "without encoder word look-up": {(crosslingual, "english_for"): lambda *a, **k: {}},
        "without colour words in text": {(ranking, "_word_hints"): no_colour_hints},
        "without metal/stone named in text": {(ranking, "_text_mask"): no_text_mask},
        "without Snowball fallback": {(query, "snowball_stem"): lambda word, language: None},
    }
    print(f"nDCG@10, hybrid, {path.name}")
    print("| variant | overall | " + " | ".join(LANGUAGES) + " | worst gap to en |")
    print("| --- | ---: | " + " | ".join("---:" for _ in LANGUAGES) + " | ---: |")
    for label, patches in variants.items():
        saved = {}
        for (module, name), value in patches.items():
            saved[(module, name)] = getattr(module, name)
            setattr(module, name, value)
        clear_cache()  # the query tables are memoised on the snapshot
        try:
            report = run(judged, handles)
        finally:
            for (module, name), value in saved.items():
                setattr(module, name, value)
        per = {
            code: report["languages"][code]["ndcg@10"]
            for code in LANGUAGES
            if code in report["languages"]
        }
        gap = per["en"] - min(per.values()) if "en" in per else float("nan")
        print(
            f"| {label} | {report['overall']['ndcg@10']:.3f} | "
            + " | ".join(f"{per.get(code, float('nan')):.3f}" for code in LANGUAGES)
            + f" | {gap:.3f} |"
        )


if __name__ == "__main__":
    main()
