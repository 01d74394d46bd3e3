"""Design GAN step speed by setting (issue 15): float32 against mixed bfloat16, XLA, channels.

Times design.gan.training.train_gan itself (the job's step: D and G updates, DiffAugment, EMA)
on synthetic pictures (speed does not depend on what they show; no shared data is read), every
setting in the same process, in rounds (A B C ... A B C ...) so a change in the machine's load
falls on every setting alike. Per setting and round: a fresh run of --epochs epochs in /tmp; the
first epoch (tracing) is left out, and so is each epoch's first step (it follows the previous
epoch's checkpoint and sample grid). Reported: the median wall and CPU seconds per step over the
rounds, and each setting's ratio to the first.

    nice -n 19 .venv/bin/python bench/design_speed.py --size 64 --batch-size 16 --rounds 2 \\
        --setting precision=float32 --setting precision=mixed_bfloat16 \\
        [--setting precision=mixed_bfloat16,jit_compile=true] [--setting ...,channels=128]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_setting(text: str) -> dict:
    options: dict = {}
    for part in filter(None, text.split(",")):
        key, _, value = part.partition("=")
        low = value.lower()
        if low in ("true", "false"):
            options[key] = low == "true"
        else:
            try:
                options[key] = int(value)
            except ValueError:
                try:
                    options[key] = float(value)
                except ValueError:
                    options[key] = value
    return options


def synthetic(count: int, size: int, classes: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, (count, size, size, 3), dtype=np.uint8)
    labels = (np.arange(count) % classes).astype(np.int32)
    return images, labels


def time_setting(options: dict, args, images, labels, categories) -> dict:
    from design.gan.training import train_gan

    marks: list[tuple[int, int, float, float]] = []  # (epoch, step, wall, cpu)

    def progress(info: dict) -> None:
        marks.append((info["epoch"], info["step"], time.perf_counter(), time.process_time()))

    with tempfile.TemporaryDirectory(prefix="design-speed-") as folder:
        started = time.perf_counter()
        result = train_gan(
            images=images,
            labels=labels,
            categories=categories,
            out_dir=Path(folder),
            epochs=args.epochs,
            batch_size=args.batch_size,
            size=args.size,
            seed=args.seed,
            progress=progress,
            **options,
        )
        total = time.perf_counter() - started
    wall, cpu = [], []
    for before, after in zip(marks, marks[1:], strict=False):
        # Steady steps only: after the first epoch (tracing), not an epoch's first step.
        if after[0] >= 2 and after[1] >= 2 and after[0] == before[0]:
            wall.append(after[2] - before[2])
            cpu.append(after[3] - before[3])
    return {
        "precision": result["precision"],
        "step_wall": statistics.median(wall),
        "step_cpu": statistics.median(cpu),
        "steps_timed": len(wall),
        "first_epoch_wall": marks[result["steps_per_epoch"] - 1][2] - started,
        "total_wall": total,
        "load": Path("/proc/loadavg").read_text().split()[:3],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--pictures", type=int, default=256)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--setting", action="append", default=[], metavar="KEY=VALUE,...")
    parser.add_argument("--out", type=Path, default=None, help="JSON of every measurement")
    args = parser.parse_args()
    settings = [parse_setting(s) for s in args.setting] or [
        {"precision": "float32"},
        {"precision": "mixed_bfloat16"},
    ]
    categories = ["a", "b", "c", "d", "e"]
    images, labels = synthetic(args.pictures, args.size, len(categories), args.seed)
    runs: list[list[dict]] = [[] for _ in settings]
    for round_ in range(args.rounds):
        for index, options in enumerate(settings):
            measured = time_setting(options, args, images, labels, categories)
            runs[index].append(measured)
            print(f"round {round_ + 1} {options}: {json.dumps(measured)}", flush=True)
    base = statistics.median(r["step_wall"] for r in runs[0])
    base_cpu = statistics.median(r["step_cpu"] for r in runs[0])
    print("\n| setting | s per step (wall) | CPU s per step | speed-up (wall / CPU) |")
    print("| --- | ---: | ---: | ---: |")
    for options, measured in zip(settings, runs, strict=True):
        wall = statistics.median(r["step_wall"] for r in measured)
        cpu = statistics.median(r["step_cpu"] for r in measured)
        label = ", ".join(f"{k}={v}" for k, v in options.items())
        print(f"| {label} | {wall:.3f} | {cpu:.3f} | {base / wall:.2f}x / {base_cpu / cpu:.2f}x |")
    if args.out:
        args.out.write_text(json.dumps({"settings": settings, "runs": runs}, indent=2))


if __name__ == "__main__":
    main()
