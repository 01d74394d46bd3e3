"""How well the near-copy flag of design drafts separates copies from new pieces (issue 15).

    .venv/bin/python bench/design_near_copy.py [--photos DIR] [--count 300] [--seed 0]

Takes `count` photos at random from DIR (default ../shared/data/jewelry-photos-train/training,
a folder per category; research data, never committed), normalises them as a design set does
(design.pictures.normalise, at 64 pixels, the drafts' size), and measures with
design.similarity, the code the generate job runs:

- different pieces: for each photo, its similarity to the nearest other photo of the sample
  (the far end of this is partly real duplicates: the shared set holds the same product shot
  twice, which the near-duplicate filter of a design set drops when it is imported);
- near copies: each photo shifted by 3 pixels, recoloured (grey, tinted), noised (sigma 10),
  re-saved as JPEG at quality 60, and all of shift + recolour + noise together, against the
  original among the sample.

Prints, for thresholds around DESIGN_NEAR_COPY_SIMILARITY, the share of each that scores at
or above it (flagged). Markdown to paste into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--photos", default=str(ROOT.parent.parent / "shared/data/jewelry-photos-train/training")
    )
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from PIL import Image

    from design.pictures import normalise
    from design.similarity import SetFeatures, draft_features, nearest, picture_features

    files = sorted(p for p in Path(args.photos).rglob("*") if p.is_file())
    random.Random(args.seed).shuffle(files)
    pictures = []
    for file in files:
        if len(pictures) == args.count:
            break
        try:
            with Image.open(file) as opened:
                pictures.append(normalise(opened, 64))
        except (OSError, ValueError):
            continue
    noise = np.random.default_rng(args.seed)

    def shifted(image, dx=3, dy=2):
        pixels = np.asarray(image)
        background = np.median(np.concatenate([pixels[0], pixels[-1]]), axis=0)
        out = Image.new("RGB", image.size, tuple(int(v) for v in background))
        out.paste(image, (dx, dy))
        return out

    def recoloured(image):
        grey = np.asarray(image, dtype=np.float32).mean(axis=2, keepdims=True)
        tinted = grey * np.array([0.8, 0.85, 1.0]) + 20
        return Image.fromarray(np.clip(tinted, 0, 255).astype(np.uint8))

    def noised(image, sigma=10):
        pixels = np.asarray(image, dtype=np.float32) + noise.normal(0, sigma, (64, 64, 3))
        return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))

    def jpeg(image):
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=60)
        out.seek(0)
        return Image.open(out).convert("RGB")

    variants = {
        "shifted 3 px": shifted,
        "recoloured": recoloured,
        "noised": noised,
        "JPEG 60": jpeg,
        "all three": lambda image: noised(shifted(recoloured(image))),
    }
    started = time.perf_counter()
    matrix = np.stack([picture_features(p) for p in pictures])
    ids = list(range(len(pictures)))
    different = []
    for index, picture in enumerate(pictures):
        others = SetFeatures(ids=ids[:index] + ids[index + 1 :], matrix=np.delete(matrix, index, 0))
        different.append(nearest(draft_features(picture), others, k=1)[0][1])
    among = SetFeatures(ids=ids, matrix=matrix)
    copies = {}
    for name, change in variants.items():
        # The copy's similarity to its own original (at the copy's best shift).
        copies[name] = np.array(
            [
                float((among.matrix[index] @ draft_features(change(picture)).T).max())
                for index, picture in enumerate(pictures)
            ]
        )
    elapsed = time.perf_counter() - started
    different = np.array(different)
    threshold = settings.DESIGN_NEAR_COPY_SIMILARITY
    print(
        f"{len(pictures)} photos, seed {args.seed}, {elapsed:.1f} s; "
        f"DESIGN_NEAR_COPY_SIMILARITY = {threshold}\n"
    )
    print("| threshold | different pieces flagged | " + " | ".join(variants) + " |")
    print("| --- | --- | " + " | ".join("---" for _ in variants) + " |")
    for value in sorted({0.85, 0.88, 0.90, 0.92, 0.94, threshold}):
        cells = " | ".join(f"{np.mean(scores >= value):.2f}" for scores in copies.values())
        print(f"| {value:.2f} | {np.mean(different >= value):.2f} | {cells} |")
    print(
        "\nnearest other photo, percentiles 50/90/95/99:",
        np.percentile(different, [50, 90, 95, 99]).round(3).tolist(),
    )


if __name__ == "__main__":
    main()
