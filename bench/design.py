"""Design studio benchmark (issue 15): are the GAN's drafts recognisable, close to real, diverse
and new, and how fast is it on this machine?

Data: ../shared/data/jewelry-photos-train (1,566 jewelry photos in five category folders; research
use only: nothing read, trained or drawn from it is written inside the repository; every output
goes to --out, /tmp/design-bench by default). Each photo goes through the store's own path
(design.services: design.pictures.check_picture, checked by content and normalised to a square
on its background at DESIGN_IMAGE_SIZE, exact and near duplicates dropped by perceptual hash and
colour thumbnail), is resized to --size (Lanczos) and the set is split per category into a
training part (the GAN and the classifier learn from it) and a held-out part (--holdout, seeded).

    .venv/bin/python bench/design.py --size 64 --minutes 12 --seed 0 --out /tmp/design-bench
        [--epochs N] [--batch-size 32] [--gan-option name=value ...] [--label NAME]
        [--baseline-minutes M | --no-baseline] [--baseline-precision auto] [--classifier-epochs 40]

Steps and figures:
1. The conditional GAN (design.gan.training.train_gan) trains on the training part for --epochs,
   or until --minutes is up (should_stop). Seconds per epoch, the whole training time; then the
   generator is loaded (design.gan.generation.load_generator) and 16 drafts are timed (first
   call and the median of five more). Peak RSS (getrusage) is read right after, before the
   classifier and the baseline exist: that is the design worker's memory (data, TensorFlow,
   the GAN).
2. The baseline: a plain unconditional DCGAN (bench/design_baseline.py) trained for the same
   wall-clock time the conditional GAN took.
3. The classifier: a small Keras CNN from scratch at --size with augmentation, trained on the
   training part only (class weights for the imbalance); its held-out accuracy, overall and per
   category. It is cached in --out per size, seed and split, so a second run reuses it.
4. In the classifier's penultimate feature space (bench/design_metrics.py):
   - recognisable: the share of conditional drafts it assigns to the category asked for;
   - KID (unbiased MMD^2, cubic kernel, 50 subsets of 100) of drafts vs held-out photos, for the
     conditional GAN and for the baseline, and of training vs held-out photos (the floor);
     the drafts are drawn per category in the held-out part's proportions (twice its counts);
   - spread: mean pairwise feature distance of drafts and of held-out photos;
   - near copies: the share of drafts whose nearest training photo is at least as similar as
     a lightly altered copy of a training photo is to it (a shift of up to 2 pixels, brightness
     within 5%, JPEG quality 85), at the 10th percentile and the median of those similarities;
     judged in the classifier's third conv block (centred cosine), because the penultimate
     layer ignores what differs within a category (there, new real photos looked like copies);
     the same shares for held-out real photos, for scale.
Prints a Markdown table and writes results-<label>.json and sample grids (PNG) in --out.
No FID: its Inception weights cannot be downloaded here (offline machine).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DATA = ROOT.parent.parent / "shared" / "data" / "jewelry-photos-train" / "training"
if not DEFAULT_DATA.exists():
    DEFAULT_DATA = Path("/work/shared/data/jewelry-photos-train/training")

from bench import design_metrics as metrics  # noqa: E402


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import django

    django.setup()


def log(message: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# 1. The photos, the store's way ------------------------------------------------------------


def load_photos(data: Path, size: int, cache_dir: Path) -> dict:
    """Every photo through design.services._add (check, normalise, de-duplicate; nothing stored),
    resized to size. Cached in cache_dir (outside the repository)."""
    cache = cache_dir / f"photos-{size}.npz"
    if cache.exists():
        loaded = np.load(cache, allow_pickle=False)
        report = json.loads(str(loaded["report"]))
        return {
            "images": loaded["images"],
            "labels": loaded["labels"],
            "categories": [str(c) for c in loaded["categories"]],
            "names": [str(n) for n in loaded["names"]],
            "report": report,
        }
    setup_django()
    from PIL import Image

    from design.services import _add, _Candidate, _skipped

    candidates = []
    for file in sorted(p for p in data.rglob("*") if p.is_file()):
        relative = file.relative_to(data).as_posix()
        if "/" not in relative or _skipped(relative):
            continue
        category = relative.split("/")[0].lower()
        candidates.append(_Candidate(name=relative, category=category, data=file.read_bytes()))
    files = len(candidates)
    report, accepted = _add(design_set=None, candidates=candidates, source="upload", errors={})
    categories = sorted({candidate.category for candidate, _ in accepted})
    images, labels, names = [], [], []
    for candidate, picture in accepted:
        with Image.open(io.BytesIO(picture.png)) as opened:
            square = opened.convert("RGB")
            if square.size != (size, size):
                square = square.resize((size, size), Image.Resampling.LANCZOS)
            images.append(np.asarray(square, dtype=np.uint8))
        labels.append(categories.index(candidate.category))
        names.append(candidate.name)
    summary = {
        "files": files,
        "kept": len(images),
        "duplicates": len(report.duplicates),
        "errors": report.errors,
        "per_category": {c: labels.count(i) for i, c in enumerate(categories)},
    }
    cache_dir.mkdir(parents=True, exist_ok=True)
    np.savez(
        cache,
        images=np.stack(images),
        labels=np.array(labels),
        categories=np.array(categories),
        names=np.array(names),
        report=np.array(json.dumps(summary)),
    )
    return load_photos(data, size, cache_dir)


def split(labels: np.ndarray, holdout: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Per category, a seeded share `holdout` goes to the held-out part."""
    rng = np.random.default_rng(seed)
    train, held = [], []
    for label in np.unique(labels):
        rows = rng.permutation(np.flatnonzero(labels == label))
        cut = int(round(len(rows) * holdout))
        held.extend(rows[:cut])
        train.extend(rows[cut:])
    return np.sort(np.array(train)), np.sort(np.array(held))


# 2. The category classifier ----------------------------------------------------------------


def build_classifier(size: int, classes: int):
    import tensorflow as tf

    layers = tf.keras.layers
    augment = tf.keras.Sequential(
        [
            layers.RandomFlip("horizontal"),
            layers.RandomRotation(0.08, fill_mode="nearest"),
            layers.RandomZoom((-0.15, 0.15), fill_mode="nearest"),
            layers.RandomTranslation(0.08, 0.08, fill_mode="nearest"),
            layers.RandomContrast(0.2),
        ],
        name="augment",
    )
    inputs = tf.keras.Input((size, size, 3))
    # Augment on 0-255 values: Keras 3's RandomContrast clips to its value_range (0, 255), so
    # after rescaling to [-1, 1] it would black out every negative value.
    x = augment(inputs)
    x = layers.Rescaling(1 / 127.5, offset=-1.0)(x)
    # One 3x3 convolution per resolution: a third of the cost of the usual two, which matters
    # on two shared cores; the GAN's resolution is small enough for it. No batch norm: with it,
    # the network learned on batch statistics (0.91 training accuracy in fit, 0.26 on the same
    # pictures in inference mode) on these mostly-white product shots.
    for width in (32, 64, 128, 256):
        x = layers.Conv2D(width, 3, padding="same", activation="relu")(x)
        x = layers.MaxPooling2D()(x)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dropout(0.3)(x)
    features = layers.Dense(128, activation="relu", name="features")(x)
    x = layers.Dropout(0.3)(features)
    outputs = layers.Dense(classes, activation="softmax")(x)
    model = tf.keras.Model(inputs, outputs)
    model.compile(
        optimizer=tf.keras.optimizers.Adam(1e-3),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def classifier(images, labels, *, classes, size, seed, epochs, cache: Path):
    """The trained classifier (cached) and a function mapping uint8 images to its features."""
    import tensorflow as tf

    info_path = cache.with_suffix(".json")
    if cache.exists() and info_path.exists():
        model = tf.keras.models.load_model(cache)
        info = json.loads(info_path.read_text())
        info["cached"] = True
    else:
        tf.keras.utils.set_random_seed(seed)
        model = build_classifier(size, classes)
        counts = np.bincount(labels, minlength=classes)
        weights = {i: len(labels) / (classes * counts[i]) for i in range(classes)}
        start = time.monotonic()
        model.fit(
            images,
            labels,
            epochs=epochs,
            batch_size=32,
            class_weight=weights,
            verbose=2,
        )
        info = {"epochs": epochs, "train_seconds": round(time.monotonic() - start, 1)}
        model.save(cache)
        info_path.write_text(json.dumps(info))
        info["cached"] = False
    feature_model = tf.keras.Model(model.input, model.get_layer("features").output)
    pools = [layer for layer in model.layers if isinstance(layer, tf.keras.layers.MaxPooling2D)]
    copy_model = tf.keras.Model(model.input, tf.keras.layers.Flatten()(pools[2].output))

    def features(batch: np.ndarray) -> np.ndarray:
        return feature_model.predict(batch, batch_size=128, verbose=0)

    def copy_features(batch: np.ndarray) -> np.ndarray:
        return copy_model.predict(batch, batch_size=128, verbose=0)

    def predict(batch: np.ndarray) -> np.ndarray:
        return model.predict(batch, batch_size=128, verbose=0).argmax(axis=1)

    return features, copy_features, predict, info


def lightly_altered(images: np.ndarray, seed: int) -> np.ndarray:
    """Each picture shifted by up to 2 pixels (edges repeated), its brightness changed within 5%
    and re-saved as JPEG quality 85: a copy anyone would call the same picture."""
    from PIL import Image

    rng = np.random.default_rng(seed)
    out = np.empty_like(images)
    for i, image in enumerate(images):
        dy, dx = rng.integers(-2, 3, size=2)
        padded = np.pad(image, ((2, 2), (2, 2), (0, 0)), mode="edge")
        h, w = image.shape[:2]
        shifted = padded[2 + dy : 2 + dy + h, 2 + dx : 2 + dx + w].astype(np.float32)
        shifted = np.clip(shifted * rng.uniform(0.95, 1.05), 0, 255).astype(np.uint8)
        buffer = io.BytesIO()
        Image.fromarray(shifted).save(buffer, format="JPEG", quality=85)
        buffer.seek(0)
        with Image.open(buffer) as reread:
            out[i] = np.asarray(reread.convert("RGB"))
    return out


COPY_QUANTILES = (0.1, 0.5)


class CopySpace:
    """Centred copy features of the training pictures, and near-copy shares against them."""

    def __init__(self, copy_features, train_images: np.ndarray):
        self.copy_features = copy_features
        raw = copy_features(train_images)
        self.centre = raw.mean(axis=0)
        self.train = raw - self.centre

    def __call__(self, images: np.ndarray) -> np.ndarray:
        return self.copy_features(images) - self.centre

    def shares(self, images: np.ndarray, thresholds: dict[str, float]) -> dict[str, float]:
        queries = self(images)
        return {
            name: metrics.near_copy_share(queries, self.train, threshold=value)
            for name, value in thresholds.items()
        }


def save_grid(images: np.ndarray, path: Path, columns: int = 16) -> None:
    from PIL import Image

    n = len(images)
    rows = (n + columns - 1) // columns
    size = images.shape[1]
    grid = np.full((rows * size, columns * size, 3), 255, np.uint8)
    for i, image in enumerate(images):
        r, c = divmod(i, columns)
        grid[r * size : (r + 1) * size, c * size : (c + 1) * size] = image
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(grid).save(path)


# 3. The conditional GAN (design.gan, from the gan-core branch) ---------------------------------


def parse_option(text: str):
    name, _, value = text.partition("=")
    for cast in (int, float):
        try:
            return name, cast(value)
        except ValueError:
            pass
    if value.lower() in ("true", "false"):
        return name, value.lower() == "true"
    return name, value


def train_conditional(args, images, labels, categories, out_dir: Path) -> dict:
    """Trains design.gan for --epochs, or for whole epochs within --minutes: train_gan writes
    the generator only when it finishes, so when the next epoch would overrun the budget, the
    run stops at that epoch's first step and train_gan is called again with epochs = the
    epochs done (it resumes from their checkpoint, trains nothing and writes the generator)."""
    import shutil

    from design.gan.generation import load_generator
    from design.gan.training import train_gan

    options = dict(parse_option(o) for o in args.gan_option)
    events: list[dict] = []
    artifact = out_dir / f"gan-{args.label}"
    shutil.rmtree(artifact, ignore_errors=True)  # a fresh run, never a resumed older one
    # --cpu-minutes: the budget in this process's CPU seconds instead of wall-clock seconds, so
    # a run on a machine shared with heavier work gets the same compute, however long it waits.
    budget = (args.cpu_minutes or args.minutes or 0) * 60 or None
    cpu0 = time.process_time()
    start = time.monotonic()

    def spent() -> float:
        return time.process_time() - cpu0 if args.cpu_minutes else time.monotonic() - start

    def progress(info: dict) -> None:
        event = {"t": round(time.monotonic() - start, 2), **info}
        events.append(event)
        if info.get("step") == info.get("steps"):
            log(
                f"  epoch {info['epoch']}: d {info['d_loss']:.3f} g {info['g_loss']:.3f} "
                f"({event['t']:.0f} s)"
            )

    def should_stop() -> bool:
        if budget is None or not events:
            return False
        last = events[-1]
        done = last["epoch"] - 1
        if last["step"] != 1 or done < 1:
            return False
        elapsed = spent()
        return elapsed + elapsed / done > budget

    common = {
        "images": images,
        "labels": labels,
        "categories": categories,
        "out_dir": artifact,
        "batch_size": args.batch_size,
        "size": args.size,
        "seed": args.seed,
        "conditional": True,
        **options,
    }
    result = train_gan(
        epochs=args.epochs or 10_000, progress=progress, should_stop=should_stop, **common
    )
    epochs = result.get("epochs_run", 0)
    gan_seconds_per_epoch = result.get("seconds_per_epoch")
    if result.get("stopped"):
        epochs = events[-1]["epoch"] - 1
        result = {**train_gan(epochs=epochs, **common), "stopped_at_budget": True}
    seconds = time.monotonic() - start
    load_start = time.monotonic()
    generator = load_generator(artifact)
    load_seconds = time.monotonic() - load_start
    first, median = _time_generation(generator, categories, args.seed)
    return {
        "generator": generator,
        "options": options,
        "seconds": round(seconds, 1),
        "cpu_seconds": round(time.process_time() - cpu0, 1),
        "epochs": epochs,
        "seconds_per_epoch": round(seconds / epochs, 1) if epochs else None,
        "load_seconds": round(load_seconds, 2),
        "generate16_first_seconds": round(first, 3),
        "generate16_seconds": round(median, 3),
        "peak_rss_mb": round(peak_rss_mb(), 0),
        "gan_seconds_per_epoch": gan_seconds_per_epoch,
        "result": _plain_result(result),
        "events_tail": events[-3:],
    }


def reuse_conditional(args, categories) -> dict:
    """An artifact trained by an earlier run (stopped before its metrics): the generation
    timings are measured again here; the training figures are the earlier run's."""
    import ast

    from design.gan.generation import load_generator

    info = {}
    if args.reuse_info:
        info = ast.literal_eval(args.reuse_info.read_text().strip())
    load_start = time.monotonic()
    generator = load_generator(args.reuse_gan)
    load_seconds = time.monotonic() - load_start
    first, median = _time_generation(generator, categories, args.seed)
    return {
        **info,
        "generator": generator,
        "reused_from": str(args.reuse_gan),
        "load_seconds": round(load_seconds, 2),
        "generate16_first_seconds": round(first, 3),
        "generate16_seconds": round(median, 3),
    }


def _time_generation(generator, categories, seed: int) -> tuple[float, float]:
    """16 drafts: the first call (it traces the graph) and the median of five more."""
    rng = np.random.default_rng(seed)
    wanted = [categories[i % len(categories)] for i in range(16)]
    latents = rng.normal(size=(16, generator.latent_dim)).astype("float32")
    t0 = time.monotonic()
    generator.generate(latents, wanted)
    first = time.monotonic() - t0
    repeats = []
    for _ in range(5):
        t0 = time.monotonic()
        generator.generate(latents, wanted)
        repeats.append(time.monotonic() - t0)
    return first, float(np.median(repeats))


def _plain(value) -> bool:
    return isinstance(value, int | float | str | bool) or value is None


def _plain_result(result):
    if isinstance(result, dict):
        return {k: v for k, v in result.items() if _plain(v)}
    if hasattr(result, "__dict__"):
        return {k: v for k, v in vars(result).items() if _plain(v)}
    return str(result)[:200]


def conditional_drafts(generator, counts: dict[int, int], categories, seed: int):
    rng = np.random.default_rng(seed + 1)
    images, asked = [], []
    for label, count in counts.items():
        for first in range(0, count, 64):
            n = min(64, count - first)
            latents = rng.normal(size=(n, generator.latent_dim)).astype("float32")
            images.append(generator.generate(latents, [categories[label]] * n))
            asked.extend([label] * n)
    return np.concatenate(images), np.array(asked)


# 4. Putting it together --------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--epochs", type=int, default=None)
    parser.add_argument("--minutes", type=float, default=12.0)
    parser.add_argument(
        "--cpu-minutes",
        type=float,
        default=None,
        help="budget in CPU minutes of this process instead of --minutes of wall clock; the "
        "baseline then gets the CPU seconds the conditional GAN used",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("/tmp/design-bench"))
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--holdout", type=float, default=0.2)
    parser.add_argument("--gan-option", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--label", default="run")
    parser.add_argument("--baseline-minutes", type=float, default=None)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument(
        "--baseline-precision",
        default="auto",
        choices=("auto", "float32", "mixed_bfloat16"),
        help="the baseline's arithmetic (default auto, as the store's GAN's default: bfloat16 "
        "where the CPU has it, so both get the same hardware lever)",
    )
    parser.add_argument("--no-gan", action="store_true", help="classifier and real-vs-real only")
    parser.add_argument("--classifier-epochs", type=int, default=30)
    parser.add_argument(
        "--reuse-gan",
        type=Path,
        help="a trained artifact in --out to measure instead of training; its training figures "
        "come from --reuse-info (a JSON or Python dict of an earlier run's 'conditional')",
    )
    parser.add_argument("--reuse-info", type=Path)
    parser.add_argument("--table", type=Path, help="print the table of a results JSON and stop")
    args = parser.parse_args()
    if args.table:
        print(table(json.loads(args.table.read_text())))
        return
    out = args.out.resolve()
    if ROOT in out.parents or out == ROOT:
        parser.error("--out must be outside the repository (the photos are research use only)")
    out.mkdir(parents=True, exist_ok=True)
    results: dict = {
        "label": args.label,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join(sys.argv),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "load_start": load_average(),
            "uptime_start": subprocess.run(
                ["uptime"], capture_output=True, text=True
            ).stdout.strip(),
        },
        "settings": {
            "size": args.size,
            "epochs": args.epochs,
            "minutes": args.minutes,
            "cpu_minutes": args.cpu_minutes,
            "seed": args.seed,
            "batch_size": args.batch_size,
            "holdout": args.holdout,
            "gan_options": args.gan_option,
            "baseline_precision": args.baseline_precision,
        },
    }
    log("loading photos")
    photos = load_photos(args.data, args.size, out)
    images, labels, categories = photos["images"], photos["labels"], photos["categories"]
    results["data"] = photos["report"]
    train_idx, held_idx = split(labels, args.holdout, args.seed)
    results["data"]["train"] = int(len(train_idx))
    results["data"]["held_out"] = int(len(held_idx))
    log(f"{len(images)} photos ({len(train_idx)} train, {len(held_idx)} held out), {categories}")
    x_train, y_train = images[train_idx], labels[train_idx]
    x_held, y_held = images[held_idx], labels[held_idx]
    results["data"]["after_load_rss_mb"] = round(peak_rss_mb(), 0)

    cond = None
    if args.reuse_gan:
        setup_django()
        log(f"reusing the conditional GAN in {args.reuse_gan}")
        cond = reuse_conditional(args, categories)
        results["conditional"] = {k: v for k, v in cond.items() if k != "generator"}
    elif not args.no_gan:
        setup_django()
        log("training the conditional GAN")
        cond = train_conditional(args, x_train, y_train, categories, out)
        results["conditional"] = {k: v for k, v in cond.items() if k != "generator"}
        results["machine"]["load_after_gan"] = load_average()
        log(f"conditional GAN: {results['conditional']}")

    base = None
    if not args.no_baseline:
        from bench.design_baseline import train_baseline

        by_cpu = bool(args.cpu_minutes)
        seconds = (
            args.baseline_minutes * 60
            if args.baseline_minutes
            else (
                (cond["cpu_seconds"] if by_cpu else cond["seconds"])
                if cond
                else (args.cpu_minutes if by_cpu else args.minutes) * 60
            )
        )
        log(f"training the baseline DCGAN for {seconds:.0f} {'CPU ' if by_cpu else ''}s")
        cpu0 = time.process_time()
        base, base_info = train_baseline(
            images=x_train,
            seconds=seconds,
            clock=time.process_time if by_cpu else time.monotonic,
            batch_size=args.batch_size,
            seed=args.seed,
            log=log,
            precision=args.baseline_precision,
        )
        base_info["cpu_seconds"] = round(time.process_time() - cpu0, 1)
        base_info["seconds_per_epoch"] = (
            round(base_info["seconds"] / base_info["epochs"], 1) if base_info["epochs"] else None
        )
        results["baseline"] = base_info
        results["machine"]["load_after_baseline"] = load_average()

    log("classifier")
    split_key = f"s{args.seed}-h{int(args.holdout * 100)}-{args.size}-e{args.classifier_epochs}"
    features, copy_features, predict, info = classifier(
        x_train,
        y_train,
        classes=len(categories),
        size=args.size,
        seed=args.seed,
        epochs=args.classifier_epochs,
        cache=out / f"classifier-{split_key}.keras",
    )
    predicted = predict(x_held)
    info["held_out_accuracy"] = round(metrics.assigned_share(predicted, y_held), 3)
    info["held_out_per_category"] = dict(
        zip(categories, metrics.per_class_share(predicted, y_held, len(categories)), strict=True)
    )
    results["classifier"] = info
    log(f"classifier: {info}")

    f_train, f_held = features(x_train), features(x_held)
    # Near copies are judged in a space that still tells one picture from another: the
    # classifier's third conv block (8 x 8 x 128, flattened), centred on the training mean. The
    # penultimate features are made to ignore what differs within a category: there, held-out
    # photos were closer to a training photo than light copies are to their originals.
    copy_space = CopySpace(copy_features, x_train)
    c_copies = copy_space(lightly_altered(x_train, args.seed))
    thresholds = {
        f"q{int(q * 100)}": metrics.copy_threshold(copy_space.train, c_copies, quantile=q)
        for q in COPY_QUANTILES
    }
    kid_kwargs = {"subsets": 50, "subset_size": 100, "seed": args.seed}
    real = {
        "kid_train_vs_held": metrics.kid(f_train, f_held, **kid_kwargs),
        "spread_held": metrics.mean_pairwise_distance(f_held),
        "spread_train": metrics.mean_pairwise_distance(f_train),
        "near_copy_thresholds": thresholds,
        "held_near_copy_share": copy_space.shares(x_held, thresholds),
    }
    results["real"] = real
    counts = {label: 2 * int((y_held == label).sum()) for label in range(len(categories))}

    if cond is not None:
        drafts, asked = conditional_drafts(cond["generator"], counts, categories, args.seed)
        save_grid(
            np.concatenate([drafts[asked == label][:16] for label in range(len(categories))]),
            out / f"drafts-{args.label}.png",
        )
        np.savez_compressed(out / f"drafts-{args.label}.npz", images=drafts, asked=asked)
        f_drafts = features(drafts)
        assigned = predict(drafts)
        results["conditional"].update(
            {
                "drafts": int(len(drafts)),
                "assigned_share": metrics.assigned_share(assigned, asked),
                "assigned_per_category": dict(
                    zip(
                        categories,
                        metrics.per_class_share(assigned, asked, len(categories)),
                        strict=True,
                    )
                ),
                "kid": metrics.kid(f_drafts, f_held, **kid_kwargs),
                "spread": metrics.mean_pairwise_distance(f_drafts),
                "near_copy_share": copy_space.shares(drafts, thresholds),
            }
        )
    if base is not None:
        base_drafts = base.generate(sum(counts.values()), seed=args.seed + 1)
        save_grid(base_drafts[:80], out / f"baseline-{args.label}.png")
        np.savez_compressed(out / f"baseline-{args.label}.npz", images=base_drafts)
        f_base = features(base_drafts)
        results["baseline"].update(
            {
                "drafts": int(len(base_drafts)),
                "kid": metrics.kid(f_base, f_held, **kid_kwargs),
                "spread": metrics.mean_pairwise_distance(f_base),
                "near_copy_share": copy_space.shares(base_drafts, thresholds),
                "assigned_distribution": np.bincount(
                    predict(base_drafts), minlength=len(categories)
                ).tolist(),
            }
        )
    results["machine"]["load_end"] = load_average()
    results["peak_rss_mb_end"] = round(peak_rss_mb(), 0)
    path = out / f"results-{args.label}.json"
    path.write_text(json.dumps(results, indent=2, default=float))
    print(table(results))
    log(f"wrote {path}")


def _speed(run: dict) -> str:
    return f"{run['epochs']}, {run['seconds_per_epoch']}, {run['seconds']} ({run['cpu_seconds']})"


def table(results: dict) -> str:
    real, clf = results["real"], results["classifier"]
    cond, base = results.get("conditional"), results.get("baseline")
    per_cat = ", ".join(
        f"{c} {v:.2f}" for c, v in clf["held_out_per_category"].items() if v is not None
    )

    def kid_text(value):
        return f"{value[0]:.4f} ± {value[1]:.4f}"

    rows = [
        ("| figure | conditional GAN | baseline DCGAN | real | goal |"),
        ("| --- | --- | --- | --- | --- |"),
        (f"| classifier held-out accuracy | | | {clf['held_out_accuracy']:.3f} ({per_cat}) | |"),
    ]
    if cond and "assigned_share" in cond:
        per = ", ".join(
            f"{c} {v:.2f}" for c, v in cond["assigned_per_category"].items() if v is not None
        )
        rows.append(
            f"| drafts assigned to the asked category | {cond['assigned_share']:.3f} ({per})"
            " | | | ≥ 0.80 |"
        )
    ratio = ""
    if cond and base and "kid" in cond and "kid" in base and base["kid"][0] > 0:
        ratio = f" ({1 - cond['kid'][0] / base['kid'][0]:.0%} lower)"
    rows.append(
        "| KID vs held-out (mean ± std, 50 x 100) | "
        + (kid_text(cond["kid"]) + ratio if cond and "kid" in cond else "")
        + " | "
        + (kid_text(base["kid"]) if base and "kid" in base else "")
        + f" | {kid_text(real['kid_train_vs_held'])} (train vs held-out)"
        + " | conditional ≥ 30% lower |"
    )
    rows.append(
        "| spread (mean pairwise feature distance) | "
        + (f"{cond['spread']:.2f}" if cond and "spread" in cond else "")
        + " | "
        + (f"{base['spread']:.2f}" if base and "spread" in base else "")
        + f" | {real['spread_held']:.2f} (held-out) | close to real |"
    )
    for name, value in real["near_copy_thresholds"].items():
        rows.append(
            f"| near copies (centred cosine ≥ {value:.3f}, light-copy {name}) | "
            + (f"{cond['near_copy_share'][name]:.3f}" if cond and "near_copy_share" in cond else "")
            + " | "
            + (f"{base['near_copy_share'][name]:.3f}" if base and "near_copy_share" in base else "")
            + f" | {real['held_near_copy_share'][name]:.3f} (held-out photos) | ≤ 0.05 |"
        )
    if cond or base:
        rows.append(
            "| training: epochs, s/epoch, total s (CPU s) | "
            + (_speed(cond) if cond else "")
            + " | "
            + (_speed(base) if base else "")
            + " | | total < 900 s |"
        )
    if cond:
        rows.append(
            f"| 16 drafts once loaded (first call / median) | {cond['generate16_first_seconds']} s"
            f" / {cond['generate16_seconds']} s (load {cond['load_seconds']} s) | | | < 1 s |"
        )
        rows.append(
            f"| peak RSS after training + generating | {cond['peak_rss_mb']:.0f} MB | | | |"
        )
    machine = results["machine"]
    rows.append("")
    rows.append(
        f"{results['date']}, {machine['cpus']} CPUs, load {machine['load_start']} at start, "
        f"{machine.get('load_end')} at the end; {results['data']['kept']} photos "
        f"({results['data']['train']} train, {results['data']['held_out']} held out)."
    )
    return "\n".join(rows)


if __name__ == "__main__":
    main()
