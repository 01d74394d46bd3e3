"""`manage.py evaluate_search FILE.jsonl [--json] [--mode M]`: how well the search ranks judged
queries, per language and overall, against plain BM25 and the encoder alone."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ai.search.evaluation import JudgementError, evaluate, read_judged
from ai.search.ranking import MODES
from ai.search.ranking import search as search_products
from catalog.models import Product


class Command(BaseCommand):
    help = (
        "Evaluate the product search on judged queries: a JSON-lines file of "
        '{"query": ..., "language": ..., "relevant": [handles]}. Prints nDCG@10, recall@50 '
        "and MRR per language and overall for the hybrid search, plain BM25 (lexical) and the "
        "encoder alone (vector). The products must be indexed (manage.py reindex_search)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="judged queries, one JSON object per line")
        parser.add_argument("--json", action="store_true", help="print the results as JSON")
        parser.add_argument(
            "--mode",
            action="append",
            choices=MODES,
            dest="modes",
            help="only this ranking (repeat for several; default: all three)",
        )
        parser.add_argument(
            "--queries", action="store_true", help="also list every query's figures"
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            with path.open(encoding="utf-8") as lines:
                judged = read_judged(lines)
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path} is not UTF-8 text") from exc
        except JudgementError as exc:
            raise CommandError(f"{path}: {exc}") from exc

        handles: dict[int, str] = {}

        def rank(query: str, language: str, mode: str) -> list[str]:
            result = search_products(query, language=language, limit=50, mode=mode, facets=False)
            missing = [pk for pk in result.product_ids if pk not in handles]
            if missing:
                handles.update(Product.objects.filter(pk__in=missing).values_list("pk", "handle"))
            return [handles[pk] for pk in result.product_ids if pk in handles]

        known = set(Product.objects.values_list("handle", flat=True))
        unknown = sorted({h for item in judged for h in item.relevant} - known)
        reports = [evaluate(judged, mode=mode, rank=rank) for mode in options["modes"] or MODES]

        if options["json"]:
            for report in reports:
                if not options["queries"]:
                    report.pop("queries")
            self.stdout.write(
                json.dumps({"unknown_handles": unknown, "results": reports}, indent=2)
            )
            return
        if unknown:
            self.stderr.write(
                f"{len(unknown)} judged handles are not in the catalog (e.g. {unknown[0]}); "
                "is this the catalog the queries were judged on?"
            )
        for report in reports:
            self.stdout.write(f"\n{report['mode']}")
            self.stdout.write(
                f"  {'language':<10}{'queries':>8}{'nDCG@10':>10}{'R@50':>8}{'MRR':>8}"
            )
            rows = [*report["languages"].items(), ("overall", report["overall"])]
            for code, row in rows:
                self.stdout.write(
                    f"  {code:<10}{row['queries']:>8}{row['ndcg@10']:>10.3f}"
                    f"{row['recall@50']:>8.3f}{row['mrr']:>8.3f}"
                )
            if options["queries"]:
                for row in report["queries"]:
                    self.stdout.write(
                        f"    {row['language']:<8}{row['ndcg@10']:>6.2f}{row['recall@50']:>6.2f}"
                        f"{row['mrr']:>6.2f}  {row['query']}"
                    )
