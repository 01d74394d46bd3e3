"""What each language's query misses: per judged query, nDCG@10 of the hybrid ranking and the
English words the query was understood as, against the English query of the same need.

    SHOP_VAR_DIR=/tmp/rc .venv/bin/python bench/search_languages_misses.py [QUERIES.jsonl] [--all]
    ... --half A|B   # only the needs of one half (A: even needs, B: odd), for a held-out check

On a store built by bench/search_languages.py. The judged file holds the needs in blocks of the
seven languages, English first (bench/search_languages.py --write-queries). For every query
under 0.9 (all with --all) it prints what the tables recognised (category/metal/colour keys),
the English words of the hints (built-in words the catalog lacks, colours searched in titles),
each unknown word with the English catalog words ai.search.crosslingual found for it (and from
which source: dictionary or encoder), and the English query's words none of these cover.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import django  # noqa: E402

django.setup()

from ai.embeddings import get_embedder  # noqa: E402
from ai.search import crosslingual, ranking  # noqa: E402
from ai.search.evaluation import ndcg, read_judged  # noqa: E402
from ai.search.lexical import STOPWORDS  # noqa: E402
from ai.search.query import parse_query  # noqa: E402
from ai.search.snapshot import current_or_stale  # noqa: E402
from ai.search.text import stem, tokens, words  # noqa: E402
from catalog.models import Product  # noqa: E402

LANGUAGES = ("en", "fr", "de", "es", "ja", "zh-hans", "ar")


def understood(text: str, language: str, snapshot, embedder) -> tuple[set[str], list[str]]:
    """The English index terms a query was understood as, and a readable account of how."""
    parsed = parse_query(text, language=language, snapshot=snapshot)
    terms: set[str] = set()
    notes: list[str] = []
    for item in parsed.recognised:
        value = item.key.split(":", 1)[-1].replace("-", " ")
        terms.update(tokens(value))
        notes.append(f"{item.key}<-{item.phrase!r}")
    for hint in parsed.hints:
        terms.update(hint.english)
        notes.append(f"hint {'/'.join(hint.english)}<-{hint.phrase!r}")
    unknown = list(dict.fromkeys(parsed.unknown))
    if unknown:
        found = crosslingual.english_for(
            unknown, snapshot=snapshot, embedder=embedder, language=language
        )
        for word in unknown:
            english = found.get(word, ())
            terms.update(english)
            source = ""
            if english:
                from_dictionary = crosslingual.dictionary_terms(
                    word, language=language, snapshot=snapshot
                )
                source = "dictionary" if from_dictionary else "encoder"
            notes.append(f"{word!r}->{'/'.join(english) or '?'}{f' [{source}]' if source else ''}")
    if language != "en":
        # The query's own words also match English text when they are spelt alike ("rose").
        terms.update(stem(word) for word, cjk in words(text) if not cjk)
    return terms, notes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "queries", nargs="?", default=ROOT / "bench/data/search_queries_real_catalog.jsonl"
    )
    parser.add_argument("--all", action="store_true", help="every query, not only the weak")
    parser.add_argument("--half", choices=("A", "B"), help="only the needs of one half")
    args = parser.parse_args()

    with Path(args.queries).open(encoding="utf-8") as lines:
        judged = read_judged(lines)
    if len(judged) % len(LANGUAGES) or any(
        row.language != LANGUAGES[i % len(LANGUAGES)] for i, row in enumerate(judged)
    ):
        raise SystemExit("expected blocks of the seven languages, English first")
    needs = [judged[i : i + len(LANGUAGES)] for i in range(0, len(judged), len(LANGUAGES))]
    if args.half:
        needs = [block for n, block in enumerate(needs) if n % 2 == "AB".index(args.half)]

    handles = dict(Product.objects.values_list("pk", "handle"))
    backend = ranking._backend()[0]
    snapshot, _fresh = current_or_stale(backend=backend)
    embedder = get_embedder()
    per_language: dict[str, list[float]] = defaultdict(list)
    for block in needs:
        english = block[0]
        english_terms = {
            stem(word) for word, cjk in words(english.query) if not cjk and word not in STOPWORDS
        }
        for row in block:
            result = ranking.search(row.query, language=row.language, limit=50, facets=False)
            ranked = [handles[pk] for pk in result.product_ids if pk in handles]
            score = ndcg(ranked, row.relevant)
            per_language[row.language].append(score)
            if score >= 0.9 and not args.all:
                continue
            terms, notes = understood(row.query, row.language, snapshot, embedder)
            missing = sorted(english_terms - terms)
            print(
                f"{row.language:<8}{score:5.2f}  {row.query}  [{english.query}]\n"
                f"          understood: {'; '.join(notes) or '-'}\n"
                f"          missing English: {', '.join(missing) or '-'}"
            )
    print()
    print("| half | " + " | ".join(LANGUAGES) + " | worst gap to en |")
    means = {code: sum(v) / len(v) for code, v in per_language.items()}
    print(
        f"| {args.half or 'all'} | "
        + " | ".join(f"{means[code]:.3f}" for code in LANGUAGES)
        + f" | {means['en'] - min(means.values()):.3f} |"
    )


if __name__ == "__main__":
    main()
