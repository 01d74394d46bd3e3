"""A real-data run of the `sentiment.finetune` job: the dev reviews as a store's rated reviews.

Why: bench/sentiment.py measures the recipe on a fixed half/half split; this runs the job
itself (what `train_sentiment --backend e5-finetune` runs) on a scratch store, so the figures
are the ones the job records in its ModelVersion (its own 20% held out, stratified by language
and stars; its own comparison with the model in use; its own training time).

    nice -n 10 .venv/bin/python bench/sentiment_job_run.py [--var /tmp/sentrun]
        [--data ../shared/data/reviews-multilingual-dev] [--limit N] [--config '{"epochs": 2}']
        [--json out.json]

- The scratch store lives in `--var` (SHOP_VAR_DIR: SQLite database, models, celery queue);
  nothing is written to the repository. Run twice with the same `--var`, the reviews are
  imported once (the importer skips identical rows) and the job compares its new model with
  the version activated by the first run, on the same held-out reviews (same seed).
- The reviews are imported with the store's CSV importer (reviews/importer.py), one published
  product per language, the language column set (zh -> zh-hans). Reviews the importer flags as
  spam are not training data (rated_reviews_for_training): their count is printed.
- `--config`: FineTuneConfig fields over AI_SENTIMENT_FINETUNE (e.g. fewer epochs to fit a
  deadline); `--limit`: the first N reviews of each language file.
- The data is read at run time and never copied into the repository.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# ../shared beside the repository (a worktree in /work/wt/<branch>: two levels up).
DEFAULT_DATA = next(
    (
        folder / "shared" / "data" / "reviews-multilingual-dev"
        for folder in (ROOT.parent, ROOT.parent.parent)
        if (folder / "shared" / "data" / "reviews-multilingual-dev").is_dir()
    ),
    ROOT.parent / "shared" / "data" / "reviews-multilingual-dev",
)
LANGUAGES = {"de": "de", "en": "en", "es": "es", "fr": "fr", "ja": "ja", "zh": "zh-hans"}


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def configure_environment(var: str, config: dict) -> None:
    os.environ["SHOP_VAR_DIR"] = var
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.pop("DATABASE_URL", None)
    os.environ["AI_SENTIMENT_BACKEND"] = "e5-finetune"
    if config:
        os.environ["AI_SENTIMENT_FINETUNE"] = json.dumps(config)


def read_reviews(data: Path, limit: int | None) -> list[dict]:
    rows = []
    for code, language in LANGUAGES.items():
        with open(data / f"{code}.csv", encoding="utf-8", newline="") as handle:
            for number, row in enumerate(csv.DictReader(handle)):
                if limit is not None and number >= limit:
                    break
                rows.append({"language": language, "text": row["text"], "stars": row["stars"]})
    return rows


def import_store(rows: list[dict]) -> dict:
    """One published product per language and the reviews through the store's importer."""
    from catalog.models import Product, PublicationStatus
    from catalog.services import product_create
    from reviews.importer import import_reviews_csv

    for language in LANGUAGES.values():
        handle = f"bench-ring-{language}"
        if not Product.objects.filter(handle=handle).exists():
            product_create(
                handle=handle,
                name=f"Bench ring ({language})",
                status=PublicationStatus.PUBLISHED,
            )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["product_handle", "text", "stars", "language"])
    for row in rows:
        writer.writerow(
            [f"bench-ring-{row['language']}", row["text"], row["stars"], row["language"]]
        )
    report = import_reviews_csv(file=io.BytesIO(buffer.getvalue().encode("utf-8")))
    if not report.ok:
        raise SystemExit(report.as_text())
    return {"created": report.created, "skipped": report.skipped, "flagged": report.flagged}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--var", default="/tmp/sentrun")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--config", default="", help="FineTuneConfig fields as JSON")
    parser.add_argument("--json", default="")
    args = parser.parse_args()
    config = json.loads(args.config) if args.config else {}
    configure_environment(args.var, config)
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.core.management import call_command

    from ai.models import ModelVersion
    from ai.sentiment.jobs import JOB_SENTIMENT_FINETUNE
    from reviews.selectors import rated_reviews_for_training
    from shop.jobs import job_run_here

    call_command("migrate", verbosity=0, interactive=False)
    imported = import_store(read_reviews(args.data, args.limit))
    training_rows = len(rated_reviews_for_training())
    print(f"imported {imported}; {training_rows} rated reviews for training", flush=True)

    started = time.perf_counter()
    cpu_started = time.process_time()
    last = [0.0]

    def progress(done: int, total: int, message: str = "") -> None:
        now = time.perf_counter() - started
        if done == total or now - last[0] >= 60:
            last[0] = now
            print(
                f"[{now:6.0f} s] {message}: {done}/{total}, load {load_average()}",
                file=sys.stderr,
                flush=True,
            )

    print(f"load before: {load_average()}", flush=True)
    job = job_run_here(kind=JOB_SENTIMENT_FINETUNE, progress=progress)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    print(f"load after: {load_average()}", flush=True)
    result = job.result or {}
    if job.status != "succeeded":
        raise SystemExit(f"job {job.pk} {job.status}: {(job.error or job.message)[-2000:]}")
    version = ModelVersion.objects.get(capability="sentiment", version=result["version"])
    summary = {
        "job": job.pk,
        "status": job.status,
        "wall_seconds": round(seconds, 1),
        "cpu_seconds": round(cpu_seconds, 1),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "imported": imported,
        "training_rows": training_rows,
        "config": config,
        "version": version.version,
        "active": version.is_active,
        "parameters": version.parameters,
        "metrics": version.metrics,
    }
    print(
        f"{'language':10} {'binary':>7} {'macro-F1':>9} {'n':>5}"
        f"   compared ({result['compared_with']})"
    )
    compared = version.metrics.get("compared_per_language", {})
    for language, values in sorted(version.metrics.get("per_language", {}).items()):
        other = compared.get(language, {})
        print(
            f"{language:10} {values.get('binary_accuracy', 0):7.3f}"
            f" {values.get('macro_f1', 0):9.3f}"
            f" {values.get('examples', 0):5}   {other.get('binary_accuracy', 0):.3f}"
            f" {other.get('macro_f1', 0):.3f}"
        )
    print(
        f"all        {version.metrics.get('binary_accuracy', 0):7.3f}"
        f" {version.metrics.get('macro_f1', 0):9.3f}; activated {version.is_active};"
        f" {seconds:.0f} s wall, {cpu_seconds:.0f} CPU-s"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=1, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
