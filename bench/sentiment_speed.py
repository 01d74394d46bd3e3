"""The e5 scoring job's speed per inference variant, in one process on the same reviews.

Why: the scoring job (label, score and per-aspect sentiment of every review) has to reach 200
reviews/s on this 2-core machine while int8 stays within 0.01 of float32. Speeds measured in
different runs are not comparable when other work shares the machine, so every variant here
is timed in turns with the others (round after round, the median kept), and reported as a ratio
to the float32 scorer of the same run, with reviews per CPU-second (all threads' CPU time: what
the work costs whatever else runs) beside reviews per second of wall time.

    nice -n 10 .venv/bin/python bench/sentiment_speed.py --model MODEL.pt [--var /tmp/sentrun]
        [--per-language 100] [--rounds 3] [--variants float,int8,...] [--before FILE]
        [--json out.json]

- `--model`: a fine-tuned model (e5.finetune.save_model: the job's artifact); without it an
  untrained classifier (speed only: it does not depend on the weights).
- `--var`: the scratch store of bench/sentiment_job_run.py; the reviews are then the job's own
  held-out reviews (the same split, recomputed from the store and the model's seed), so the
  accuracy is on reviews the model never trained on. Otherwise the first reviews of each dev
  file (`--data`).
- `--before FILE`: another version of e5/inference.py (e.g. `git show main:...`) loaded as a
  module beside this one: its scorer runs as the variants "before-float" and "before-int8".
- Agreement with float32: share of identical labels (the decision rule's) and the largest
  difference of any of the three probabilities; binary accuracy and macro-F1 per variant.
"""

from __future__ import annotations

import argparse
import copy
import csv
import importlib.util
import json
import os
import sys
import time
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = next(
    (
        folder / "shared" / "data" / "reviews-multilingual-dev"
        for folder in (ROOT.parent, ROOT.parent.parent)
        if (folder / "shared" / "data" / "reviews-multilingual-dev").is_dir()
    ),
    ROOT.parent / "shared" / "data" / "reviews-multilingual-dev",
)

# name -> scorer options; "threads" is set for the variant's turn only, "unsorted" batches
# reviews in the order given (64 a batch) instead of by length.
VARIANTS: dict[str, dict] = {
    "before-float": {"before": True},
    "before-int8": {"before": True, "quantize": True},
    "float": {},
    "int8-tensor": {"quantize": True, "int8_scheme": "per-tensor"},
    "int8": {"quantize": True},
    "int8-unsorted": {"quantize": True, "unsorted": True},
    "int8-len128": {"quantize": True, "max_length": 128},
    "int8-len96": {"quantize": True, "max_length": 96},
    "int8-batch2048": {"quantize": True, "batch_tokens": 2048},
    "int8-batch8192": {"quantize": True, "batch_tokens": 8192},
    "int8-eager": {"quantize": True, "attention": "eager"},
    "int8-1thread": {"quantize": True, "threads": 1},
    "float-1thread": {"threads": 1},
    # bfloat16 autocast (the store's "auto" on a CPU with AMX / AVX512-BF16).
    "bfloat16": {"precision": "bfloat16"},
    "bfloat16-1thread": {"precision": "bfloat16", "threads": 1},
    "bfloat16-len128": {"precision": "bfloat16", "max_length": 128},
}
DEFAULT_VARIANTS = ",".join(VARIANTS)


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def held_out_reviews(seed: int, per_language: int):
    """The job's held-out reviews (finetuning.finetune_sentiment's split), per language."""
    import django

    django.setup()
    from ai.sentiment.e5.finetune import Example, review_input, split_validation
    from reviews.selectors import rated_reviews_for_training

    examples = [
        Example(text=text or "", stars=int(stars), language=language, title=title or "")
        for title, text, stars, language in rated_reviews_for_training()
    ]
    _train, test = split_validation(examples, 0.2, seed)
    chosen: dict[str, list] = {}
    for index in test:
        example = examples[index]
        bucket = chosen.setdefault(example.language, [])
        if len(bucket) < per_language:
            bucket.append((review_input(example.title, example.text), example.stars))
    return chosen


def dev_reviews(data: Path, per_language: int):
    chosen = {}
    for language in ("de", "en", "es", "fr", "ja", "zh"):
        with (data / f"{language}.csv").open(encoding="utf-8", newline="") as handle:
            rows = [(row["text"], int(row["stars"])) for row in csv.DictReader(handle)]
        chosen[language] = rows[:per_language]
    return chosen


def load_before(path: str):
    spec = importlib.util.spec_from_file_location("ai.sentiment.e5.inference_before", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module.E5SentimentScorer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="")
    parser.add_argument("--var", default="")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--per-language", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--variants", default=DEFAULT_VARIANTS)
    parser.add_argument("--before", default="")
    parser.add_argument("--json", default="")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.pop("DATABASE_URL", None)
    if args.var:
        os.environ["SHOP_VAR_DIR"] = args.var

    import numpy as np
    import torch

    from ai.sentiment.e5.encoder import open_model_file
    from ai.sentiment.e5.finetune import DecisionRule, FineTuneConfig, build_classifier, load_model
    from ai.sentiment.e5.inference import E5SentimentScorer
    from ai.sentiment.e5.tokenizer import E5Tokenizer

    model_file = open_model_file()
    if args.model:
        model, config, rule = load_model(args.model, model_file=model_file)
    else:
        config, rule = FineTuneConfig(), DecisionRule()
        model = build_classifier(config, model_file)
    if args.var:
        by_language = held_out_reviews(config.seed, args.per_language)
    else:
        import django

        django.setup()
        by_language = dev_reviews(args.data, args.per_language)
    from ai.sentiment.model import binary_accuracy, label_for_stars, macro_f1

    texts = [text for rows in by_language.values() for text, _stars in rows]
    stars = [value for rows in by_language.values() for _text, value in rows]
    truth = [label_for_stars(value) for value in stars]
    tokenizer = E5Tokenizer(model_file, max_length=config.max_length)
    lengths = sorted(len(ids) for ids in tokenizer(texts))
    percentile = {
        p: lengths[min(len(lengths) - 1, int(len(lengths) * p / 100))] for p in (50, 90, 95, 99)
    }
    torch.set_num_threads(args.threads)
    print(
        f"{len(texts)} reviews ({', '.join(f'{k} {len(v)}' for k, v in by_language.items())}); "
        f"tokens: mean {sum(lengths) / len(lengths):.1f}, p50/p90/p95/p99 "
        f"{'/'.join(str(v) for v in percentile.values())}, max {lengths[-1]} "
        f"(max_length {config.max_length}); {args.threads} torch threads; load {load_average()}",
        flush=True,
    )
    before_class = load_before(args.before) if args.before else None
    names = [name.strip() for name in args.variants.split(",") if name.strip()]
    scorers = {}
    for name in names:
        options = dict(VARIANTS[name])
        if options.pop("before", False):
            if before_class is None:
                continue
            cls = before_class
        else:
            cls = E5SentimentScorer
        threads = options.pop("threads", 0)
        unsorted = options.pop("unsorted", False)
        scorer = cls(
            copy.deepcopy(model),
            tokenizer,
            rule=rule,
            max_length=options.pop("max_length", config.max_length),
            **options,
        )
        if unsorted:

            def in_order(lengths, size=64):
                indexes = list(range(len(lengths)))
                for start in range(0, len(indexes), size):
                    yield indexes[start : start + size]

            scorer._batches = in_order
        scorer.score_texts(texts[:8])  # warm-up
        scorers[name] = (scorer, threads)

    wall: dict[str, list[float]] = {name: [] for name in scorers}
    cpu: dict[str, list[float]] = {name: [] for name in scorers}
    results: dict[str, list] = {}
    print(f"load before timing: {load_average()}", flush=True)
    for round_number in range(args.rounds):
        for name, (scorer, threads) in scorers.items():
            torch.set_num_threads(threads or args.threads)
            started, cpu_started = time.perf_counter(), time.process_time()
            scored = scorer.score_texts(texts)
            wall[name].append(len(texts) / (time.perf_counter() - started))
            cpu[name].append(len(texts) / (time.process_time() - cpu_started))
            torch.set_num_threads(args.threads)
            results[name] = scored
        print(f"round {round_number + 1} done, load {load_average()}", file=sys.stderr, flush=True)
    print(f"load after timing: {load_average()}", flush=True)

    reference = "float" if "float" in results else next(iter(results))
    languages = [language for language, rows in by_language.items() for _row in rows]

    def probabilities(scored):
        return np.array(
            [
                [row["probabilities"][label] for label in ("negative", "neutral", "positive")]
                for row in scored
            ]
        )

    base_wall, base_cpu = median(wall[reference]), median(cpu[reference])
    table = []
    for name, scored in results.items():
        labels = [row["label"] for row in scored]
        probs = probabilities(scored)
        per_language = {}
        for language in by_language:
            picked = [i for i, value in enumerate(languages) if value == language]
            per_language[language] = {
                "binary_accuracy": round(
                    binary_accuracy([truth[i] for i in picked], probs[picked]), 4
                ),
                "macro_f1": round(
                    macro_f1([truth[i] for i in picked], [labels[i] for i in picked]), 4
                ),
            }
        reference_labels = [row["label"] for row in results[reference]]
        aspects_same = sum(
            1
            for mine, theirs in zip(scored, results[reference], strict=True)
            if {k: v["label"] for k, v in mine["aspects"].items()}
            == {k: v["label"] for k, v in theirs["aspects"].items()}
        )
        table.append(
            {
                "variant": name,
                "reviews_per_s": round(median(wall[name]), 1),
                "wall_runs": [round(value, 1) for value in wall[name]],
                "ratio_wall": round(median(wall[name]) / base_wall, 2),
                "reviews_per_cpu_s": round(median(cpu[name]), 1),
                "ratio_cpu": round(median(cpu[name]) / base_cpu, 2),
                "same_labels": round(
                    sum(a == b for a, b in zip(labels, reference_labels, strict=True))
                    / len(labels),
                    4,
                ),
                "same_aspect_labels": round(aspects_same / len(labels), 4),
                "max_probability_difference": round(
                    float(np.abs(probs - probabilities(results[reference])).max()), 4
                ),
                "binary_accuracy": round(binary_accuracy(truth, probs), 4),
                "macro_f1": round(macro_f1(truth, labels), 4),
                "per_language": per_language,
            }
        )
    print(
        "\n| variant | reviews/s (wall) | ratio | reviews per CPU-s | ratio | same labels as "
        f"{reference} | same aspect labels | max prob. diff. | binary acc. | macro-F1 |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in table:
        print(
            f"| {row['variant']} | {row['reviews_per_s']} | {row['ratio_wall']} | "
            f"{row['reviews_per_cpu_s']} | {row['ratio_cpu']} | {row['same_labels']} | "
            f"{row['same_aspect_labels']} | {row['max_probability_difference']} | "
            f"{row['binary_accuracy']} | {row['macro_f1']} |"
        )
    print("\nbinary accuracy per language:")
    print("| variant | " + " | ".join(by_language) + " |")
    for row in table:
        cells = " | ".join(
            str(row["per_language"][lang]["binary_accuracy"]) for lang in by_language
        )
        print(f"| {row['variant']} | {cells} |")
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "reviews": len(texts),
                    "tokens": {"mean": sum(lengths) / len(lengths), "percentiles": percentile},
                    "threads": args.threads,
                    "rounds": args.rounds,
                    "model": args.model,
                    "table": table,
                },
                indent=1,
            )
        )


if __name__ == "__main__":
    main()
