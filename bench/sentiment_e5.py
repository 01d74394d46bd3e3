"""The e5 part of bench/sentiment.py: fine-tune multilingual-e5-small per seed, measure, time.

Kept apart so that bench/sentiment.py stays readable; see its docstring for the protocol.
"""

from __future__ import annotations

import resource
import sys
import time
from statistics import median


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _measure(labels_rule, probabilities, stars, truth):
    from ai.sentiment.e5.finetune import polar_as_neutral
    from ai.sentiment.model import binary_accuracy, macro_f1, prediction_from_probabilities

    argmax = [prediction_from_probabilities(row).label for row in probabilities]
    one_star = [label for s, label in zip(stars, labels_rule, strict=True) if s == 1]
    return {
        "binary_accuracy": round(binary_accuracy(truth, probabilities), 4),
        "macro_f1_argmax": round(macro_f1(truth, argmax), 4),
        "macro_f1": round(macro_f1(truth, labels_rule), 4),
        "polar_as_neutral_argmax": round(polar_as_neutral(stars, argmax), 4),
        "polar_as_neutral": round(polar_as_neutral(stars, labels_rule), 4),
        "one_star_as_neutral": sum(1 for label in one_star if label == "neutral"),
        "one_star_reviews": len(one_star),
    }


def run_e5(args, train, train_languages, tests, languages) -> dict:
    import torch

    from ai.sentiment.e5.encoder import open_model_file
    from ai.sentiment.e5.finetune import Example, FineTuneConfig, fine_tune, save_model
    from ai.sentiment.e5.inference import E5SentimentScorer
    from ai.sentiment.e5.tokenizer import E5Tokenizer
    from ai.sentiment.model import label_for_stars

    torch.set_num_threads(args.e5_threads)
    examples = [
        Example(text=text, stars=stars, language=language)
        for (text, stars), language in zip(train, train_languages, strict=True)
    ]
    model_file = open_model_file()
    report: dict = {"seeds": {}, "scorers": {}, "peak_before_mib": round(_peak_mib())}
    for seed in [int(value) for value in args.e5_seeds.split(",") if value.strip()]:
        config = FineTuneConfig(
            epochs=args.e5_epochs,
            batch_size=args.e5_batch_size,
            learning_rate=args.e5_learning_rate,
            layer_decay=args.e5_layer_decay,
            pooling=args.e5_pooling,
            star_weight=args.e5_star_weight,
            max_length=args.e5_max_length,
            balance_languages=not args.e5_no_balance,
            bucket_size=args.e5_bucket_size,
            seed=seed,
            threads=args.e5_train_threads,
            layers=args.e5_layers or None,
            precision=args.e5_precision,
        )
        started = time.perf_counter()
        cpu_started = time.process_time()
        last = [started]

        def progress(done, total, message, seed=seed, started=started, last=last):
            now = time.perf_counter()
            if done == total or now - last[0] > 60:
                last[0] = now
                print(
                    f"[e5 seed {seed}] {message}: {done}/{total} steps, {now - started:.0f} s",
                    file=sys.stderr,
                    flush=True,
                )

        checkpoints = f"{args.e5_checkpoints}/seed-{seed}" if args.e5_checkpoints else None
        result = fine_tune(
            examples, config, checkpoint_dir=checkpoints, progress=progress, model_file=model_file
        )
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu_started
        torch.set_num_threads(args.e5_threads)
        if args.e5_save:
            save_model(result, f"{args.e5_save}/e5-sentiment-seed{seed}.pt")
        tokenizer = E5Tokenizer(model_file, max_length=config.max_length)
        seed_report = {
            "config": config.__dict__,
            "train_seconds": round(seconds),
            "train_cpu_seconds": round(cpu_seconds),
            "resumed_from": result.resumed_from,
            "steps": result.steps,
            "peak_mib": round(_peak_mib()),
            "rule_margin": result.rule.margin,
            "rule_table": result.rule_table,
            "loss_first_20": round(sum(result.losses[:20]) / max(1, len(result.losses[:20])), 4),
            "loss_last_20": round(sum(result.losses[-20:]) / max(1, len(result.losses[-20:])), 4),
            "languages": {},
        }
        print(f"[e5 seed {seed}] trained in {seconds:.0f} s", file=sys.stderr, flush=True)
        scorers = {
            "float32": E5SentimentScorer(
                result.model, tokenizer, rule=result.rule, max_length=config.max_length
            ),
        }
        import copy

        scorers["int8"] = E5SentimentScorer(
            copy.deepcopy(result.model),
            tokenizer,
            rule=result.rule,
            max_length=config.max_length,
            quantize=True,
        )
        scorers["bfloat16"] = E5SentimentScorer(
            result.model,
            tokenizer,
            rule=result.rule,
            max_length=config.max_length,
            precision="bfloat16",
        )
        for kind, scorer in scorers.items():
            for language in languages:
                texts = [text for text, _stars in tests[language]]
                stars = [stars for _text, stars in tests[language]]
                truth = [label_for_stars(value) for value in stars]
                probabilities, star_probabilities = scorer.probabilities(texts)
                labels = scorer.rule.labels(probabilities, star_probabilities)
                seed_report["languages"].setdefault(language, {})[kind] = _measure(
                    labels, probabilities, stars, truth
                )
            print(f"[e5 seed {seed}] measured {kind}", file=sys.stderr, flush=True)
        report["seeds"][seed] = seed_report
        if not report["scorers"]:
            report["scorers"] = scorers
    # The scoring job's work (label, score, aspects), float32 and int8, in turns, 3 rounds.
    all_texts = [text for language in languages for text, _stars in tests[language]]
    sample = all_texts[:: max(1, len(all_texts) // args.speed_sample)][: args.speed_sample]
    runs: dict[str, list[float]] = {kind: [] for kind in report["scorers"]}
    cpu_runs: dict[str, list[float]] = {kind: [] for kind in report["scorers"]}
    for _round in range(3):
        for kind, scorer in report["scorers"].items():
            started, cpu_started = time.perf_counter(), time.process_time()
            scorer.score_texts(sample)
            runs[kind].append(len(sample) / (time.perf_counter() - started))
            cpu_runs[kind].append(len(sample) / (time.process_time() - cpu_started))
    report["job_speed"] = {kind: round(median(values), 1) for kind, values in runs.items()}
    report["job_runs"] = {kind: [round(v, 1) for v in values] for kind, values in runs.items()}
    # Reviews per CPU-second (all threads' time): what the work costs, whatever the load.
    report["job_per_cpu_second"] = {
        kind: round(median(values), 1) for kind, values in cpu_runs.items()
    }
    report["speed_sample"] = len(sample)
    return report


def compare_speed(e5_report: dict, combined, sample) -> dict:
    """Today's scoring job and the e5 one (int8), timed in turns on the same sample."""
    from ai.sentiment.scoring import score_texts

    scorer = e5_report["scorers"]["int8"]
    runs = {"combined": [], "e5-int8": [], "combined per cpu-s": [], "e5-int8 per cpu-s": []}
    for _round in range(3):
        for kind, work in (
            ("combined", lambda: score_texts(sample, scorer=combined)),
            ("e5-int8", lambda: scorer.score_texts(sample)),
        ):
            started, cpu_started = time.perf_counter(), time.process_time()
            work()
            runs[kind].append(len(sample) / (time.perf_counter() - started))
            runs[f"{kind} per cpu-s"].append(len(sample) / (time.process_time() - cpu_started))
    return {kind: [round(v, 1) for v in values] for kind, values in runs.items()}


def print_e5(report: dict, baseline: dict | None) -> None:
    seeds = report["seeds"]
    languages = list(next(iter(seeds.values()))["languages"])
    print("\nmultilingual-e5-small fine-tuned (per seed; float32 / bfloat16 / int8):\n")
    header = "| seed | metric | " + " | ".join(languages) + " |"
    print(header)
    print("| --- | --- |" + " ---: |" * len(languages))
    metrics = (
        ("binary_accuracy", "binary accuracy"),
        ("macro_f1_argmax", "macro-F1 (argmax)"),
        ("macro_f1", "macro-F1 (rule)"),
        ("polar_as_neutral_argmax", "polar as neutral (argmax)"),
        ("polar_as_neutral", "polar as neutral (rule)"),
        ("one_star_as_neutral", "1-star as neutral (rule)"),
    )
    for seed, seed_report in seeds.items():
        for key, title in metrics:
            cells = " | ".join(
                f"{seed_report['languages'][lang]['float32'][key]}"
                f" / {seed_report['languages'][lang]['bfloat16'][key]}"
                f" / {seed_report['languages'][lang]['int8'][key]}"
                for lang in languages
            )
            print(f"| {seed} | {title} | {cells} |")
    if baseline is not None and "combined" in baseline["results"]:
        for key in ("binary_accuracy", "macro_f1"):
            cells = " | ".join(
                str(baseline["results"]["combined"][lang][key]) for lang in languages
            )
            print(f"| today (combined) | {key} | {cells} |")
    print()
    for seed, seed_report in seeds.items():
        print(
            f"seed {seed}: {seed_report['steps']} steps in {seed_report['train_seconds']} s, "
            f"peak memory {seed_report['peak_mib']} MiB (before training "
            f"{report['peak_before_mib']} MiB), rule margin {seed_report['rule_margin']}, "
            f"loss {seed_report['loss_first_20']} -> {seed_report['loss_last_20']}"
        )
    print(
        f"scoring job (label, score, aspects; {report['speed_sample']} reviews), median of 3: "
        + ", ".join(f"{kind} {speed} reviews/s" for kind, speed in report["job_speed"].items())
        + f" (runs {report['job_runs']}); per CPU-second: {report['job_per_cpu_second']}"
    )
    if baseline is not None and "speed_in_turns" in baseline:
        print(f"in turns with today's model: {baseline['speed_in_turns']}")


def speed_by_depth() -> None:
    """How fast the scoring job (label, score, aspects) runs per encoder depth, float32 and int8.

    Speed does not depend on what the weights learnt, so the heads are untrained here: this
    says which depth can reach a speed goal before any fine-tuning is spent on it. Reports
    reviews per second of wall time and per CPU-second (all threads), which holds whatever
    else the machine is doing.

        .venv/bin/python bench/sentiment_e5.py [--layers 12,6,4,3] [--sample 400]
    """
    import argparse
    import csv
    import os
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    parser = argparse.ArgumentParser(description=speed_by_depth.__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, default=root.parent / "shared" / "data" / "reviews-multilingual-dev"
    )
    parser.add_argument("--layers", default="12,6,4,3")
    parser.add_argument("--sample", type=int, default=400)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--max-length", type=int, default=192)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
    import django

    django.setup()
    import torch

    from ai.sentiment.e5.encoder import open_model_file
    from ai.sentiment.e5.finetune import FineTuneConfig, build_classifier
    from ai.sentiment.e5.inference import E5SentimentScorer
    from ai.sentiment.e5.tokenizer import E5Tokenizer

    torch.set_num_threads(args.threads)
    texts = []
    for language in ("de", "en", "es", "fr", "ja", "zh"):
        with (args.data / f"{language}.csv").open(encoding="utf-8", newline="") as handle:
            rows = [row["text"] for row in csv.DictReader(handle) if row["text"]]
        texts.extend(rows[: args.sample // 6])
    model_file = open_model_file()
    tokenizer = E5Tokenizer(model_file, max_length=args.max_length)
    lengths = [len(ids) for ids in tokenizer(texts)]
    print(
        f"{len(texts)} reviews, {sum(lengths) / len(lengths):.0f} tokens on average; "
        f"load average {os.getloadavg()[0]:.1f}; {args.threads} torch threads",
        flush=True,
    )
    print("| layers | kind | reviews/s | reviews per CPU-second |")
    print("| ---: | --- | ---: | ---: |")
    for layers in [int(value) for value in args.layers.split(",")]:
        model = build_classifier(FineTuneConfig(layers=layers), model_file)
        for quantize in (False, True):
            import copy

            scorer = E5SentimentScorer(
                copy.deepcopy(model), tokenizer, max_length=args.max_length, quantize=quantize
            )
            scorer.score_texts(texts[:16])
            started, cpu_started = time.perf_counter(), time.process_time()
            scorer.score_texts(texts)
            wall = len(texts) / (time.perf_counter() - started)
            cpu = len(texts) / (time.process_time() - cpu_started)
            kind = "int8" if quantize else "float32"
            print(f"| {layers} | {kind} | {wall:.1f} | {cpu:.1f} |", flush=True)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    speed_by_depth()
